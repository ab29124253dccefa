// The queue executor (coordinator side): each chunk becomes one BullMQ job on Redis, run by whichever
// `npm run worker` takes it (src/executors/queueWorker.ts). How a chunk's bytes reach the worker and come
// back is the transport's (src/transport/): `shared`, any machine that sees the run's work directory under
// the same path; `http`, any machine that reaches this process over the network. Retries are BullMQ's own (`attempts` = retries + 1, exponential backoff),
// so the pool hands this executor the retry budget instead of retrying itself (`retriesInside`); the
// per-attempt timeout is enforced by the worker, which kills its ffmpeg and fails the attempt.
//
// Cancellation (the pool's AbortSignal): a job still waiting or in backoff is removed; an active one is
// marked cancelled in Redis and announced on a pub/sub channel, and the worker running it kills its ffmpeg.
//
// A Redis that restarts mid-run without persistence comes back empty: after every reconnect, each waiting
// run() looks for its job and enqueues it again when it is gone (the chunk is retried, not waited for
// forever). Redis gone for longer than `connectionLostMs` fails the waiting runs with one line.
import { randomUUID } from 'node:crypto';
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
import { sharedTransport, type CoordinatorTransport } from '../transport/types.ts';
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
  /** How chunk inputs and outputs move (default: the shared filesystem). Closed with the executor, and
   * when the executor cannot be made. */
  transport?: CoordinatorTransport;
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
  const transport = options.transport ?? sharedTransport();
  const nameProblem = checkQueueName(queueName);
  if (nameProblem) {
    await transport.close();
    throw new ChunkbenchError(nameProblem);
  }
  const connection = await checkRedis(options.redisUrl).catch(async (error: unknown) => {
    await transport.close();
    throw error;
  });
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
  // run() calls waiting for a reconnect, to look for their job (a restarted Redis may have lost it)
  const onReconnect = new Set<() => void>();
  let wasClosed = false;
  control.on('close', () => (wasClosed = true));
  control.on('ready', () => {
    if (!wasClosed) return;
    wasClosed = false;
    for (const notify of [...onReconnect]) notify();
  });
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

  /** One chunk as one job: placed by the transport, which reports what it moved once the job has ended. */
  async function run(task: ChunkTask, context: AttemptContext): Promise<ChunkOutcome> {
    const command = `ffmpeg ${task.args.join(' ')}`;
    if (context.signal.aborted) return notRun(command, `cancelled before it was queued: ${reasonText(context.signal.reason)}`);
    const jobId = `${idPrefix}-${sequence++}-chunk${task.index}-a${context.attempt}`;
    // every try's outcome, as its worker reported it (with what it read of its input: transport/ffmpegReads.ts)
    const tries: (ProcessOutcome | undefined)[] = [];
    try {
      const outcome = await runJob(task, context, jobId, command, tries);
      const transfer = transport.settle(jobId, tries);
      return transfer ? { ...outcome, transfer } : outcome;
    } finally {
      transport.settle(jobId);
    }
  }

  async function runJob(task: ChunkTask, context: AttemptContext, jobId: string, command: string, tries: (ProcessOutcome | undefined)[]): Promise<ChunkOutcome> {
    const placed = transport.place(task, jobId);
    const data: QueueJobData = {
      index: task.index,
      args: placed.args,
      outputPath: placed.outputPath,
      expectedFrames: task.expectedFrames,
      workDir: placed.workDir,
      ...(placed.http ? { http: placed.http } : {}),
      fault: context.fault ?? null,
      timeoutMs: context.timeoutMs ?? null,
    };
    const enqueue = () => Promise.race([lost.promise, queue.add(CHUNK_JOB_NAME, data, {
      jobId,
      attempts: (context.retries ?? 0) + 1,
      backoff: { type: 'exponential', delay: backoffMs },
      // run() removes the job once it has read it; these only bound what an interrupted coordinator leaves
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    })]);
    const job = await enqueue();
    const settled = (waiting: Job<QueueJobData, QueueJobResult>): Promise<Settled> =>
      waiting.waitUntilFinished(events).then(
        (result: QueueJobResult) => ({ ok: true, result }),
        (error: unknown) => ({ ok: false, reason: error instanceof Error ? error.message : String(error) }),
      );
    let finished = settled(job);
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<'aborted'>((resolve) => {
      onAbort = () => resolve('aborted');
      context.signal.addEventListener('abort', onAbort, { once: true });
    });
    let onReady: (() => void) | undefined;
    const reconnected = () => new Promise<'reconnected'>((resolve) => {
      onReady = () => resolve('reconnected');
      onReconnect.add(onReady);
    });
    try {
      let first = await Promise.race([finished, aborted, lost.promise, reconnected()]);
      while (first === 'reconnected') {
        if (onReady) onReconnect.delete(onReady);
        // events sent while the connection was down are lost: wait on the job again, which looks at its
        // state first; null: Redis answered that it is gone (a restart without persistence), so enqueue it
        // again; undefined: no answer yet (the queue's own connection still reconnecting), ask again
        for (let tries = 0; tries < 10; tries++) {
          const stored = await bounded(queue.getJob(jobId).then((found) => found ?? null), REDIS_OP_MS);
          if (stored === undefined) {
            await sleep(500);
            continue;
          }
          finished = settled(stored ?? (await enqueue()));
          break;
        }
        first = await Promise.race([finished, aborted, lost.promise, reconnected()]);
      }
      if (first === 'aborted') {
        const reason = reasonText(context.signal.reason);
        // give the worker of an active job a moment to kill its ffmpeg, so the run's cleanup does not race it
        if (!(await cancel(jobId, reason))) await Promise.race([finished, sleep(cancelGraceMs)]);
        const { finalOutcome: _unused, ...known } = await history(job.id, job.timestamp, 'cancelled', tries);
        return { ...notRun(command, `cancelled: ${reason}`), ...known };
      }
      if (first.ok) {
        tries.push(...first.result.attempts.map((a) => a.outcome));
        return fromResult(first.result, job.timestamp);
      }
      return fromFailure(command, first.reason, await history(job.id, job.timestamp, 'failed', tries));
    } finally {
      if (onReady) onReconnect.delete(onReady);
      if (onAbort) context.signal.removeEventListener('abort', onAbort);
      // best effort, bounded: with Redis gone, ioredis would queue this command forever
      if (!lost.fired()) await bounded(queue.remove(jobId), REDIS_OP_MS);
    }
  }

  /** The attempt log of a job that did not complete, read back from its progress field. The last try is the
   * outcome's own (failed: if it ended; cancelled: always); the ones before it are the inner attempts. Every
   * try's outcome goes to `tries`, for what the transport moved. */
  async function history(id: string | undefined, enqueuedEpochMs: number, ending: 'failed' | 'cancelled', tries: (ProcessOutcome | undefined)[]): Promise<FailureHistory> {
    const stored: Job<QueueJobData, QueueJobResult> | undefined = id === undefined ? undefined : await bounded(queue.getJob(id), REDIS_OP_MS);
    const attempts = attemptLog(stored?.progress);
    tries.push(...attempts.map((a) => a.outcome));
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
      await transport.close();
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
