// The pipeline CLI's text output, on hand-built run records: a finished run's phase table with shares, and
// a failed run's summary — what ran and for how long, no shares without a wall time, the error last.
import { describe, expect, it } from 'vitest';
import { formatRun, harnessCpuLine } from '../../src/cli/format.ts';
import { chooseSegment } from '../../src/pipeline/segmentAuto.ts';
import type { ChunkRecord, RunRecord, Segment } from '../../src/pipeline/types.ts';

const binary = { path: '/usr/bin/ffmpeg', source: 'PATH' as const, version: 'ffmpeg version 7' };

const segment = (index: number): Segment => ({ index, startFrame: index * 30, frameCount: 30, startSeconds: index, durationSeconds: 1, inputBytes: 1000 });

function chunk(index: number, state: ChunkRecord['state'], attemptStates: ('ok' | 'failed' | 'cancelled')[] = [state === 'ok' ? 'ok' : 'failed']): ChunkRecord {
  return {
    index, state, workerId: 0, startMs: 0, endMs: 100, startFrame: index * 30, frameCount: 30, framesOut: state === 'ok' ? 30 : null, durationSeconds: 1, inputBytes: 1000, outputBytes: 500,
    exitCode: state === 'ok' ? 0 : 1, signal: null, spawnToExitMs: 100, utimeMs: 80, stimeMs: 5, rtimeMs: 95, maxrssKb: 1000, stderrTail: '',
    attempts: attemptStates.map((s, i) => ({ attempt: i + 1, workerId: 0, startMs: 0, endMs: 100, state: s, speculative: false, exitCode: null, signal: null, timeoutMs: null, utimeMs: null, stimeMs: null, rtimeMs: null })),
    retries: 0,
  };
}

function record(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    schema: 'chunkbench.run/1',
    state: 'ok',
    startedAt: '2025-01-01T00:00:00.000Z',
    config: {
      input: 'tiny.mp4', mode: 'chunked', workers: 2, segmentSeconds: 1, split: 'exact', codec: 'libx264', preset: 'veryfast', crf: 23, filter: 'none', filterGraph: '', filterKeepsFrames: true, filterKeepsSize: true,
      threads: 1, retries: 0, chunkTimeoutMs: null, timeoutFactor: 10, speculate: 0, injectFaults: 0, injectStalls: 0, faultSeed: 1, executor: 'local',
    },
    binaries: { ffmpeg: binary, ffprobe: { ...binary, path: '/usr/bin/ffprobe' } },
    source: null,
    segments: [0, 1, 2, 3].map(segment),
    chunks: [0, 1, 2, 3].map((i) => chunk(i, 'ok')),
    phases: { probeMs: 40, splitMs: 10, processMs: 900, mergeMs: 50, verifyMs: 120 },
    wallMs: 1000,
    ffmpegCpuMs: 1800,
    harnessOverheadMs: 20,
    output: { path: null, bytes: 2_000_000 },
    verification: { ok: true, checks: [] },
    ...overrides,
  };
}

const lines = (text: string) => text.trimEnd().split('\n');

describe('formatRun: a finished run', () => {
  it('shows every phase with its share of the wall time, then the output', () => {
    const text = formatRun(record());
    expect(text).toMatch(/^phase\s+wall ms\s+share$/m);
    expect(text).toMatch(/^probe\s+40\s+4\.0%$/m);
    expect(text).toMatch(/^process\s+900\s+90\.0%$/m);
    expect(text).toMatch(/^verify\s+120\s+—$/m);
    expect(text).toMatch(/^wall\s+1000\s+100%\s+\(probe \+ split \+ process \+ merge; verify is not part of it\)$/m);
    expect(text).toMatch(/^ffmpeg CPU 1\.80 s \(1\.80 cores busy on average\)/m);
    expect(text).not.toMatch(/FAILED|^chunks:/m);
    expect(lines(text).at(-2)).toBe('output: discarded (pass --out FILE to keep it) (2.00 MB)');
  });
});

describe('formatRun: --segment auto', () => {
  const choice = chooseSegment({ durationSeconds: 4, workers: 2, costs: { workSecondsPerVideoSecond: 0.3, perChunkSeconds: 0.3, chunkCv: 0.1, serialSecondsPerChunk: 0, from: 'a test' } });
  const auto = (overrides: Partial<RunRecord> = {}) => record({ config: { ...record().config, segmentSeconds: 'auto' }, segments: [0, 1].map(segment), chunks: [0, 1].map((i) => chunk(i, 'ok')), segmentChoice: choice, ...overrides });

  it('prints the length auto chose, the reason and the model inputs', () => {
    const text = formatRun(auto());
    expect(text).toMatch(/^chunked: 2 worker\(s\), 2 chunk\(s\) \(exact split, auto: 2 s\),/m);
    expect(text).toContain(`segment auto: ${choice.reason}`);
    expect(text).toMatch(/^  model: D = 4\.00 s, W = 2, c = 0\.300 s of work per s of video, o = 300 ms per chunk, σ = 0\.100, merge 0\.0 ms per chunk, z_W = 0\.564; optimum 0\.\d+ waves \(a test\)$/m);
    expect(text).not.toMatch(/NaN|undefined|the split planned/);
  });

  it('says when the split planned other chunks than chosen, and prints plain auto for a run that never chose', () => {
    expect(formatRun(auto({ segments: [segment(0)], chunks: [chunk(0, 'ok')] }))).toMatch(/^  the split planned 1 chunk\(s\), not 2: cuts snap to the source's frames and keyframes$/m);
    const { segmentChoice: _, ...unchosen } = auto({ state: 'failed', error: { stage: 'probe', message: 'no' }, segments: [], chunks: [] });
    expect(formatRun(unchosen as RunRecord)).toMatch(/\(exact split, auto\)/);
  });
});

describe('formatRun: a failed run', () => {
  // as runPipeline leaves it when a chunk fails: the wall time, CPU and overhead are never taken
  const failedInProcess = record({
    state: 'failed',
    error: { stage: 'process', message: 'chunk 1 (1.000–2.000 s) failed: wrote 29 frames, expected 30' },
    chunks: [chunk(0, 'ok'), chunk(1, 'failed'), chunk(2, 'failed', ['cancelled'])],
    phases: { probeMs: 41.2, splitMs: 12.4, processMs: 2034.3, mergeMs: 0, verifyMs: 0 },
    wallMs: 0,
    ffmpegCpuMs: 0,
    harnessOverheadMs: 0,
    output: null,
    verification: null,
  });

  it('lists the phases that ran and for how long, with no share column and no wall time', () => {
    const text = formatRun(failedInProcess);
    expect(text).not.toMatch(/%|\bshare\b|^wall\s/m);
    expect(text).toMatch(/^phase\s+wall ms$/m);
    expect(text).toMatch(/^probe\s+41$/m);
    expect(text).toMatch(/^split\s+12$/m);
    expect(text).toMatch(/^process\s+2034   failed here$/m);
    expect(text).not.toMatch(/^(merge|verify)\s/m);
    expect(text).toMatch(/^total\s+2088   \(until the failure; a failed run has no wall time, so no shares\)$/m);
  });

  it('says what became of the chunks, and leaves out the CPU figures it does not have', () => {
    const text = formatRun(failedInProcess);
    expect(text).toMatch(/^chunks: 1 of 4 done, 1 failed, 1 stopped, 1 not started$/m);
    expect(text).not.toMatch(/ffmpeg CPU|cores busy|^output:/m);
  });

  it('ends with the error', () => {
    const text = formatRun(failedInProcess);
    expect(lines(text).at(-1)).toBe('run FAILED in process: chunk 1 (1.000–2.000 s) failed: wrote 29 frames, expected 30');
    expect(lines(text).at(-2)).toBe('ffmpeg: ffmpeg version 7 (PATH: /usr/bin/ffmpeg)');
  });

  it('shows a failed stage whose time was never taken as —', () => {
    const text = formatRun(record({ ...failedInProcess, error: { stage: 'split', message: 'the segment muxer failed' }, chunks: [], phases: { probeMs: 40, splitMs: 0, processMs: 0, mergeMs: 0, verifyMs: 0 } }));
    expect(text).toMatch(/^split\s+—   failed here$/m);
    expect(text).not.toMatch(/^process\s/m);
    expect(text).toMatch(/^total\s+40\s/m);
    expect(text).toMatch(/^chunks: 0 of 4 done, 0 failed, 0 stopped, 4 not started$/m);
  });

  it('a single-mode run that failed lists probe and process only, and no chunk tally', () => {
    const single = record({ ...failedInProcess, config: { ...failedInProcess.config, mode: 'single' }, segments: [segment(0)], chunks: [chunk(0, 'failed')], phases: { probeMs: 40, splitMs: 0, processMs: 300, mergeMs: 0, verifyMs: 0 } });
    const text = formatRun(single);
    expect(text).toMatch(/^probe\s+40$/m);
    expect(text).toMatch(/^process\s+300   failed here$/m);
    expect(text).not.toMatch(/^(split|merge)\s|^chunks:/m);
  });

  it('a run that failed verification has a wall time: shares stay, the checks and then the error come last', () => {
    const text = formatRun(record({
      state: 'failed',
      error: { stage: 'verify', message: 'verification failed: frame-count: 119 frames, expected 120' },
      output: null,
      verification: { ok: false, checks: [{ name: 'frame-count', ok: false, expected: 120, actual: 119, tolerance: 0, message: '119 frames, expected 120' }] },
    }));
    expect(text).toMatch(/^process\s+900\s+90\.0%$/m);
    expect(text).toMatch(/^wall\s+1000\s+100%/m);
    expect(text).toMatch(/^chunks: 4 of 4 done, 0 failed, 0 stopped$/m);
    const tail = lines(text).slice(-4);
    expect(tail).toEqual([
      'verification: FAILED',
      '  ✗ frame-count: 119 frames, expected 120',
      'ffmpeg: ffmpeg version 7 (PATH: /usr/bin/ffmpeg)',
      'run FAILED in verify: verification failed: frame-count: 119 frames, expected 120',
    ]);
  });
});

describe('harnessCpuLine', () => {
  it('splits the harness CPU at the runs’ wall times: inside is the pipeline’s coordination, outside the instrument’s', () => {
    const line = harnessCpuLine({ elapsedMs: 600_000, harnessCpuMs: 7_200, spawnerCpuMs: 1_200, insideRunsCpuMs: 3_000 }, 720_000);
    expect(line).toBe(
      'harness CPU 7.20 s (its spawner 1.20 s) = 1.20% of 10.0 min elapsed, 1.00% of ffmpeg\'s CPU\n' +
        '  of which 0.70% outside the runs\' wall times (verifying, recording, scheduling, the ceiling) and 0.50% inside them (the pipeline probing, starting its ffmpegs and merging: part of what each wall time measures)',
    );
  });
  it('gives the total alone for a session stored before the split was recorded, and no share of an ffmpeg CPU of 0', () => {
    expect(harnessCpuLine({ elapsedMs: 60_000, harnessCpuMs: 600 }, 0)).toBe('harness CPU 0.60 s (its spawner 0.00 s) = 1.00% of 1.0 min elapsed');
  });
});
