// process: a pool of N workers pulling chunks from one queue (dynamic scheduling), longest chunk first, so
// the tail of the run is made of short chunks and a long one cannot become the straggler (LPT rule,
// Graham 1969: within 4/3 of the optimal makespan).
//
// Failures are expected, not exceptional: an attempt whose ffmpeg exits non-zero, is killed, runs past its
// timeout or writes the wrong number of frames is retried, up to `retries` times, on another worker where
// there is one. The timeout is `timeoutFactor` × the chunk's expected time (the median ms per second of
// video of the chunks finished so far × its length), or fixed. With `speculate` > 0, a chunk running longer
// than that many times its expected time gets a backup attempt on the next free worker, ahead of pending
// chunks (MapReduce's backup tasks, Dean & Ghemawat 2004, wait for the end of the job; here a hung chunk
// holds the whole run up, so its backup goes first); the first to finish wins, the other is killed.
//
// The pool knows nothing of ffmpeg: an executor runs each attempt, a clock stamps start and end, both
// injectable for deterministic tests.
import { existsSync, renameSync } from 'node:fs';
import { median } from 'simple-statistics';
import type { ChunkExecutor, ChunkOutcome, ChunkTask, FaultSpec } from '../executors/types.ts';
import { isDiskFull } from '../errors.ts';
import { chunkRecord, failureOf, type FinishedAttempt, type StopReason } from './attempts.ts';
import { faultFor, type FaultRates } from './faults.ts';
import type { ChunkRecord, Segment } from './types.ts';

export { fileBytes } from './attempts.ts';

/** Milliseconds from an arbitrary origin; performance.now in production. */
export type Clock = () => number;

export interface PoolOptions {
  workers: number;
  executor: ChunkExecutor;
  clock?: Clock;
  /** Time origin of the run, so chunk start/end are "ms from run start". */
  originMs?: number;
  signal?: AbortSignal;
  /** Called as each chunk is settled (progress, incremental storage). */
  onChunk?: (record: ChunkRecord) => void;
  /** Retries after a failed attempt (default 0). */
  retries?: number;
  /** Fixed per-attempt timeout; null/undefined: derived from `timeoutFactor`. */
  timeoutMs?: number | null;
  /** Derived timeout = factor × expected time (default 5), never below `minTimeoutMs` (default 2000). */
  timeoutFactor?: number;
  minTimeoutMs?: number;
  /** Backup attempt for a chunk running longer than this × its expected time while a worker idles (0: off). */
  speculate?: number;
  faults?: FaultRates;
  /** The expected time before any chunk has finished (a cost model's guess): places injected faults, and
   * gives the first attempts a generous timeout so that a hang there is caught too. */
  priorMsPerVideoSecond?: number;
}

/** Longest first; ties by index so the order is deterministic. */
export function scheduleOrder(tasks: ChunkTask[]): ChunkTask[] {
  return [...tasks].sort((a, b) => b.durationSeconds - a.durationSeconds || a.index - b.index);
}

/** The output path of attempt n: attempt 1 writes the chunk's own path; others write beside it. */
export function attemptPath(outputPath: string, attempt: number): string {
  return attempt === 1 ? outputPath : outputPath.replace(/(\.[^./]+)?$/, (ext) => `.a${attempt}${ext}`);
}

function attemptTask(task: ChunkTask, attempt: number): ChunkTask {
  if (attempt === 1) return task;
  const outputPath = attemptPath(task.outputPath, attempt);
  return { ...task, outputPath, args: task.args.map((arg) => (arg === task.outputPath ? outputPath : arg)) };
}

interface Running {
  task: ChunkTask;
  attempt: number;
  workerId: number;
  speculative: boolean;
  startMs: number;
  timeoutMs: number | null;
  fault?: FaultSpec;
  controller: AbortController;
  stopped?: StopReason;
}

interface ChunkState {
  task: ChunkTask;
  segment: Segment;
  attempts: number;
  retries: number;
  /** Workers an attempt of this chunk failed on: a retry goes elsewhere where it can. */
  failedOn: Set<number>;
  finished: FinishedAttempt[];
  winner: FinishedAttempt | null;
  settled: boolean;
  /** A speculative backup was started (one per chunk). */
  backedUp: boolean;
}

/** Runs every task on a pool of `workers` slots; returns one record per chunk that was started, by index. */
export function runPool(tasks: ChunkTask[], segments: Segment[], options: PoolOptions): Promise<ChunkRecord[]> {
  const clock = options.clock ?? (() => performance.now());
  const origin = options.originMs ?? clock();
  const now = () => clock() - origin;
  const workers = Math.max(1, Math.min(options.workers, tasks.length));
  const retries = options.executor.retriesInside ? 0 : (options.retries ?? 0);
  const timeoutFactor = options.timeoutFactor ?? 5;
  const minTimeoutMs = options.minTimeoutMs ?? 2000;
  const speculate = options.speculate ?? 0;

  const states = new Map<number, ChunkState>();
  for (const task of tasks) {
    const segment = segments[task.index];
    if (!segment) throw new Error(`no segment for chunk ${task.index}`);
    states.set(task.index, { task, segment, attempts: 0, retries: 0, failedOn: new Set(), finished: [], winner: null, settled: false, backedUp: false });
  }
  const pending: ChunkState[] = scheduleOrder(tasks).map((t) => states.get(t.index) as ChunkState);
  const running = new Map<number, Running>(); // by worker id
  const msPerVideoSecond: number[] = [];
  let failed = false;

  return new Promise<ChunkRecord[]>((resolve, reject) => {
    const stopped = () => failed || !!options.signal?.aborted;
    const expectedMs = (task: ChunkTask): number | null => {
      const rate = msPerVideoSecond.length ? median(msPerVideoSecond) : null;
      return rate === null ? null : rate * task.durationSeconds;
    };
    // before any chunk has finished, the cost model's guess stands in, with 3× more slack than the median gets
    const prior = options.priorMsPerVideoSecond ?? 0;
    const timeoutFor = (task: ChunkTask): number | null => {
      if (options.timeoutMs) return options.timeoutMs;
      const expected = expectedMs(task);
      if (expected !== null) return Math.max(minTimeoutMs, timeoutFactor * expected);
      return prior > 0 ? Math.max(minTimeoutMs, 3 * timeoutFactor * prior * task.durationSeconds) : null;
    };

    /** Stops one running attempt, once; the first reason is the one recorded. */
    const stop = (r: Running, reason: StopReason) => {
      if (r.stopped) return;
      r.stopped = reason;
      r.controller.abort(new Error(reason));
    };
    const stopAll = (reason: StopReason) => {
      for (const r of running.values()) stop(r, reason);
    };
    const onAbort = () => stopAll('interrupted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // The watchdog sleeps until the next moment something can happen: an attempt reaching its timeout, or a
    // straggler becoming due for a backup. Both move only when an attempt starts or finishes, and every
    // start and finish goes through dispatch(), which re-arms it. (It used to poll every 50 ms: 20 wake-ups
    // a second of an otherwise idle harness, 4 ms of its CPU per second on the 2-core VM.)
    let timer: NodeJS.Timeout | undefined;
    const disarm = () => clearTimeout(timer);

    const finish = () => {
      disarm();
      options.signal?.removeEventListener('abort', onAbort);
      const records: ChunkRecord[] = [];
      for (const state of states.values()) {
        if (state.finished.length === 0) continue;
        // the winner wrote beside the chunk's path when it was a retry or a backup: move it into place
        if (state.winner && state.winner.outputPath !== state.task.outputPath && existsSync(state.winner.outputPath)) renameSync(state.winner.outputPath, state.task.outputPath);
        records.push(chunkRecord(state.task, state.segment, state.finished, state.winner, state.retries));
      }
      resolve(records.sort((a, b) => a.index - b.index));
    };

    const settle = (state: ChunkState) => {
      if (state.settled) return;
      state.settled = true;
      options.onChunk?.(chunkRecord(state.task, state.segment, state.finished, state.winner, state.retries));
    };

    const start = (state: ChunkState, workerId: number, speculative: boolean) => {
      state.attempts++;
      const attempt = state.attempts;
      const task = attemptTask(state.task, attempt);
      const expected = expectedMs(state.task) ?? prior * state.task.durationSeconds;
      const fault = options.faults && expected > 0 ? faultFor(options.faults, state.task.index, attempt, expected) : undefined;
      const run: Running = { task, attempt, workerId, speculative, startMs: now(), timeoutMs: timeoutFor(state.task), controller: new AbortController(), ...(fault ? { fault } : {}) };
      running.set(workerId, run);
      const context = {
        workerId,
        attempt,
        signal: run.controller.signal,
        ...(fault ? { fault } : {}),
        ...(options.executor.retriesInside ? { retries: options.retries ?? 0, timeoutMs: run.timeoutMs } : {}),
      };
      options.executor
        .run(task, context)
        .then((outcome) => done(state, run, outcome))
        .catch((error: unknown) => {
          disarm();
          stopAll('run-failed');
          reject(error);
        });
    };

    const done = (state: ChunkState, run: Running, outcome: ChunkOutcome) => {
      running.delete(run.workerId);
      // an executor's own earlier tries (queue) are stamped on this process's clock: make them run-relative
      const inner = outcome.innerAttempts?.map((t) => ({ ...t, startMs: t.startMs - origin, endMs: t.endMs - origin }));
      const finished: FinishedAttempt = {
        attempt: run.attempt, workerId: run.workerId, speculative: run.speculative, startMs: run.startMs, endMs: now(),
        timeoutMs: run.timeoutMs, outputPath: run.task.outputPath, outcome: inner ? { ...outcome, innerAttempts: inner } : outcome,
        ...(run.fault ? { fault: run.fault } : {}), ...(run.stopped ? { stopped: run.stopped } : {}),
      };
      state.finished.push(finished);
      const othersRunning = [...running.values()].some((r) => r.task.index === state.task.index);
      const failure = failureOf(state.task, finished);
      if (failure === null && !run.stopped && !state.winner) {
        state.winner = finished;
        if (!run.fault) msPerVideoSecond.push((finished.endMs - finished.startMs) / Math.max(1e-3, state.task.durationSeconds));
        for (const other of running.values()) if (other.task.index === state.task.index) stop(other, 'lost-race');
      } else if (!state.winner) {
        state.failedOn.add(run.workerId);
        if (!othersRunning) {
          // a full disk stays full: retrying would only fail again
          if (!stopped() && state.retries < retries && !isDiskFull(undefined, outcome.stderrTail)) {
            state.retries++;
            pending.unshift(state); // a retry goes first: the chunk is already late
          } else if (!run.stopped || run.stopped === 'timeout') {
            failed = true;
            stopAll('run-failed');
          }
        }
      }
      if (!othersRunning && (state.winner || !pending.includes(state))) settle(state);
      dispatch();
    };

    /** The running attempt most overdue beyond `speculate` × its expected time that has no backup yet. */
    const straggler = (): ChunkState | null => {
      let pick: { state: ChunkState; lateness: number } | null = null;
      for (const r of running.values()) {
        const state = states.get(r.task.index) as ChunkState;
        const expected = expectedMs(state.task);
        if (r.stopped || state.backedUp || state.winner || expected === null) continue;
        const lateness = (now() - r.startMs) / expected;
        if (lateness > speculate && (!pick || lateness > pick.lateness)) pick = { state, lateness };
      }
      return pick?.state ?? null;
    };

    /** Gives every idle worker work: a backup of a straggler first (its chunk is the one holding the run
     * up), else the first pending chunk that did not fail on it, or that no other worker can take. */
    const dispatch = () => {
      if (!stopped()) {
        for (let workerId = 0; workerId < workers; workerId++) {
          if (running.has(workerId)) continue;
          const late = speculate > 0 ? straggler() : null;
          if (late) {
            late.backedUp = true;
            start(late, workerId, true);
            continue;
          }
          const i = pending.findIndex((s) => !s.failedOn.has(workerId) || s.failedOn.size >= workers);
          const [state] = i < 0 ? [] : pending.splice(i, 1);
          if (state) start(state, workerId, false);
        }
      }
      if (running.size === 0 && (pending.length === 0 || stopped())) finish();
      else arm();
    };

    /** When the watchdog must next look: the earliest timeout or backup due among the running attempts. */
    const nextDueMs = (): number => {
      let due = Infinity;
      for (const r of running.values()) {
        // an executor that retries on its own enforces the limit per try; its run() spans every try, the
        // queue wait and a dead worker's take-over, so the pool must not cut it short
        if (!options.executor.retriesInside && r.timeoutMs !== null && !r.stopped) due = Math.min(due, r.startMs + r.timeoutMs);
        const state = states.get(r.task.index) as ChunkState;
        const expected = expectedMs(state.task);
        if (speculate > 0 && running.size < workers && expected !== null && !r.stopped && !state.backedUp && !state.winner) due = Math.min(due, r.startMs + speculate * expected);
      }
      return due;
    };

    const arm = () => {
      disarm();
      // the limit follows the median as chunks finish
      if (!options.executor.retriesInside) for (const r of running.values()) r.timeoutMs = timeoutFor(r.task);
      const due = nextDueMs();
      if (due === Infinity) return;
      // +1 ms: both checks are strict (past the limit), and a timer may fire a fraction of a ms early
      timer = setTimeout(watchdog, Math.max(0, due - now()) + 1);
      timer.unref?.();
    };

    const watchdog = () => {
      const t = now();
      for (const r of running.values()) {
        if (!options.executor.retriesInside && r.timeoutMs !== null && t - r.startMs > r.timeoutMs) stop(r, 'timeout');
      }
      if (speculate > 0 && !stopped() && running.size < workers) dispatch();
      else arm();
    };

    dispatch();
  });
}
