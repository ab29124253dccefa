// One pipeline run: probe → split → process → merge → verify, in its own temp directory, returning one
// serialisable record whether it succeeded or not. Bad input throws (ChunkbenchError) before any work
// starts; a stage that fails later makes a `failed` record naming the stage, so a grid never loses the rest.
//
// wallMs is the time to produce the output: the phases the mode needs. Chunked modes need the probe (to
// plan the chunks), split, process and merge; single modes need only their one ffmpeg. Verification is a
// check of the result, timed separately and never part of a speedup.
import { availableParallelism } from 'node:os';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { resolveBinaries, type Binaries } from '../ffmpeg/binaries.ts';
import { runProcess, type ProcessOutcome } from '../ffmpeg/exec.ts';
import { localExecutor } from '../executors/local.ts';
import type { ChunkExecutor } from '../executors/types.ts';
import { chunkTask, wholeFileArgs, type ChunkInput } from './commands.ts';
import { defaultExtension } from './encode.ts';
import { checkFilterGraph } from './filters.ts';
import { runMerge } from './merge.ts';
import { resolveOptions } from './options.ts';
import { fileBytes, runPool, toChunkRecord } from './process.ts';
import { probe, type Probe } from './probe.ts';
import { exactSeekSeconds, planSegments, runCopySplit } from './split.ts';
import type { ChunkRecord, PhaseTimes, PipelineOptions, ResolvedPipelineOptions, RunRecord, Segment } from './types.ts';
import { firstFailure, verifyOutput } from './verify.ts';

/** Injectable side effects: where chunks run, the binaries, cancellation, progress. */
export interface RunDeps {
  binaries?: Binaries;
  executor?: ChunkExecutor;
  signal?: AbortSignal;
  cores?: number;
  onChunk?: (record: ChunkRecord) => void;
}

/** CHUNKBENCH_CRIPPLE_POOL=1 makes the pool run one chunk at a time while the record still says N workers:
 * a deliberate, hidden loss of parallelism, for showing that the CI check catches one. */
function crippledPool(): boolean {
  return process.env.CHUNKBENCH_CRIPPLE_POOL === '1';
}

class StageError extends Error {
  constructor(readonly stage: string, message: string) {
    super(message);
  }
}

const cpuMs = (outcome: ProcessOutcome | ChunkRecord | undefined): number =>
  outcome === undefined ? 0 : 'bench' in outcome ? (outcome.bench ? outcome.bench.utimeMs + outcome.bench.stimeMs : 0) : (outcome.utimeMs ?? 0) + (outcome.stimeMs ?? 0);

/** Resolves options, then runs; the convenience entry for the CLI and tests. */
export async function pipeline(options: PipelineOptions, deps: RunDeps = {}): Promise<RunRecord> {
  return runPipeline(await resolveOptions(options), deps);
}

/** Runs one pipeline with resolved options; returns a record (state ok or failed). */
export async function runPipeline(options: ResolvedPipelineOptions, deps: RunDeps = {}): Promise<RunRecord> {
  const binaries = deps.binaries ?? (await resolveBinaries());
  const executor = deps.executor ?? localExecutor(binaries);
  const cores = deps.cores ?? availableParallelism();
  await checkFilterGraph(binaries, options.filter, options.filterGraph);

  const startedAt = new Date().toISOString();
  const phases: PhaseTimes = { probeMs: 0, splitMs: 0, processMs: 0, mergeMs: 0, verifyMs: 0 };
  let t = performance.now();
  const source = await probe(binaries, options.input); // throws ChunkbenchError for unusable input
  phases.probeMs = performance.now() - t;

  const { workDir: _w, keep: _k, out: _o, ...config } = options;
  const record: RunRecord = {
    schema: 'chunkbench.run/1',
    state: 'ok',
    startedAt,
    config: { ...config, executor: executor.name },
    binaries,
    source: source.summary,
    segments: [],
    chunks: [],
    phases,
    wallMs: 0,
    ffmpegCpuMs: 0,
    harnessOverheadMs: 0,
    output: null,
    verification: null,
  };

  const tempDir = mkdtempSync(join(options.workDir, 'chunkbench-'));
  const finalOutput = options.out;
  // write next to the final path and rename at the end, so a failed run never leaves a half-written file
  const output = finalOutput
    ? join(dirname(finalOutput), `.${basename(finalOutput, extname(finalOutput))}.partial-${process.pid}${extname(finalOutput)}`)
    : join(tempDir, `output.${defaultExtension(options.codec)}`);
  let ok = false;
  try {
    const outcomes = options.mode === 'single' || options.mode === 'single-mt'
      ? await runWhole(binaries, source, options, output, cores, record, deps)
      : await runChunked(binaries, executor, source, options, output, tempDir, cores, record, deps);
    record.ffmpegCpuMs = outcomes.reduce((sum, o) => sum + cpuMs(o), 0) + record.chunks.reduce((sum, c) => sum + cpuMs(c), 0);
    record.harnessOverheadMs = record.chunks.reduce((sum, c) => sum + (c.rtimeMs === null ? 0 : c.spawnToExitMs - c.rtimeMs), 0);
    record.wallMs = options.mode === 'single' || options.mode === 'single-mt' ? phases.processMs : phases.probeMs + phases.splitMs + phases.processMs + phases.mergeMs;

    t = performance.now();
    record.verification = await verifyOutput(binaries, source, output, options.filterKeepsFrames);
    phases.verifyMs = performance.now() - t;
    const failure = firstFailure(record.verification);
    if (failure) throw new StageError('verify', `verification failed: ${failure}`);
    if (finalOutput) renameSync(output, finalOutput);
    record.output = { path: finalOutput, bytes: fileBytes(finalOutput ?? output) };
    ok = true;
  } catch (error) {
    if (!(error instanceof StageError)) throw error;
    record.state = 'failed';
    record.error = { stage: error.stage, message: error.message };
  } finally {
    if (!ok && finalOutput) rmSync(output, { force: true });
    if (!options.keep) rmSync(tempDir, { recursive: true, force: true });
  }
  return record;
}

async function runWhole(binaries: Binaries, source: Probe, options: ResolvedPipelineOptions, output: string, cores: number, record: RunRecord, deps: RunDeps): Promise<ProcessOutcome[]> {
  const segment: Segment = { index: 0, startFrame: 0, frameCount: source.summary.frameCount, startSeconds: 0, durationSeconds: source.videoDurationSeconds, inputBytes: source.summary.sizeBytes };
  record.segments = [segment];
  const threads = options.mode === 'single-mt' ? 'auto' : options.threads;
  const args = wholeFileArgs(options.input, source.summary.audioCodec, output, options, threads, cores);
  const started = performance.now();
  const outcome = await runProcess(binaries.ffmpeg.path, args, { signal: deps.signal });
  record.phases.processMs = performance.now() - started;
  const task = { index: 0, args, outputPath: output, expectedFrames: options.filterKeepsFrames ? segment.frameCount : null, durationSeconds: segment.durationSeconds };
  const chunk = toChunkRecord(task, segment, outcome, 0, 0, record.phases.processMs);
  record.chunks = [chunk];
  deps.onChunk?.(chunk);
  if (chunk.error) throw new StageError('process', chunk.error);
  return [];
}

async function runChunked(
  binaries: Binaries,
  executor: ChunkExecutor,
  source: Probe,
  options: ResolvedPipelineOptions,
  output: string,
  tempDir: string,
  cores: number,
  record: RunRecord,
  deps: RunDeps,
): Promise<ProcessOutcome[]> {
  const outcomes: ProcessOutcome[] = [];
  let t = performance.now();
  const segments = planSegments(source.video, options.segmentSeconds, options.split);
  record.segments = segments;
  let inputs: ChunkInput[];
  if (options.split === 'copy') {
    const split = await runCopySplit(binaries, options.input, segments, source.video, tempDir, deps.signal);
    outcomes.push(split.outcome);
    if (split.error) throw new StageError('split', split.error);
    // stream copy also carries packets an edit list hides, so copy chunks are held to their planned frames too
    inputs = split.files.map((path) => ({ path, seekSeconds: null, limitFrames: true }));
  } else {
    inputs = segments.map((s) => ({ path: options.input, seekSeconds: exactSeekSeconds(source.video, s.startFrame), limitFrames: true }));
  }
  record.phases.splitMs = performance.now() - t;

  t = performance.now();
  const tasks = segments.map((segment, i) => chunkTask(segment, inputs[i] as ChunkInput, options, tempDir, cores));
  record.chunks = await runPool(tasks, segments, { workers: crippledPool() ? 1 : options.workers, executor, originMs: t, signal: deps.signal, onChunk: deps.onChunk });
  record.phases.processMs = performance.now() - t;
  const failed = record.chunks.find((c) => c.state === 'failed');
  if (failed) throw new StageError('process', failed.error ?? `chunk ${failed.index} failed`);
  if (record.chunks.length !== tasks.length) throw new StageError('process', `only ${record.chunks.length} of ${tasks.length} chunks ran`);

  t = performance.now();
  const merge = await runMerge(binaries, tasks.map((task) => task.outputPath), options.input, source.summary.audioCodec, output, tempDir, deps.signal);
  outcomes.push(merge.outcome);
  record.phases.mergeMs = performance.now() - t;
  if (merge.error) throw new StageError('merge', merge.error);
  return outcomes;
}
