// Stored runs of the committed `faults` and `queue` grids, built by hand with plausible timings, so that
// the browser test can look at the sections the sample run does not have (what a failure costs, the task
// queue) without measuring anything. Their numbers are made up and the test only checks how they are
// drawn; the real runs of those grids are checked with $CHUNKBENCH_REPORT_RUNS.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { centreConfig, expandGrid, type GridConfig } from '../../src/grid/expand.ts';
import { loadGrid } from '../../src/grid/load.ts';

const VIDEO_SECONDS = 60;

/** A deterministic ±4% wobble per configuration and round. */
const noise = (c: GridConfig, round: number) => 1 + 0.04 * Math.sin(round * 12.9898 + c.id.charCodeAt(0) * 78.233 + c.id.charCodeAt(1));

function wallMs(c: GridConfig, round: number): number {
  const segment = typeof c.segmentSeconds === 'number' ? c.segmentSeconds : 10;
  let ms = 2400 + 1800 / segment; // fixed per-chunk costs grow as segments shrink
  ms *= 1 + 0.8 * (c.injectFaults ?? 0);
  if ((c.injectStalls ?? 0) > 0) ms *= c.speculate ? 1.15 : 1.5;
  if (c.executor === 'queue') ms *= c.transport === 'http' ? 1.1 : 1.05;
  return ms * noise(c, round);
}

function record(c: GridConfig, ms: number): object {
  const segment = typeof c.segmentSeconds === 'number' ? c.segmentSeconds : 10;
  const n = Math.ceil(VIDEO_SECONDS / segment);
  const processMs = ms * 0.95;
  const per = processMs / Math.ceil(n / c.workers);
  const killed = Math.round((c.injectFaults ?? 0) * n);
  const chunks = Array.from({ length: n }, (_, i) => {
    const startMs = Math.floor(i / c.workers) * per;
    const endMs = startMs + per;
    const ok = { attempt: 1, workerId: i % c.workers, startMs, endMs, state: 'ok', speculative: false, exitCode: 0, signal: null, timeoutMs: null, utimeMs: per, stimeMs: 1, rtimeMs: per };
    const attempts = i < killed
      ? [{ ...ok, endMs: startMs + per / 3, state: 'failed', reason: 'killed by SIGKILL', exitCode: null, signal: 'SIGKILL', fault: { kind: 'kill', afterMs: per / 3, fired: true } }, { ...ok, attempt: 2, workerId: (i + 1) % c.workers }]
      : i === 0 && (c.injectStalls ?? 0) > 0
        ? [{ ...ok, state: c.speculate ? 'cancelled' : 'failed', reason: c.speculate ? 'another attempt won' : 'timed out after 3000 ms', fault: { kind: 'stall', afterMs: 10, fired: true } }, { ...ok, attempt: 2, speculative: Boolean(c.speculate) }]
        : [ok];
    return { index: i, state: 'ok', workerId: i % c.workers, startMs, endMs, startFrame: i * segment * 30, frameCount: segment * 30, framesOut: segment * 30, durationSeconds: segment, inputBytes: 1e5, outputBytes: 8e4, exitCode: 0, signal: null, spawnToExitMs: per, utimeMs: per, stimeMs: 1, rtimeMs: per, maxrssKb: 40000, stderrTail: '', attempts, retries: i < killed ? 1 : 0, ...(c.executor === 'queue' ? { queueWaitMs: 4 + (i % 3) } : {}) };
  });
  return {
    schema: 'chunkbench.run/1', state: 'ok', startedAt: '2026-11-30T00:00:00Z', config: {}, binaries: {}, source: null,
    segments: chunks.map((ch) => ({ frameCount: ch.frameCount, leadInFrames: 0 })),
    chunks,
    phases: { probeMs: ms * 0.01, splitMs: 0, processMs, mergeMs: ms * 0.04, verifyMs: 300 },
    wallMs: ms, ffmpegCpuMs: processMs * c.workers * 0.92, harnessOverheadMs: n * 3, output: { path: null, bytes: n * 8e4 }, verification: { ok: true, checks: [] },
  };
}

/** Writes meta.json and results.jsonl of a made-up run of the named grid into `dir`; returns `dir`. */
export function writeSyntheticRun(gridName: 'faults' | 'queue', dir: string): string {
  const { grid } = loadGrid(gridName);
  const configs = expandGrid(grid);
  mkdirSync(dir, { recursive: true });
  const meta = {
    schema: 'chunkbench.meta/1', runId: `synthetic-${gridName}`, grid, gridFile: `experiments/${gridName}.json`, gridHash: 'synthetic', seed: grid.seed, configs,
    machine: { cpuModel: 'synthetic', cores: 2, memoryBytes: 2 ** 34, os: 'linux', node: 'v20' },
    binaries: { ffmpeg: { path: 'ffmpeg', source: 'synthetic', version: 'ffmpeg version synthetic' }, ffprobe: { path: 'ffprobe', source: 'synthetic', version: 'ffprobe version synthetic' } },
    commit: null, startedAt: '2026-11-30T00:00:00Z', endedAt: null, scheduledRuns: configs.length * grid.repeats, centreId: centreConfig(grid).id,
  };
  writeFileSync(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  let seq = 0;
  const lines: string[] = [];
  for (let round = 0; round < grid.repeats; round++) {
    for (const c of configs) {
      const ms = wallMs(c, round);
      lines.push(JSON.stringify({ schema: 'chunkbench.result/1', seq: seq++, round, warmup: false, configId: c.id, label: c.label, state: 'ok', wallMs: ms, record: record(c, ms) }));
    }
  }
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}
