// The queue executor (coordinator side): each chunk becomes one BullMQ job on Redis, run by whichever
// `npm run worker` takes it (src/executors/queueWorker.ts), on any machine that sees the run's work
// directory under the same path. Retries are BullMQ's own (`attempts` = retries + 1, exponential backoff),
// so the pool hands this executor the retry budget instead of retrying itself (`retriesInside`); the
// per-attempt timeout is enforced by the worker, which kills its ffmpeg and fails the attempt.
//
// Cancellation (the pool's AbortSignal): a job still waiting or in backoff is removed; an active one is
// marked cancelled in Redis and announced on a pub/sub channel, and the worker running it kills its ffmpeg.
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { ChunkbenchError } from '../errors.ts';
import type { ProcessOutcome } from '../ffmpeg/exec.ts';
import {
  attemptLog,
  CANCELLED_TTL_SECONDS,
  cancelChannel,
  cancelledKey,
  checkQueueName,
  CHUNK_JOB_NAME,
  DEFAULT_QUEUE_NAME,
  QUEUE_PREFIX,
  type AttemptLog,
  type QueueJobData,
  type QueueJobResult,
} from './queueJob.ts';
import { checkRedis, displayUrl } from './redis.ts';
import type { AttemptContext, ChunkExecutor, ChunkOutcome, ChunkTask, InnerAttempt } from './types.ts';

export interface QueueExecutorOptions {
  redisUrl: string;
  queueName?: string;
  /** First retry delay; BullMQ doubles it for each further retry. */
  backoffMs?: number;
  /** How long a cancelled active job may take to confirm that its ffmpeg stopped, before run() returns anyway. */
  cancelGraceMs?: number;
  /** How long Redis may be unreachable mid-run before every waiting run() fails (instead of hanging). */
  connectionLostMs?: number;
}

const DEFAULT_BACKOFF_MS = 500;
const DEFAULT_CANCEL_GRACE_MS = 3000;
const DEFAULT_CONNECTION_LOST_MS = 10_000;
/** Bound on bookkeeping commands (remove, read back) that must not hang a run when Redis is gone. */
const REDIS_OP_MS = 2000;

/** Connects (a ChunkbenchError naming the URL within a few seconds when Redis is unreachable) and returns
 * an executor that runs each chunk as a BullMQ job. Call close() when the run is over. */
export async function queueExecutor(options: QueueExecutorOptions): Promise<ChunkExecutor> {
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const nameProblem = checkQueueName(queueName);
  if (nameProblem) throw new ChunkbenchError(nameProblem);
  const connection = await checkRedis(options.redisUrl);
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const cancelGraceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;

  const queue = new Queue<QueueJobData, QueueJobResult>(queueName, { connection, prefix: QUEUE_PREFIX });
  const events = new QueueEvents(queueName, { connection, prefix: QUEUE_PREFIX });
  // many chunks wait on one QueueEvents at once: each adds a listener pair
  events.setMaxListeners(0);
  // ioredis reconnects by itself; an unhandled 'error' event would crash the process instead
  const ignore = () => {};
  queue.on('error', ignore);
  events.on('error', ignore);
  const control = new Redis({ ...connection, maxRetriesPerRequest: 3 });
  let lastError = '';
  control.on('error', (error: Error) => (lastError = error.message));
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const lost = connectionWatch(control, options.connectionLostMs ?? DEFAULT_CONNECTION_LOST_MS, (downMs) =>
    new ChunkbenchError(`--redis ${displayUrl(options.redisUrl)}: lost the connection to Redis for ${downMs / 1000} s mid-run (${lastError || 'connection closed'}); check redis-server and run again`, 1));

  // job ids are unique per executor and per run() call, so speculative copies and later runs never collide
  const idPrefix = randomUUID().slice(0, 8);
  let sequence = 0;

  /** True when the job was removed at once (it was waiting or in backoff); false when a worker has it. */
  async function cancel(jobId: string, reason: string): Promise<boolean> {
    await control.set(cancelledKey(QUEUE_PREFIX, queueName, jobId), reason, 'EX', CANCELLED_TTL_SECONDS);
    await control.publish(cancelChannel(QUEUE_PREFIX, queueName), JSON.stringify({ jobId, reason }));
    // an active job is locked: remove() refuses it, and it stays until its worker lets go
    return (await bounded(queue.remove(jobId), REDIS_OP_MS)) === 1;
  }

  async function run(task: ChunkTask, context: AttemptContext): Promise<ChunkOutcome> {
    const command = `ffmpeg ${task.args.join(' ')}`;
    if (context.signal.aborted) return notRun(command, `cancelled before it was queued: ${reasonText(context.signal.reason)}`);
    const data: QueueJobData = {
      index: task.index,
      args: task.args,
      outputPath: task.outputPath,
      expectedFrames: task.expectedFrames,
      workDir: dirname(task.outputPath),
      fault: context.fault ?? null,
      timeoutMs: context.timeoutMs ?? null,
    };
    const jobId = `${idPrefix}-${sequence++}-chunk${task.index}-a${context.attempt}`;
    const job = await Promise.race([lost.promise, queue.add(CHUNK_JOB_NAME, data, {
      jobId,
      attempts: (context.retries ?? 0) + 1,
      backoff: { type: 'exponential', delay: backoffMs },
      // run() removes the job once it has read it; these only bound what an interrupted coordinator leaves
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    })]);
    const finished: Promise<Settled> = job.waitUntilFinished(events).then(
      (result: QueueJobResult) => ({ ok: true, result }),
      (error: unknown) => ({ ok: false, reason: error instanceof Error ? error.message : String(error) }),
    );
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<'aborted'>((resolve) => {
      onAbort = () => resolve('aborted');
      context.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const first = await Promise.race([finished, aborted, lost.promise]);
      if (first === 'aborted') {
        const reason = reasonText(context.signal.reason);
        // give the worker of an active job a moment to kill its ffmpeg, so the run's cleanup does not race it
        if (!(await cancel(jobId, reason))) await Promise.race([finished, sleep(cancelGraceMs)]);
        const { finalOutcome: _unused, ...known } = await history(job.id, job.timestamp, 'cancelled');
        return { ...notRun(command, `cancelled: ${reason}`), ...known };
      }
      if (first.ok) return fromResult(first.result, job.timestamp);
      return fromFailure(command, first.reason, await history(job.id, job.timestamp, 'failed'));
    } finally {
      if (onAbort) context.signal.removeEventListener('abort', onAbort);
      // best effort, bounded: with Redis gone, ioredis would queue this command forever
      if (!lost.fired()) await bounded(queue.remove(jobId), REDIS_OP_MS);
    }
  }

  /** The attempt log of a job that did not complete, read back from its progress field. The last try is the
   * outcome's own (failed: if it ended; cancelled: always); the ones before it are the inner attempts. */
  async function history(id: string | undefined, enqueuedEpochMs: number, ending: 'failed' | 'cancelled'): Promise<FailureHistory> {
    const stored: Job<QueueJobData, QueueJobResult> | undefined = id === undefined ? undefined : await bounded(queue.getJob(id), REDIS_OP_MS);
    const attempts = attemptLog(stored?.progress);
    const last = attempts.at(-1);
    const finalTry = last && (ending === 'cancelled' || last.endEpochMs !== undefined) ? last : undefined;
    return {
      ...(attempts[0] ? { queueWaitMs: attempts[0].startEpochMs - enqueuedEpochMs } : {}),
      ...(finalTry ? { worker: finalTry.worker } : {}),
      innerAttempts: innerAttempts(finalTry ? attempts.slice(0, -1) : attempts),
      finalOutcome: ending === 'failed' ? finalTry?.outcome : undefined,
    };
  }

  return {
    name: 'queue',
    retriesInside: true,
    run: async (task, context) => {
      try {
        return await run(task, context);
      } catch (error) {
        // Redis went away mid-run: a one-line error, not ioredis' stack (anything else is a bug: rethrown)
        const reason = error instanceof Error ? error.message : String(error);
        if (error instanceof ChunkbenchError || !/connection|ECONN|ETIMEDOUT|EPIPE|max retries|writeable/i.test(reason)) throw error;
        throw new ChunkbenchError(`--redis ${displayUrl(options.redisUrl)}: lost the connection to Redis (${reason})`, 1);
      }
    },
    close: async () => {
      lost.stop();
      await bounded(Promise.allSettled([events.close(), queue.close()]), REDIS_OP_MS);
      if ((await bounded(control.quit(), REDIS_OP_MS)) === undefined) control.disconnect();
    },
  };
}

/** A promise that rejects once `client` has been disconnected for `afterMs` (reconnecting in time resets it). */
function connectionWatch(client: Redis, afterMs: number, error: (downMs: number) => Error): { promise: Promise<never>; fired: () => boolean; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let fired = false;
  let fail: (reason: Error) => void = () => {};
  const promise = new Promise<never>((_, reject) => (fail = reject));
  promise.catch(() => {}); // nobody may be waiting when it fires
  client.on('close', () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      fired = true;
      fail(error(afterMs));
    }, afterMs);
    timer.unref();
  });
  client.on('ready', () => {
    clearTimeout(timer);
    timer = undefined;
  });
  return {
    promise,
    fired: () => fired,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

type Settled = { ok: true; result: QueueJobResult } | { ok: false; reason: string };

interface FailureHistory {
  queueWaitMs?: number;
  worker?: string;
  innerAttempts: InnerAttempt[];
  finalOutcome?: ProcessOutcome | undefined;
}

/** A completed job: the successful try's outcome, with the earlier tries and the queue wait. */
function fromResult(result: QueueJobResult, enqueuedEpochMs: number): ChunkOutcome {
  const first = result.attempts[0];
  return {
    ...result.outcome,
    worker: result.worker,
    ...(first ? { queueWaitMs: first.startEpochMs - enqueuedEpochMs } : {}),
    innerAttempts: innerAttempts(result.attempts.slice(0, -1)),
  };
}

/** A failed job: the last try's ffmpeg outcome when there is one, else an outcome saying why nothing ran. */
function fromFailure(command: string, failedReason: string, history: FailureHistory): ChunkOutcome {
  const { finalOutcome, ...rest } = history;
  const outcome = finalOutcome ?? notRun(command, failedReason);
  return { ...outcome, ...rest };
}

/** Earlier tries on the coordinator's performance.now() clock (what the pool's clock is by default). */
function innerAttempts(attempts: AttemptLog[]): InnerAttempt[] {
  return attempts.map((attempt, i) => {
    const endEpochMs = attempt.endEpochMs ?? attempts[i + 1]?.startEpochMs ?? Date.now();
    return {
      workerId: attempt.worker,
      startMs: attempt.startEpochMs - performance.timeOrigin,
      endMs: endEpochMs - performance.timeOrigin,
      reason: attempt.reason ?? `worker ${attempt.worker} stopped responding (its lock expired; BullMQ gave the job to another worker)`,
    };
  });
}

/** The outcome of a try whose ffmpeg never ran (or whose result never came back): the reason is the tail. */
function notRun(command: string, reason: string): ChunkOutcome {
  return { command, exitCode: null, signal: null, timedOut: false, spawnToExitMs: 0, bench: null, framesOut: null, stderrTail: reason, stdout: '' };
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
}

/** The promise's value, or undefined when it fails or takes longer than `ms`. */
function bounded<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise.catch(() => undefined), sleep(ms).then(() => undefined)]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
