// The machine's own ceiling, measured in every round of every grid: N copies of one representative chunk's
// ffmpeg at once against one copy alone, back to back. ceiling(N) = N · alone / together estimates what an
// N-way split of this work could gain on this machine at that moment (what N ffmpegs lose to each other:
// shared caches, memory bandwidth, a shared VM's neighbours). It is one short measurement: a round's value
// is noisy and can exceed N by chance; its mean over the rounds is the figure to read. It is measured on
// the centre's chunk, so for configurations doing other work (another preset, filter or segment length)
// the share of it is an approximation. On the 2-core VM it swings from 1.4 to 2.0
// within a minute, so a speedup is read against the ceiling of its own rounds: "1.42× of a possible 1.46×"
// and "1.42× of a possible 1.98×" are different findings.
//
// The representative chunk is the longest chunk of the grid's centre configuration (its `fixed` settings),
// cut exactly from the source; its ffmpeg runs with the centre's preset, filter and thread limit. A round's
// ceiling run is one schedule entry, interleaved with the configurations like any of them.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Binaries } from '../ffmpeg/binaries.ts';
import { describeFailure, runProcess, spawnerReady, succeeded } from '../ffmpeg/exec.ts';
import type { GridConfig } from '../grid/expand.ts';
import { chunkTask } from '../pipeline/commands.ts';
import { resolveOptions } from '../pipeline/options.ts';
import { probe } from '../pipeline/probe.ts';
import { resolveSegmentSeconds } from '../pipeline/segmentAuto.ts';
import { exactChunkInput, planSegments } from '../pipeline/split.ts';
import { createWorkDir, removeWorkDir } from '../pipeline/workdirs.ts';
import type { ScheduledRun } from './schedule.ts';
import { resolveInput, resolveWorkDir } from './setup.ts';

/** What meta.json records about the ceiling runs of a grid. */
export interface CeilingPlan {
  /** The N of each ceiling measured (2 … min(cores, most workers the grid uses)). */
  workers: number[];
  /** The configuration whose chunk is run, and which chunk. */
  configId: string;
  chunkIndex: number;
  chunkSeconds: number;
  chunkFrames: number;
  /** The chunk's ffmpeg arguments, output path last. */
  args: string[];
}

/** One line of results.jsonl for a ceiling run. */
export interface CeilingLine {
  schema: 'chunkbench.ceiling/1';
  seq: number;
  round: number;
  warmup: boolean;
  configId: string;
  label: string;
  workers: number;
  state: 'ok' | 'failed';
  aloneMs: number;
  togetherMs: number;
  /** workers · aloneMs / togetherMs. */
  ceiling: number;
  error?: string;
}

/** The schedule id of the N-way ceiling. */
export const ceilingId = (workers: number): string => `ceiling-w${workers}`;

/** N for "ceiling-wN", or null for a configuration id. */
export function ceilingWorkers(configId: string): number | null {
  const match = /^ceiling-w(\d+)$/.exec(configId);
  return match ? Number(match[1]) : null;
}

/** The ceilings worth measuring: 2 … the most processes any configuration runs at once, within the cores. */
export function ceilingCounts(configs: GridConfig[], cores: number): number[] {
  const widest = Math.max(1, ...configs.map((c) => (c.mode === 'chunked' ? c.workers : c.mode === 'single-mt' ? cores : 1)));
  return Array.from({ length: Math.max(0, Math.min(widest, cores) - 1) }, (_, i) => i + 2);
}

/** Plans the ceiling runs for a grid's centre configuration (probes its input once). Null when there is
 * nothing to measure (one core, or no configuration runs more than one process). */
export async function planCeiling(centre: GridConfig, configs: GridConfig[], binaries: Binaries, cores = availableParallelism(), grid?: string): Promise<CeilingPlan | null> {
  const workers = ceilingCounts(configs, cores);
  if (!workers.length) return null;
  const input = await resolveInput(centre.input, grid);
  const options = await resolveOptions({
    input,
    mode: 'chunked',
    workers: 2,
    segmentSeconds: centre.segmentSeconds ?? undefined,
    split: 'exact',
    codec: centre.codec,
    preset: centre.preset,
    filter: centre.filter,
    threads: centre.threads === 0 ? 1 : centre.threads,
    crf: centre.crf ?? undefined,
  });
  const source = await probe(binaries, input);
  // a centre with `segment: auto` runs the chunks auto chooses for its own worker count
  const { segmentSeconds } = resolveSegmentSeconds(options.segmentSeconds, source.videoDurationSeconds, centre.workers);
  const segments = planSegments(source.video, segmentSeconds, 'exact', source.summary.container);
  const longest = [...segments].sort((a, b) => b.frameCount - a.frameCount)[0];
  if (!longest) return null;
  const task = chunkTask(longest, exactChunkInput(input, source.video, source.summary.container, longest, source.formatStartSeconds), options, '.', cores);
  return { workers, configId: centre.id, chunkIndex: longest.index, chunkSeconds: longest.durationSeconds, chunkFrames: longest.frameCount, args: task.args };
}

/** The plan's arguments writing to `output` instead. */
function argsTo(plan: CeilingPlan, output: string): string[] {
  return [...plan.args.slice(0, -1), output];
}

/** One ceiling run: the chunk alone, then `workers` copies at once, in a private work dir. */
export async function measureCeiling(plan: CeilingPlan, workers: number, run: ScheduledRun, binaries: Binaries, workDir: string, signal?: AbortSignal): Promise<CeilingLine> {
  await spawnerReady(); // its start-up is not the chunk's
  const dir = createWorkDir(resolveWorkDir(workDir));
  const base = { schema: 'chunkbench.ceiling/1' as const, ...run, label: `ceiling w${workers}`, workers };
  try {
    const alone = await runProcess(binaries.ffmpeg.path, argsTo(plan, join(dir, 'alone.mp4')), signal ? { signal } : {});
    if (!succeeded(alone)) return { ...base, state: 'failed', aloneMs: 0, togetherMs: 0, ceiling: 0, error: `the chunk alone: ${describeFailure(alone)}` };
    const started = performance.now();
    const copies = await Promise.all(Array.from({ length: workers }, (_, i) => runProcess(binaries.ffmpeg.path, argsTo(plan, join(dir, `copy${i}.mp4`)), signal ? { signal } : {})));
    const togetherMs = performance.now() - started;
    const failed = copies.find((c) => !succeeded(c));
    if (failed) return { ...base, state: 'failed', aloneMs: alone.spawnToExitMs, togetherMs: 0, ceiling: 0, error: `${workers} copies at once: ${describeFailure(failed)}` };
    return { ...base, state: 'ok', aloneMs: alone.spawnToExitMs, togetherMs, ceiling: (workers * alone.spawnToExitMs) / togetherMs };
  } finally {
    removeWorkDir(dir);
  }
}
