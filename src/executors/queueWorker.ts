// A queue worker: takes chunk jobs from BullMQ on Redis and runs their ffmpeg on this machine. Two
// transports (src/transport/): a `shared` job names the coordinator's paths, which this worker must see
// under the same paths (a shared filesystem); each try writes an attempt-unique temp file next to the
// chunk's output and renames it into place only on success, so the orphaned ffmpeg of a killed worker can
// never overwrite what a later try wrote. An `http` job reads its input from the coordinator over HTTP and
// PUTs its output back; each try runs in a fresh directory inside this worker's own private directory,
// which is also ffmpeg's working directory, so nothing in a job can write outside it.
//
// Failures are BullMQ's business: a try that fails throws, and BullMQ retries with the job's attempts and
// backoff; a worker that dies loses its job's lock, and BullMQ's stalled-job check (run by every worker)
// puts the job back for another worker. Cancellation reaches the worker that runs a job over Redis pub/sub
// and BullMQ's own per-job AbortSignal (worker.cancelJob).
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { resolveBinaries, type Binaries } from '../ffmpeg/binaries.ts';
import { describeFailure, ffmpegReason, runProcess, spawnerReady, succeeded, type ProcessOutcome } from '../ffmpeg/exec.ts';
import { killAllChildren, liveChildPids } from '../ffmpeg/terminate.ts';
import { frameCountProblem } from '../pipeline/attempts.ts';
import { pidAlive } from '../pipeline/workdirs.ts';
import {
  attemptLog,
  cancelChannel,
  cancelledKey,
  checkQueueName,
  DEFAULT_QUEUE_NAME,
  QUEUE_PREFIX,
  type AttemptLog,
  type QueueJobData,
  type QueueJobResult,
} from './queueJob.ts';
import { boundedRetry, checkRedis, DEFAULT_REDIS_RETRY_SECONDS, displayUrl } from './redis.ts';
import { ChunkbenchError } from '../errors.ts';
import { httpPlacement, type TryPlacement } from '../transport/httpWorker.ts';
import type { TransportKind } from '../transport/types.ts';

export interface QueueWorkerOptions {
  redisUrl: string;
  queueName?: string;
  /** Jobs (ffmpeg processes) run at once by this worker. */
  concurrency?: number;
  /** Default `hostname:pid`; recorded as the chunk's `worker`. */
  name?: string;
  /** BullMQ lockDuration: a worker that has not renewed its job's lock for this long loses the job. */
  lockDurationMs?: number;
  /** BullMQ stalledInterval: how often this worker looks for jobs whose lock expired, to re-queue them. */
  stalledIntervalMs?: number;
  binaries?: Binaries;
  /** One line per event (job started, finished, failed, cancelled); default: nothing. */
  log?: (line: string) => void;
  /** How long a lost Redis is retried (with backoff) before `onRedisLost` (default 180 s). */
  redisRetrySeconds?: number;
  /** Called once when Redis has been unreachable for `redisRetrySeconds`: the worker cannot go on. */
  onRedisLost?: () => void;
  /** `http`: this worker shares no filesystem with the coordinator and fails `shared` jobs at once with a
   * reason; `shared` (default): it sees the coordinator's paths, and runs `http` jobs as well. */
  transport?: TransportKind;
  /** This worker's own directory for `http` jobs (made if missing); default a fresh one in the OS temp
   * directory, removed on close. ffmpeg runs with it as its working directory. */
  workDir?: string;
}

/** A running worker. */
export interface QueueWorker {
  readonly name: string;
  /** Stops taking jobs, kills the running ffmpeg, puts active jobs back in the queue (no attempt counted),
   * and disconnects. */
  close(): Promise<void>;
  /** pids of the ffmpeg processes running now (for a last-resort kill). */
  childPids(): number[];
}

const SHUTDOWN_REASON = 'worker shutting down';
/** close() gives the active jobs back through Redis; with Redis gone that never answers, so it waits this
 * long, then kills the ffmpeg anyway (the jobs' locks expire and the stalled-job check re-queues them). */
export const CLOSE_GRACE_MS = 3000;

/** Connects (failing fast with a ChunkbenchError when Redis is unreachable) and starts taking jobs. */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const nameProblem = checkQueueName(queueName);
  if (nameProblem) throw new ChunkbenchError(nameProblem);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ChunkbenchError(`--concurrency must be a whole number ≥ 1, got ${concurrency}`);
  for (const [flag, value] of [['lock-duration-ms', options.lockDurationMs], ['stalled-interval-ms', options.stalledIntervalMs]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 100)) throw new ChunkbenchError(`--${flag} must be whole milliseconds ≥ 100, got ${value}`);
  }
  await spawnerReady(); // before the first job: its start-up is not a chunk's
  const checked = await checkRedis(options.redisUrl);
  const retrySeconds = options.redisRetrySeconds ?? DEFAULT_REDIS_RETRY_SECONDS;
  if (!(Number.isFinite(retrySeconds) && retrySeconds > 0)) throw new ChunkbenchError(`--redis-retry-s must be a number of seconds > 0, got ${retrySeconds}`);
  let lost = false;
  const giveUp = () => {
    if (lost) return;
    lost = true;
    options.onRedisLost?.();
  };
  const binaries = options.binaries ?? (await resolveBinaries());
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const log = options.log ?? (() => {});
  const transport = options.transport ?? 'shared';
  const ownDir = privateDir(options.workDir);
  // relative paths in a job's arguments then land here too (the spawner shell, started later, inherits it)
  process.chdir(ownDir.path);
  // every connection (BullMQ's and the cancel channel's) retries a lost Redis with backoff, up to the limit
  const connection = { ...checked, retryStrategy: boundedRetry(retrySeconds, log, giveUp) };
  let shuttingDown = false;

  const processor = (job: Job<QueueJobData, QueueJobResult>, token: string | undefined, signal: AbortSignal | undefined) =>
    processChunk(job, token, signal, { name, ffmpeg: binaries.ffmpeg.path, log, isCancelled, shuttingDown: () => shuttingDown, transport, ownDir: ownDir.path });
  const worker = new Worker<QueueJobData, QueueJobResult>(queueName, processor, {
    connection: { ...connection, maxRetriesPerRequest: null },
    prefix: QUEUE_PREFIX,
    name,
    concurrency,
    autorun: false,
    ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
  });
  worker.on('error', (error) => log(`error: ${error.message}`));
  const client = await worker.waitUntilReady();
  async function isCancelled(jobId: string): Promise<boolean> {
    return (await client.get(cancelledKey(QUEUE_PREFIX, queueName, jobId))) !== null;
  }

  // subscribe before taking jobs, so that no cancellation of a job this worker runs can be missed
  const subscriber = new Redis({ ...checked, retryStrategy: boundedRetry(retrySeconds, () => {}, giveUp), maxRetriesPerRequest: null });
  subscriber.on('error', (error: Error) => log(`cancel channel error: ${error.message}`));
  subscriber.on('message', (_channel: string, message: string) => {
    const request = parseCancel(message);
    if (request && worker.cancelJob(request.jobId, request.reason)) log(`job ${request.jobId} cancelled: ${request.reason}`);
  });
  await subscriber.subscribe(cancelChannel(QUEUE_PREFIX, queueName));
  worker.run().catch((error: unknown) => log(`stopped: ${error instanceof Error ? error.message : String(error)}`));
  log(`listening on ${displayUrl(options.redisUrl)}, queue '${queueName}', concurrency ${concurrency}, transport ${transport}, own directory ${ownDir.path}, pid ${process.pid}`);

  let closing: Promise<void> | undefined;
  return {
    name,
    childPids: liveChildPids,
    close: () => {
      closing ??= (async () => {
        shuttingDown = true;
        // close() stops fetching first; the cancel then makes the running tries give their jobs back
        const closed = worker.close();
        worker.cancelAllJobs(SHUTDOWN_REASON);
        let timer: NodeJS.Timeout | undefined;
        const inTime = await Promise.race([closed.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS)))]);
        clearTimeout(timer);
        if (!inTime) {
          log(`Redis did not answer within ${CLOSE_GRACE_MS / 1000} s: ffmpeg killed without giving the jobs back (their locks expire and another worker re-runs them)`);
          killAllChildren();
          subscriber.disconnect();
          ownDir.remove();
          return;
        }
        await subscriber.quit().catch(() => subscriber.disconnect());
        ownDir.remove();
      })();
      return closing;
    },
  };
}

function parseCancel(message: string): { jobId: string; reason: string } | null {
  try {
    const value = JSON.parse(message) as { jobId?: unknown; reason?: unknown };
    return typeof value.jobId === 'string' ? { jobId: value.jobId, reason: typeof value.reason === 'string' ? value.reason : 'cancelled' } : null;
  } catch {
    return null;
  }
}

/** The worker's own directory: the one given (made if missing, kept), or a fresh temp one (removed). */
function privateDir(given: string | undefined): { path: string; remove: () => void } {
  if (given === undefined) {
    // the directories of workers that were SIGKILLed (nothing else leaves one behind)
    for (const name of readdirSync(tmpdir())) {
      const pid = Number(/^chunkbench-worker-(\d+)-/.exec(name)?.[1]);
      if (pid && pid !== process.pid && !pidAlive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
    const path = mkdtempSync(join(tmpdir(), `chunkbench-worker-${process.pid}-`));
    process.once('exit', () => rmSync(path, { recursive: true, force: true }));
    return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
  }
  try {
    mkdirSync(given, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ChunkbenchError(`--work-dir ${given}: cannot make the worker's directory (${(error as NodeJS.ErrnoException).code ?? String(error)}); give a writable directory`);
  }
  const problem = workDirProblem(given);
  if (problem) throw new ChunkbenchError(`--work-dir ${given}: ${problem}; give a writable directory`);
  return { path: given, remove: () => {} };
}

interface ProcessContext {
  name: string;
  ffmpeg: string;
  log: (line: string) => void;
  isCancelled: (jobId: string) => Promise<boolean>;
  shuttingDown: () => boolean;
  transport: TransportKind;
  ownDir: string;
}

/** One try of one chunk job: returns the result, or throws so that BullMQ counts a failed attempt. */
async function processChunk(job: Job<QueueJobData, QueueJobResult>, token: string | undefined, signal: AbortSignal | undefined, context: ProcessContext): Promise<QueueJobResult> {
  const data = job.data;
  const jobId = job.id ?? '?';
  // attemptsStarted counts every start, stalled ones included; attemptsMade only counts failures
  const tryNumber = Math.max(1, job.attemptsStarted);
  const entry: AttemptLog = { worker: context.name, startEpochMs: Date.now() };
  const attempts = [...attemptLog(job.progress), entry];
  const label = `job ${jobId} (chunk ${data.index}, try ${tryNumber})`;
  const giveBack = async (reason: string, outcome?: ProcessOutcome): Promise<never> => {
    // a shutdown is not the chunk's fault: back to the queue without counting an attempt
    await record(job, attempts, entry, reason, outcome);
    context.log(`${label} given back: ${reason}`);
    await job.moveToWait(token);
    throw new WaitingError();
  };
  const fail = async (reason: string, outcome: ProcessOutcome | undefined, retry: boolean): Promise<never> => {
    await record(job, attempts, entry, reason, outcome);
    context.log(`${label} failed: ${reason}`);
    throw retry ? new Error(reason) : new UnrecoverableError(reason);
  };

  if (context.shuttingDown()) return giveBack(SHUTDOWN_REASON);
  await job.updateProgress({ attempts });
  context.log(`${label} started`);
  if (await context.isCancelled(jobId)) return fail('cancelled by the coordinator before it started', undefined, false);
  let placement: TryPlacement;
  if (data.http) {
    const placed = httpPlacement(data.args, data.outputPath, data.http, jobId, context.ownDir);
    if ('problem' in placed) return fail(`worker ${context.name} refused the job: ${placed.problem}`, undefined, false);
    placement = placed;
  } else {
    if (context.transport === 'http') return fail(`worker ${context.name} runs with --transport http (it shares no filesystem) and cannot run a job that writes to ${data.outputPath}; start the coordinator with --transport http`, undefined, true);
    const dirProblem = workDirProblem(data.workDir);
    if (dirProblem) return fail(`worker ${context.name} cannot see work directory ${data.workDir}: ${dirProblem}`, undefined, true);
    const placed = sharedPlacement(data, jobId, tryNumber, context.name);
    if (!placed) return fail(`the job's ffmpeg arguments do not write its output path ${data.outputPath}`, undefined, false);
    placement = placed;
  }
  let outcome: ProcessOutcome;
  try {
    // a timeout, a cancellation or a `kill` fault SIGKILLs the try (a SIGSTOPped process ignores
    // everything else); a `stall` fault SIGSTOPs it (ffmpeg/terminate.ts)
    outcome = placement.redact(await runProcess(context.ffmpeg, placement.args, { timeoutMs: data.timeoutMs, fault: tryNumber === 1 ? data.fault : null, ...(signal ? { signal } : {}), killSignal: 'SIGKILL' }));
    if (signal?.aborted) {
      const reason = String(signal.reason ?? 'cancelled');
      if (reason === SHUTDOWN_REASON) return await giveBack(`worker ${context.name} shut down`, outcome);
      return await fail(`cancelled: ${reason}`, outcome, false);
    }
    const problem = !succeeded(outcome)
      ? `${describeFailure(outcome, data.timeoutMs ?? undefined)}; ffmpeg said: ${ffmpegReason(outcome.stderrTail) || '(nothing)'}`
      : frameCountProblem(outcome.framesOut, data.expectedFrames);
    if (problem) return await fail(`chunk ${data.index} on worker ${context.name}: ${problem}`, outcome, true);
    const committed = await placement.commit(signal);
    if (committed) return await fail(`chunk ${data.index} on worker ${context.name}: ${committed.problem}`, outcome, committed.retry);
  } finally {
    placement.cleanup();
  }
  entry.endEpochMs = Date.now();
  entry.outcome = outcome;
  context.log(`${label} done in ${Math.round(entry.endEpochMs - entry.startEpochMs)} ms`);
  return { worker: context.name, outcome, attempts };
}

async function record(job: Job, attempts: AttemptLog[], entry: AttemptLog, reason: string, outcome: ProcessOutcome | undefined): Promise<void> {
  entry.endEpochMs = Date.now();
  entry.reason = reason;
  if (outcome) entry.outcome = outcome;
  await job.updateProgress({ attempts });
}

/** The shared filesystem: ffmpeg writes an attempt-unique temp file beside the output, renamed into place. */
function sharedPlacement(data: QueueJobData, jobId: string, tryNumber: number, worker: string): TryPlacement | null {
  const partial = tryPartialPath(data.outputPath, jobId, tryNumber, worker);
  const args = withOutput(data.args, data.outputPath, partial);
  if (!args) return null;
  return {
    args,
    commit: async () => {
      renameSync(partial, data.outputPath);
      return null;
    },
    redact: (outcome) => outcome,
    cleanup: () => rmSync(partial, { force: true }),
  };
}

/** Why this worker cannot use the work directory, or null when it exists and is writable. */
export function workDirProblem(dir: string): string | null {
  try {
    if (!statSync(dir).isDirectory()) return 'not a directory';
    accessSync(dir, constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such directory (it must be on a filesystem every worker mounts under the same path)';
    if (code === 'EACCES' || code === 'EPERM') return 'not writable by this worker';
    return error instanceof Error ? error.message : String(error);
  }
}

/** `.chunk_00003.<job>.try2.<worker>.partial.mp4` next to `chunk_00003.mp4`: unique per try and worker
 * (the pool's own attempts write pipeline/process.ts's attemptPath instead). */
export function tryPartialPath(outputPath: string, jobId: string, tryNumber: number, worker: string): string {
  const ext = extname(outputPath);
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return join(dirname(outputPath), `.${basename(outputPath, ext)}.${safe(jobId)}.try${tryNumber}.${safe(worker)}.partial${ext}`);
}

/** The arguments with the (last) output path replaced, or null when they do not contain it. */
export function withOutput(args: string[], outputPath: string, replacement: string): string[] | null {
  const at = args.lastIndexOf(outputPath);
  if (at < 0) return null;
  return args.map((arg, i) => (i === at ? replacement : arg));
}
