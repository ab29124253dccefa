// What travels through Redis between the coordinator (src/executors/queue.ts) and the workers
// (src/executors/queueWorker.ts): one BullMQ job per chunk, its data, its attempt log and its result. All
// plain JSON. Times in the log are epoch milliseconds of the machine that measured them (the worker), so
// across machines they are only as comparable as the clocks are synchronised.
import type { ProcessOutcome } from '../ffmpeg/exec.ts';
import type { HttpJobData } from '../transport/types.ts';
import type { FaultSpec } from './types.ts';

/** The default BullMQ queue name; coordinator and workers must agree on it. */
export const DEFAULT_QUEUE_NAME = 'chunkbench';

/** BullMQ's key prefix (its default), the same on both sides. */
export const QUEUE_PREFIX = 'bull';

/** The job name of a chunk job (BullMQ job names are labels; the id is what identifies a job). */
export const CHUNK_JOB_NAME = 'chunk';

/** Data of one chunk job: a complete ffmpeg command and what its result must look like. */
export interface QueueJobData {
  index: number;
  /** ffmpeg arguments without the binary: each worker resolves its own ffmpeg. */
  args: string[];
  /** Where the chunk must land; also the last argument of `args`. With `http`: a bare file name, which the
   * worker places in its own private directory. */
  outputPath: string;
  expectedFrames: number | null;
  /** The run's work directory, on a filesystem every worker must see under the same path ('' with `http`). */
  workDir: string;
  /** The http transport (src/transport/): inputs are URLs of the coordinator, the output goes back by PUT.
   * Absent: the shared filesystem. Holds the run's token: never log a job's data. */
  http?: HttpJobData;
  /** Injected into the first attempt only (experiments); null for none. */
  fault: FaultSpec | null;
  /** Per-attempt timeout; null for none. */
  timeoutMs: number | null;
}

/** One try of a job on one worker, as the worker logged it. A try without `endEpochMs` never finished:
 * its worker died or lost the job's lock, and BullMQ's stalled-job check gave the job to another worker. */
export interface AttemptLog {
  worker: string;
  startEpochMs: number;
  endEpochMs?: number;
  /** Why the try failed (absent for the successful one). */
  reason?: string;
  /** The ffmpeg outcome, when ffmpeg ran (stdout dropped). */
  outcome?: ProcessOutcome;
}

/** The job's progress field holds the attempt log, so that it survives failed and stalled tries. */
export interface QueueJobProgress {
  attempts: AttemptLog[];
}

/** The job's return value: who ran the successful try, its outcome, and every try including it. */
export interface QueueJobResult {
  worker: string;
  outcome: ProcessOutcome;
  attempts: AttemptLog[];
}

/** Pub/sub channel on which the coordinator asks workers to stop an active job: `{ jobId, reason }`. */
export function cancelChannel(prefix: string, queueName: string): string {
  return `${prefix}:${queueName}:chunkbench-cancel`;
}

/** Key that marks a job as cancelled, for a worker that picks it up after the cancel message went out. */
export function cancelledKey(prefix: string, queueName: string, jobId: string): string {
  return `${prefix}:${queueName}:chunkbench-cancelled:${jobId}`;
}

/** How long a cancellation mark is kept (a job older than that is long gone). */
export const CANCELLED_TTL_SECONDS = 3600;

/** The attempt log stored in a job's progress field (empty for a fresh job or foreign progress). */
export function attemptLog(progress: unknown): AttemptLog[] {
  if (typeof progress !== 'object' || progress === null || !('attempts' in progress)) return [];
  const attempts = (progress as { attempts: unknown }).attempts;
  return Array.isArray(attempts) ? (attempts as AttemptLog[]) : [];
}

/** A queue name BullMQ accepts and that keeps the Redis keys readable. */
export function checkQueueName(name: string): string | null {
  return /^[A-Za-z0-9_.-]+$/.test(name) ? null : `--queue must be letters, digits, '_', '.' or '-', got '${name}'`;
}
