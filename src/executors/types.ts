// Where chunks run is behind this interface: the local process pool, or a task queue (BullMQ on Redis). The
// pipeline hands over a complete ffmpeg command; an executor only decides where and when it runs. Retries,
// timeouts, speculation and fault injection are decided by the pool (src/pipeline/process.ts), except for
// executors that retry on their own (`retriesInside`), which get the retry budget instead.
import type { ProcessOutcome } from '../ffmpeg/exec.ts';
import type { FaultSpec } from '../ffmpeg/terminate.ts';
import type { TransferStats } from '../transport/types.ts';

/** One chunk's work: the ffmpeg arguments and where its output lands. */
export interface ChunkTask {
  index: number;
  args: string[];
  outputPath: string;
  /** Frames the chunk must write; a different count fails the chunk (null: a raw filter may change it). */
  expectedFrames: number | null;
  /** Nominal length, for longest-first ordering. */
  durationSeconds: number;
}

/** A fault to inject into one attempt, for experiments: after `afterMs` from spawn, SIGKILL the ffmpeg
 * (`kill`: a crashed worker) or SIGSTOP it (`stall`: a hung worker, a straggler, left for the timeout or a
 * speculative backup to deal with). Carried out by ffmpeg/terminate.ts. */
export type { FaultSpec };

/** What the pool tells an executor about one attempt of a task. */
export interface AttemptContext {
  /** The pool slot the scheduler assigned. */
  workerId: number;
  /** 1 for the first try; retries and speculative backups count up. */
  attempt: number;
  /** Aborted when the attempt must stop: the run is interrupted, a timeout hit, or another attempt won. */
  signal: AbortSignal;
  fault?: FaultSpec;
  /** Only for executors with `retriesInside`: how many times to retry, and the per-attempt timeout. */
  retries?: number;
  timeoutMs?: number | null;
}

/** One earlier, failed try of a chunk inside an executor that retries on its own (queue); times are
 * performance.now() of this process (the pool makes them relative to the run). */
export interface InnerAttempt {
  workerId: number | string;
  startMs: number;
  endMs: number;
  reason: string;
}

/** What an executor reports for one attempt; `queueWaitMs` is for executors with a queue in between. */
export interface ChunkOutcome extends ProcessOutcome {
  queueWaitMs?: number;
  /** The worker that ran it, when it is not a pool slot of this process (a queue worker's name). */
  worker?: string;
  /** Executors with `retriesInside`: the failed tries before this outcome. */
  innerAttempts?: InnerAttempt[];
  /** Why the attempt failed when no ffmpeg ran or its exit says nothing (a worker that cannot see the
   * work directory, a cancelled job); preferred over the exit code in messages. */
  error?: string;
  /** Executors that move the chunk's bytes over a network (queue with the http transport): what moved. */
  transfer?: TransferStats;
}

/** Runs chunk commands somewhere. */
export interface ChunkExecutor {
  readonly name: string;
  /** True when the executor retries failed chunks itself (BullMQ attempts and backoff): the pool then
   * passes `retries`/`timeoutMs` in the context and does not retry on its own. */
  readonly retriesInside?: boolean;
  run(task: ChunkTask, context: AttemptContext): Promise<ChunkOutcome>;
  /** Releases connections (queue); the local executor has nothing to close. */
  close?(): Promise<void>;
}
