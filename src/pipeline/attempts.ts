// One chunk's attempts → its record. An attempt's outcome is classified here (ok, failed with a reason, or
// cancelled by the pool), and the chunk's record takes the winning attempt's figures, or the last failed
// one's with a message naming the chunk, its time range, the exit code or signal and ffmpeg's stderr tail.
import { statSync } from 'node:fs';
import { describeFailure, succeeded } from '../ffmpeg/exec.ts';
import type { ChunkOutcome, ChunkTask, FaultSpec } from '../executors/types.ts';
import type { AttemptRecord, ChunkRecord, Segment } from './types.ts';

/** Why the pool stopped an attempt itself. */
export type StopReason = 'timeout' | 'lost-race' | 'run-failed' | 'interrupted';

/** Size of a file, 0 when it is missing (a chunk that wrote nothing). */
export function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Everything known about one finished attempt. */
export interface FinishedAttempt {
  attempt: number;
  workerId: number;
  speculative: boolean;
  startMs: number;
  endMs: number;
  timeoutMs: number | null;
  fault?: FaultSpec;
  outputPath: string;
  outcome: ChunkOutcome;
  stopped?: StopReason;
}

const timeRange = (segment: Segment): string => `${segment.startSeconds.toFixed(3)}–${(segment.startSeconds + segment.durationSeconds).toFixed(3)} s`;

/** Why an attempt failed, or null when it produced the chunk. */
export function failureOf(task: ChunkTask, a: FinishedAttempt): string | null {
  if (a.stopped === 'timeout') return `timed out after ${Math.round(a.timeoutMs ?? 0)} ms`;
  if (!succeeded(a.outcome)) return a.outcome.error ?? describeFailure(a.outcome);
  return frameCountProblem(a.outcome.framesOut, task.expectedFrames);
}

/** The frame-count rule, the one place it is written: a chunk that wrote other than its planned frames
 * failed, whoever ran it (the pool's attempts here, the queue worker's tries). Null: fine, or no plan. */
export function frameCountProblem(framesOut: number | null, expectedFrames: number | null): string | null {
  return expectedFrames !== null && framesOut !== expectedFrames ? `wrote ${framesOut ?? 'no'} frames, expected ${expectedFrames}` : null;
}

/** The attempt as stored in the chunk record. */
export function attemptRecord(task: ChunkTask, a: FinishedAttempt): AttemptRecord {
  const failure = failureOf(task, a);
  const cancelled = a.stopped !== undefined && a.stopped !== 'timeout';
  const { outcome } = a;
  return {
    attempt: a.attempt,
    workerId: a.workerId,
    ...(outcome.worker ? { worker: outcome.worker } : {}),
    startMs: a.startMs,
    endMs: a.endMs,
    state: cancelled ? 'cancelled' : failure ? 'failed' : 'ok',
    ...(cancelled ? { reason: a.stopped } : failure ? { reason: failure } : {}),
    speculative: a.speculative,
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    timeoutMs: a.timeoutMs,
    // a fault strikes only if ffmpeg was still running at its time; a stalled one ends by timeout or a backup
    ...(a.fault ? { fault: { ...a.fault, fired: failure !== null && a.endMs - a.startMs >= a.fault.afterMs } } : {}),
    utimeMs: outcome.bench?.utimeMs ?? null,
    stimeMs: outcome.bench?.stimeMs ?? null,
    rtimeMs: outcome.bench?.rtimeMs ?? null,
    ...(outcome.queueWaitMs === undefined ? {} : { queueWaitMs: outcome.queueWaitMs }),
  };
}

/** The chunk's record from its attempts: the winner's figures, or the last failure's with the evidence. */
export function chunkRecord(task: ChunkTask, segment: Segment, attempts: FinishedAttempt[], winner: FinishedAttempt | null, retries: number): ChunkRecord {
  // tries an executor retried on its own (queue) come first, as failed attempts of their own
  const inner: AttemptRecord[] = attempts.flatMap((a) =>
    (a.outcome.innerAttempts ?? []).map((t) => ({
      attempt: 0, workerId: a.workerId, worker: String(t.workerId), startMs: t.startMs, endMs: t.endMs, state: 'failed' as const, reason: t.reason,
      speculative: a.speculative, exitCode: null, signal: null, timeoutMs: a.timeoutMs, utimeMs: null, stimeMs: null, rtimeMs: null,
    })),
  );
  const records = [...inner, ...attempts.map((a) => attemptRecord(task, a))]
    .sort((x, y) => x.startMs - y.startMs || x.attempt - y.attempt)
    .map((r, i) => ({ ...r, attempt: i + 1 }));
  const lastFailure = attempts.filter((a) => a.stopped === undefined || a.stopped === 'timeout').at(-1);
  const shown = winner ?? lastFailure ?? attempts.at(-1);
  if (!shown) throw new Error(`chunk ${task.index} has no attempt`);
  const { outcome } = shown;
  let error: string | undefined;
  if (!winner) {
    // an executor that retries inside (the queue) keeps its own failed tries: when this process's attempt was
    // only stopped, the last of those is the cause
    const innerFailure = inner.at(-1);
    const reason = lastFailure ? failureOf(task, lastFailure) : innerFailure ? (innerFailure.reason ?? 'failed in the executor') : `stopped (${shown.stopped})`;
    const tries = records.length;
    const tail = outcome.stderrTail.split('\n').slice(-3).join(' | ');
    error = `chunk ${task.index} (${timeRange(segment)}) failed${tries > 1 ? ` after ${tries} attempts` : ''}: ${reason}${tail ? `; ffmpeg said: ${tail}` : ''}`;
  }
  return {
    index: task.index,
    state: winner ? 'ok' : 'failed',
    workerId: shown.workerId,
    startMs: shown.startMs,
    endMs: shown.endMs,
    startFrame: segment.startFrame,
    frameCount: segment.frameCount,
    framesOut: outcome.framesOut,
    durationSeconds: segment.durationSeconds,
    inputBytes: segment.inputBytes,
    outputBytes: fileBytes(shown.outputPath),
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    spawnToExitMs: outcome.spawnToExitMs,
    utimeMs: outcome.bench?.utimeMs ?? null,
    stimeMs: outcome.bench?.stimeMs ?? null,
    rtimeMs: outcome.bench?.rtimeMs ?? null,
    maxrssKb: outcome.bench?.maxrssKb ?? null,
    // a successful chunk's stderr is noise; a failed one's tail is the evidence
    stderrTail: error ? outcome.stderrTail : '',
    ...(outcome.queueWaitMs === undefined ? {} : { queueWaitMs: outcome.queueWaitMs }),
    ...(outcome.transfer ? { transfer: outcome.transfer } : {}),
    attempts: records,
    retries: retries + inner.length,
    ...(error ? { error } : {}),
  };
}
