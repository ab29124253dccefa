// One pipeline run: probe → split → process → merge → verify, in its own temp directory, returning one
// serialisable record whether it succeeded or not. Bad input throws (ChunkbenchError) before any work
// starts; a stage that fails later makes a `failed` record naming the stage, so a grid never loses the rest.
//
// wallMs is the time to produce the output: the phases the mode needs. Chunked modes need the probe (to
// plan the chunks), split, process and merge; single modes need only their one ffmpeg. Verification is a
// check of the result, timed separately and never part of a speedup.
import { availableParallelism } from 'node:os';
import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { DiskFullError, isDiskFull } from '../errors.ts';
import { resolveBinaries, type Binaries } from '../ffmpeg/binaries.ts';
import { runProcess, spawnerReady, type ProcessOutcome } from '../ffmpeg/exec.ts';
import { harnessCpuUs } from '../ffmpeg/spawner.ts';
import { localExecutor } from '../executors/local.ts';
import type { ChunkExecutor } from '../executors/types.ts';
import { chunkTask, uprightFilter, wholeFileArgs, type ChunkInput } from './commands.ts';
import { defaultExtension } from './encode.ts';
import { checkFilterGraph } from './filters.ts';
import { runMerge } from './merge.ts';
import { resolveOptions } from './options.ts';
import { chunkRecord, failureOf, fileBytes } from './attempts.ts';
import { crippleFraction, serialSectionMs } from './cripple.ts';
import { secondsPerFrame } from './cost.ts';
import { runPool } from './process.ts';
import { probe, type Probe } from './probe.ts';
import { copySplitNote, exactChunkInput, planSegments, runCopySplit } from './split.ts';
import type { ChunkRecord, PhaseTimes, PipelineOptions, ResolvedPipelineOptions, RunRecord, Segment } from './types.ts';
import { firstFailure, verifyOutput } from './verify.ts';
import { measureQuality, type QualityRecord } from '../quality/measure.ts';
import { createWorkDir, removeWorkDir } from './workdirs.ts';
import { resolveSegmentSeconds, type SegmentCosts } from './segmentAuto.ts';

/** Injectable side effects: where chunks run, the binaries, cancellation, progress. */
export interface RunDeps {
  binaries?: Binaries;
  executor?: ChunkExecutor;
  signal?: AbortSignal;
  cores?: number;
  onChunk?: (record: ChunkRecord) => void;
  /** What `--segment auto` knows of a chunk's cost: a cost model fitted to earlier runs
   * (segmentCostsFromModel); default the sample run's (segmentAuto.ts DEFAULT_SEGMENT_COSTS). */
  segmentCosts?: SegmentCosts;
}


class StageError extends Error {
  constructor(readonly stage: string, message: string, readonly stderr = '') {
    super(message);
  }
}

/** The output's quality against the source (quality/measure.ts); a failure to measure fails the run at the
 * stage 'quality', so a record never claims a quality it does not have. */
async function outputQuality(binaries: Binaries, source: Probe, output: string): Promise<QualityRecord> {
  try {
    return await measureQuality(binaries, { output, source: source.summary.path, sourceSize: { width: source.summary.width, height: source.summary.height }, durationSeconds: source.summary.durationSeconds });
  } catch (error) {
    throw new StageError('quality', (error as Error).message);
  }
}

/** A full disk is named by where it filled up: the work directory, or the output's directory. */
function diskFull(stage: string, options: ResolvedPipelineOptions): DiskFullError {
  const where = stage === 'merge' && options.out ? `--out ${options.out}: directory ${dirname(options.out)}` : `--work-dir ${options.workDir}`;
  return new DiskFullError(`${where}: disk full (No space left on device) during ${stage}; free space there or choose another ${stage === 'merge' && options.out ? 'output path' : 'work directory (--work-dir)'}`);
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
  await spawnerReady(); // its start-up is not the pipeline's

  const startedAt = new Date().toISOString();
  const phases: PhaseTimes = { probeMs: 0, splitMs: 0, processMs: 0, mergeMs: 0, verifyMs: 0 };
  let t = performance.now();
  const cpuAtStartUs = harnessCpuUs();
  const source = await probe(binaries, options.input); // throws ChunkbenchError for unusable input
  phases.probeMs = performance.now() - t;
  // a single encode's wall time is its one ffmpeg: the probe before it is not inside it
  const cpuAtWallStartUs = options.mode === 'single' || options.mode === 'single-mt' ? harnessCpuUs() : cpuAtStartUs;

  const { workDir: _w, keep: _k, out: _o, quality: _q, ...config } = options;
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

  // (a run killed with SIGKILL could not clean up: createWorkDir sweeps its directory)
  const tempDir = createWorkDir(options.workDir);
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
    record.coordinatorCpuMs = (harnessCpuUs() - cpuAtWallStartUs) / 1000;

    t = performance.now();
    record.verification = await verifyOutput(binaries, source, output, options.filterKeepsFrames, options.filterKeepsSize);
    phases.verifyMs = performance.now() - t;
    const failure = firstFailure(record.verification);
    if (failure) throw new StageError('verify', `verification failed: ${failure}`);
    if (options.quality) record.quality = await outputQuality(binaries, source, output);
    if (finalOutput) renameSync(output, finalOutput);
    record.output = { path: finalOutput, bytes: fileBytes(finalOutput ?? output) };
    ok = true;
  } catch (error) {
    if (isDiskFull(error, error instanceof StageError ? error.stderr : '')) throw diskFull(error instanceof StageError ? error.stage : 'process', options);
    if (!(error instanceof StageError)) throw error;
    record.state = 'failed';
    record.error = { stage: error.stage, message: error.message };
  } finally {
    if (!ok && finalOutput) rmSync(output, { force: true });
    removeWorkDir(tempDir, options.keep);
  }
  return record;
}

async function runWhole(binaries: Binaries, source: Probe, options: ResolvedPipelineOptions, output: string, cores: number, record: RunRecord, deps: RunDeps): Promise<ProcessOutcome[]> {
  const segment: Segment = { index: 0, startFrame: 0, frameCount: source.summary.frameCount, startSeconds: 0, durationSeconds: source.videoDurationSeconds, inputBytes: source.summary.sizeBytes, leadInFrames: 0 };
  record.segments = [segment];
  const threads = options.mode === 'single-mt' ? 'auto' : options.threads;
  const args = wholeFileArgs(options.input, source.summary.audioCodec, output, options, threads, cores);
  const started = performance.now();
  const outcome = await runProcess(binaries.ffmpeg.path, args, { signal: deps.signal, killSignal: 'SIGKILL' });
  record.phases.processMs = performance.now() - started;
  const task = { index: 0, args, outputPath: output, expectedFrames: options.filterKeepsFrames ? segment.frameCount : null, durationSeconds: segment.durationSeconds };
  // the baselines are one ffmpeg each: no retries, no injected faults
  const attempt = { attempt: 1, workerId: 0, speculative: false, startMs: 0, endMs: record.phases.processMs, timeoutMs: null, outputPath: output, outcome, ...(deps.signal?.aborted ? { stopped: 'interrupted' as const } : {}) };
  const chunk = chunkRecord(task, segment, [attempt], failureOf(task, attempt) || attempt.stopped ? null : attempt, 0);
  record.chunks = [chunk];
  deps.onChunk?.(chunk);
  if (chunk.error) throw new StageError('process', chunk.error, chunk.stderrTail);
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
  // `--segment auto`: the length is chosen now that the video's length is known, and the record says why
  const { segmentSeconds, choice } = resolveSegmentSeconds(options.segmentSeconds, source.videoDurationSeconds, options.workers, deps.segmentCosts);
  if (choice) record.segmentChoice = choice;
  const segments = planSegments(source.video, segmentSeconds, options.split, source.summary.container);
  record.segments = segments;
  const note = options.split === 'copy' ? copySplitNote(source.video) : null;
  if (note) record.splitNote = note;
  let inputs: ChunkInput[];
  if (options.split === 'copy') {
    const split = await runCopySplit(binaries, options.input, segments, source.video, tempDir, deps.signal);
    outcomes.push(split.outcome);
    if (split.error) throw new StageError('split', split.error, split.outcome.stderrTail);
    // stream copy also carries packets an edit list hides, so copy chunks are held to their planned frames too
    // and the first segment starts with the packets an edit list hid: decoded, then dropped
    const hidden = source.video.hiddenBefore ?? 0;
    // and no display rotation: the chunks turn the pictures upright as ffmpeg does when it reads the source
    const upright = uprightFilter(source.summary.rotationDegrees ?? 0);
    inputs = split.files.map((path, i) => ({ path, seekSeconds: null, limitFrames: true, ...(i === 0 && hidden ? { dropFirstFrames: hidden } : {}), ...(upright ? { upright } : {}) }));
  } else {
    inputs = segments.map((s) => exactChunkInput(options.input, source.video, source.summary.container, s, source.formatStartSeconds));
  }
  record.phases.splitMs = performance.now() - t;

  t = performance.now();
  const tasks = segments.map((segment, i) => chunkTask(segment, inputs[i] as ChunkInput, options, tempDir, cores));
  const faults = { kill: options.injectFaults, stall: options.injectStalls, seed: options.faultSeed };
  // before any chunk has finished, the cost model's guess of a chunk's time places faults and sets timeouts
  const contention = Math.max(1, options.workers / cores);
  const priorMsPerVideoSecond = 1000 * source.summary.fps * secondsPerFrame(options, source.summary.width, source.summary.height) * contention;
  record.chunks = await runPool(tasks, segments, {
    workers: options.workers,
    executor,
    originMs: t,
    signal: deps.signal,
    onChunk: deps.onChunk,
    retries: options.retries,
    timeoutMs: options.chunkTimeoutMs,
    timeoutFactor: options.timeoutFactor,
    speculate: options.speculate,
    priorMsPerVideoSecond,
    ...(faults.kill > 0 || faults.stall > 0 ? { faults } : {}),
  });
  // a deliberate loss of parallelism for the CI gate's power test (./cripple.ts), recorded
  const cripple = crippleFraction();
  if (cripple > 0) {
    const serialMs = serialSectionMs(cripple, record.phases.probeMs + record.phases.splitMs + performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, serialMs));
    record.cripple = { fraction: cripple, serialMs };
  }
  record.phases.processMs = performance.now() - t;
  // the chunk that failed on its own, not one stopped because of it
  const stoppedOnly = (c: ChunkRecord) => (c.attempts ?? []).every((a) => a.state === 'cancelled');
  const failed = record.chunks.find((c) => c.state === 'failed' && !stoppedOnly(c)) ?? record.chunks.find((c) => c.state === 'failed');
  if (failed) throw new StageError('process', failed.error ?? `chunk ${failed.index} failed`, failed.stderrTail);
  if (record.chunks.length !== tasks.length) throw new StageError('process', `only ${record.chunks.length} of ${tasks.length} chunks ran`);

  t = performance.now();
  const merge = await runMerge(binaries, tasks.map((task) => task.outputPath), options.input, source.summary.audioCodec, output, tempDir, deps.signal, source.video.timesSeconds[0] ?? 0);
  outcomes.push(merge.outcome);
  record.phases.mergeMs = performance.now() - t;
  if (merge.error) throw new StageError('merge', merge.error, merge.outcome.stderrTail);
  return outcomes;
}
