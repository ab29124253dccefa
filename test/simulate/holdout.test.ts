// Leave-one-configuration-out validation on synthetic runs with a known cost structure, where the held-out
// error of every point is known by hand.
//
// Known costs (as in costModel.test.ts): ffmpeg rtime = 40 + 80·d ms per chunk of d seconds, harness overhead
// 12 + 0.5 ms, dispatch gap 0.1 ms, probe 50 ms, no split, merge 30 + 2·chunks ms, a 60 s source, 2 cores.
// On one worker a run then takes exactly 50 + Σ(0.1 + 40 + 80·d + 12.5) + 30 + 2·n ms.
import { describe, expect, it } from 'vitest';
import type { GridConfig } from '../../src/grid/expand.ts';
import type { ResultLine, RunMeta } from '../../src/harness/store.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';
import { fitFamilies, modelFor } from '../../src/simulate/calibrate.ts';
import { fitWithout, withoutConfig } from '../../src/simulate/holdout.ts';
import { planChunkSeconds } from '../../src/simulate/predict.ts';
import { errorPct, insideInterval, summarizeErrors, validate, type Prediction, type ValidationPoint } from '../../src/simulate/validate.ts';

const A = 40;
const B = 80;
const SOURCE_S = 60;
/** Symmetric spread of the five measured walls around their mean: the mean is exact, the CI about ±1%. */
const SPREAD = [-0.01, -0.005, 0, 0.005, 0.01];

/** The true one-worker wall time for these chunk lengths, with every chunk's ffmpeg time × `slowdown`. */
function trueWallMs(lengths: readonly number[], slowdown = 1): number {
  return 50 + lengths.reduce((s, d) => s + 0.1 + (A + B * d) * slowdown + 12.5, 0) + 30 + 2 * lengths.length;
}

interface Spec {
  id: string;
  workers: number;
  segmentSeconds: number;
  preset?: string;
  filter?: string;
  /** ffmpeg time × this for this configuration's chunks (a cost the others do not share). */
  slowdown?: number;
  /** Measured wall time; default the true one-worker wall time. */
  wallMs?: number;
}

function config(spec: Spec): GridConfig {
  return {
    id: spec.id,
    label: spec.id,
    sweeps: [],
    input: 'sd',
    mode: 'chunked',
    workers: spec.workers,
    segmentSeconds: spec.segmentSeconds,
    split: 'exact',
    codec: 'libx264',
    preset: spec.preset ?? 'veryfast',
    filter: spec.filter ?? 'none',
    threads: 1,
    crf: null,
    workDir: 'tmp',
    retries: 0,
    injectFaults: 0,
    injectStalls: 0,
    speculate: 0,
    executor: 'local',
  };
}

function record(spec: Spec, wallMs: number): RunRecord {
  const lengths = planChunkSeconds(SOURCE_S, spec.segmentSeconds);
  let t = 0;
  const chunks = lengths.map((d, index) => {
    const rtimeMs = (A + B * d) * (spec.slowdown ?? 1);
    const startMs = t + 0.1;
    const spawnToExitMs = rtimeMs + 12;
    t = startMs + spawnToExitMs + 0.5;
    return { index, state: 'ok', workerId: 0, startMs, endMs: t, durationSeconds: d, inputBytes: 1000 * d, outputBytes: 500 * d, spawnToExitMs, rtimeMs, utimeMs: rtimeMs, stimeMs: 0 };
  });
  return {
    state: 'ok',
    config: { mode: 'chunked', workers: spec.workers, segmentSeconds: spec.segmentSeconds, split: 'exact', threads: 1, injectFaults: 0, injectStalls: 0 },
    source: { durationSeconds: SOURCE_S },
    segments: lengths.map((d, index) => ({ index, durationSeconds: d })),
    chunks,
    phases: { probeMs: 50, splitMs: 0, processMs: t, mergeMs: 30 + 2 * lengths.length, verifyMs: 0 },
    wallMs,
  } as unknown as RunRecord;
}

/** A stored run of five rounds of every configuration, on 2 cores. */
function stored(specs: Spec[]): { meta: RunMeta; results: ResultLine[] } {
  const meta = { runId: 'synthetic', configs: specs.map(config), machine: { cores: 2 }, grid: {}, seed: 1 } as unknown as RunMeta;
  const results = specs.flatMap((spec, c) =>
    SPREAD.map((offset, round) => {
      const wallMs = (spec.wallMs ?? trueWallMs(planChunkSeconds(SOURCE_S, spec.segmentSeconds), spec.slowdown)) * (1 + offset);
      return { schema: 'chunkbench.result/1', seq: c * SPREAD.length + round, round, warmup: false, configId: spec.id, label: spec.id, state: 'ok', wallMs, record: record(spec, wallMs) } as ResultLine;
    }),
  );
  return { meta, results };
}

const point = (v: { points: ValidationPoint[] }, id: string): ValidationPoint => {
  const found = v.points.find((p) => p.configId === id);
  if (!found) throw new Error(`no point ${id}`);
  return found;
};

// One family measured at three segment lengths on one worker; a one-configuration family (preset fast);
// and a family (filter denoise) whose only run within the 2 cores is h1, the other being 4 workers.
const clean: Spec[] = [
  { id: 's10', workers: 1, segmentSeconds: 10 },
  { id: 's5', workers: 1, segmentSeconds: 5 },
  { id: 's30', workers: 1, segmentSeconds: 30 },
  { id: 'g', workers: 1, segmentSeconds: 10, preset: 'fast' },
  { id: 'h1', workers: 1, segmentSeconds: 10, filter: 'denoise' },
  { id: 'h4', workers: 4, segmentSeconds: 10, filter: 'denoise', slowdown: 2, wallMs: 3000 },
];

describe('leave one configuration out, when the costs are exactly linear', () => {
  const { meta, results } = stored(clean);
  const v = validate(meta, results);

  it('predicts every left-out point of the family exactly, as in-sample does: nothing to flatter', () => {
    for (const id of ['s10', 's5', 's30']) {
      const p = point(v, id);
      expect(p.heldOut.state, id).toBe('predicted');
      if (p.heldOut.state !== 'predicted') continue;
      expect(p.heldOut.predictedWallMs, id).toBeCloseTo(trueWallMs(planChunkSeconds(SOURCE_S, p.segmentSeconds)), 6);
      expect(p.heldOut.errorPct, id).toBeCloseTo(0, 6);
      expect(p.inSample.errorPct, id).toBeCloseTo(0, 6);
      expect(p.heldOut.insideCi, id).toBe(true);
    }
  });

  it("says why a point cannot be left out instead of using its in-sample prediction", () => {
    const g = point(v, 'g').heldOut;
    expect(g).toEqual({ state: 'not-held-out', cause: 'only-configuration-of-its-work', reason: expect.stringMatching(/^the only configuration doing its work \(libx264 fast, no filter, .*nothing measures that work's cost per second of video$/) });
    const h1 = point(v, 'h1').heldOut;
    expect(h1).toEqual({ state: 'not-held-out', cause: 'only-runs-within-cores', reason: expect.stringMatching(/only ones of its family within the 2 cores: without them the chunk times would come from time-shared runs alone$/) });
    // the other way round is fine: h4 was never in the chunk fit, and h1 alone identifies the family
    expect(point(v, 'h4').heldOut.state).toBe('predicted');
    expect(v.notHeldOut).toBe(2);
  });

  it('keeps the summaries apart: held out over the points that could be left out, in-sample over all', () => {
    expect(v.inSample.points).toBe(6);
    expect(v.heldOut.points).toBe(4);
    expect(v.inSampleOfHeldOut.points).toBe(4);
    expect(v.heldOut.worst).toBe('h4');
  });

  it('refits on the result lines without the configuration, warmups and all', () => {
    expect(withoutConfig(results, 's5').some((l) => l.configId === 's5')).toBe(false);
    expect(withoutConfig(results, 's5')).toHaveLength(results.length - SPREAD.length);
    const s5 = meta.configs.find((c) => c.id === 's5') as GridConfig;
    const inSample = modelFor(s5, fitFamilies(meta, results));
    const refit = inSample && fitWithout(meta, results, s5, inSample);
    expect(refit?.state).toBe('fitted');
    if (refit?.state === 'fitted') expect(refit.model.familyIds).toEqual(['s10', 's30']);
  });
});

describe('leave one configuration out, when one configuration has a cost the others do not show', () => {
  // d20's chunks really take 25% longer; its measured wall time is its own true one
  const { meta, results } = stored([...clean.slice(0, 3), { id: 'd20', workers: 1, segmentSeconds: 20, slowdown: 1.25 }]);
  const v = validate(meta, results);
  const d20 = point(v, 'd20');
  const lengths = planChunkSeconds(SOURCE_S, 20);

  it('gives the held-out error known by hand: the model of the other three, against what d20 measured', () => {
    // refitted without d20 the fit is exact again: 50 + 3 × (0.1 + 40 + 1600 + 12.5) + 36 = 5043.8 ms
    // against a measured mean of 50 + 3 × (0.1 + 1.25 × 1640 + 12.5) + 36 = 6273.8 ms
    expect(trueWallMs(lengths)).toBeCloseTo(5043.8, 9);
    expect(d20.measuredWallMs).toBeCloseTo(6273.8, 6);
    expect(d20.heldOut.state).toBe('predicted');
    if (d20.heldOut.state !== 'predicted') return;
    expect(d20.heldOut.predictedWallMs).toBeCloseTo(5043.8, 6);
    expect(d20.heldOut.errorPct).toBeCloseTo((100 * (5043.8 - 6273.8)) / 6273.8, 6);
    expect(d20.heldOut.insideCi).toBe(false);
    expect(v.withinTarget).toBe(false);
  });

  it('shows in-sample flattering it: the fit that saw d20 bends toward it', () => {
    if (d20.heldOut.state !== 'predicted') throw new Error('d20 not held out');
    expect(Math.abs(d20.inSample.errorPct)).toBeLessThan(Math.abs(d20.heldOut.errorPct) - 5);
    expect(v.inSample.meanAbsErrorPct).toBeLessThan(v.heldOut.meanAbsErrorPct);
    expect(v.heldOut.maxAbsErrorPct).toBeCloseTo(Math.abs(d20.heldOut.errorPct), 9);
    expect(v.heldOut.worst).toBe('d20');
    // the old in-sample claim would have passed this model: within 15% in-sample, not held out
    expect(v.inSample.maxAbsErrorPct).toBeLessThan(v.targetPct);
    expect(v.heldOut.maxAbsErrorPct).toBeGreaterThan(v.targetPct);
  });
});

describe('the pure statistics', () => {
  const prediction = (errorPct: number, insideCi: boolean | null): Prediction => ({ predictedWallMs: 0, errorPct, insideCi, borrowed: [] });

  it('checks a configuration run for fewer rounds when it has 3 or more (an interval to check against), not a 2-round CRF point', () => {
    const { meta, results } = stored(clean);
    const fewer = { ...meta, configs: meta.configs.map((c) => (c.id === 's5' ? { ...c, rounds: 2 } : c.id === 's30' ? { ...c, rounds: 3 } : c)) } as RunMeta;
    const ids = validate(fewer, results).points.map((p) => p.configId);
    expect(ids).toContain('s30');
    expect(ids).not.toContain('s5');
  });

  it('errorPct and insideInterval', () => {
    expect(errorPct(110, 100)).toBeCloseTo(10, 12);
    expect(errorPct(90, 100)).toBeCloseTo(-10, 12);
    expect(insideInterval(5, { lo: 4, hi: 6 }, false)).toBe(true);
    expect(insideInterval(6.5, { lo: 4, hi: 6 }, false)).toBe(false);
    expect(insideInterval(5, { lo: 5, hi: 5 }, true)).toBeNull();
  });

  it('summarizeErrors: mean and max of |error|, the worst point, inside-CI out of the points with a CI', () => {
    const s = summarizeErrors([
      { label: 'a', prediction: prediction(-4, true) },
      { label: 'b', prediction: prediction(2, false) },
      { label: 'c', prediction: prediction(-6, null) },
    ]);
    expect(s).toEqual({ points: 3, meanAbsErrorPct: 4, maxAbsErrorPct: 6, worst: 'c', insideCi: 1, withCi: 2 });
    expect(summarizeErrors([])).toEqual({ points: 0, meanAbsErrorPct: NaN, maxAbsErrorPct: NaN, worst: null, insideCi: 0, withCi: 0 });
  });
});
