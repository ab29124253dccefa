// The cost model recovers known parameters from synthetic run records.
import { describe, expect, it } from 'vitest';
import { fitCostModel, fitLine, chunkWorkMs, type CalibrationRun } from '../../src/simulate/costModel.ts';
import { planChunkSeconds, predictRun, serialPhasesMs } from '../../src/simulate/predict.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';

// Known parameters: rtime = 40 + 80·d ms, harness overhead 12 + 0.5 ms, merge = 30 + 2·chunks ms, probe 50 ms,
// 1000 bytes in and 500 out per second of video, a 60 s source on 2 cores.
const A = 40;
const B = 80;
const SOURCE_S = 60;

function run(workers: number, segmentSeconds: number, slowdown = 1): CalibrationRun {
  const lengths = planChunkSeconds(SOURCE_S, segmentSeconds);
  let t = 0;
  const chunks = lengths.map((d, index) => {
    const rtimeMs = (A + B * d) * slowdown;
    const startMs = t + 0.1;
    const spawnToExitMs = rtimeMs + 12;
    t = startMs + spawnToExitMs + 0.5;
    return { index, state: 'ok', workerId: 0, startMs, endMs: t, durationSeconds: d, inputBytes: 1000 * d, outputBytes: 500 * d, spawnToExitMs, rtimeMs, utimeMs: rtimeMs, stimeMs: 0 };
  });
  const record = {
    state: 'ok',
    config: { mode: 'chunked', workers, segmentSeconds, split: 'exact', threads: 1 },
    source: { durationSeconds: SOURCE_S },
    segments: lengths.map((d, index) => ({ index, durationSeconds: d })),
    chunks,
    phases: { probeMs: 50, splitMs: 0, processMs: t, mergeMs: 30 + 2 * lengths.length, verifyMs: 0 },
    wallMs: 0,
  } as unknown as RunRecord;
  return { configId: `w${workers}s${segmentSeconds}`, record };
}

const options = { configId: 'x', label: 'x', familyIds: ['x'], cores: 2 };

describe('fitLine', () => {
  it('is least squares, and says when x does not vary', () => {
    const fit = fitLine([{ x: 1, y: 3 }, { x: 2, y: 5 }, { x: 3, y: 7 }]);
    expect(fit).toMatchObject({ identified: true, n: 3 });
    expect(fit.intercept).toBeCloseTo(1, 12);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fitLine([{ x: 10, y: 3 }, { x: 10, y: 5 }]).identified).toBe(false);
  });
});

describe('fitCostModel', () => {
  const runs = [run(1, 10), run(2, 1), run(2, 5), run(2, 30), run(4, 10, 2)];
  const model = fitCostModel(runs, options);

  it('recovers work per second of video, per-chunk startup and overhead from chunk lengths', () => {
    expect(model.workSecondsPerVideoSecond).toBeCloseTo(B / 1000, 9);
    expect(model.chunkStartupMs).toBeCloseTo(A, 6);
    expect(model.chunkOverheadMs).toBeCloseTo(12.5, 9);
    expect(model.chunkCv).toBeCloseTo(0, 9);
    expect(model.chunkFitR2).toBeCloseTo(1, 9);
    expect(chunkWorkMs(model, 10)).toBeCloseTo(A + 10 * B + 12.5, 6);
  });

  it('keeps runs past the core count (4 workers, twice as slow) out of the chunk fit', () => {
    expect(model.calibrationRuns).toBe(4);
    expect(model.calibrationChunks).toBe(6 + 60 + 12 + 2);
    expect(model.phaseRuns).toBe(5);
  });

  it('splits probe and merge into one process start plus a part per second of video; merge per chunk from the chunk counts', () => {
    expect(model.mergeMsPerChunk).toBeCloseTo(2, 9);
    expect(model.mergeFixedMs).toBeCloseTo(12.5, 9);
    expect(model.mergeMsPerVideoSecond).toBeCloseTo((30 - 12.5) / SOURCE_S, 9);
    expect(model.probeFixedMs).toBeCloseTo(12.5, 9);
    expect(model.probeMsPerVideoSecond).toBeCloseTo((50 - 12.5) / SOURCE_S, 9);
    expect(model.splitFixedMs).toBe(0);
    const at = serialPhasesMs(model, SOURCE_S, 6);
    expect(at.probeMs).toBeCloseTo(50, 9);
    expect(at.mergeMs).toBeCloseTo(42, 9);
  });

  it('measures bytes per second of video and the local dispatch gap; no queue wait recorded', () => {
    expect(model.inputBytesPerVideoSecond).toBeCloseTo(1000, 9);
    expect(model.outputBytesPerVideoSecond).toBeCloseTo(500, 9);
    expect(model.localDispatchMs).toBeCloseTo(0.1, 9);
    expect(model.queueWaitMs).toBeNull();
    expect(model.borrowed).toEqual([]);
  });

  it('borrows the startup and merge-per-chunk from a reference when the family has one chunk length', () => {
    const one = fitCostModel([run(2, 10), run(2, 10)], { ...options, reference: model });
    expect(one.borrowed).toEqual(['chunkStartupMs', 'mergeMsPerChunk']);
    expect(one.chunkStartupMs).toBeCloseTo(A, 6);
    expect(one.workSecondsPerVideoSecond).toBeCloseTo(B / 1000, 6);
    expect(one.mergeMsPerChunk).toBeCloseTo(2, 9);
  });

  it('predicts its own one-worker run to the millisecond', () => {
    const predicted = predictRun(model, { workers: 1, durationSeconds: SOURCE_S, segmentSeconds: 10, queueLatencyMs: 0.1, bandwidthMbps: null, coordinatorMbps: null, sharedCores: 2 });
    // probe 50 + 6 × (0.1 + 40 + 800 + 12.5) + merge 42
    expect(predicted.wallMs).toBeCloseTo(50 + 6 * 852.6 + 42, 6);
  });

  it('throws when no run has chunks', () => {
    expect(() => fitCostModel([], options)).toThrow(/no successful run with chunks/);
  });
});
