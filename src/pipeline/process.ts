// process: a pool of N workers pulling chunks from one queue (dynamic scheduling), longest chunk first, so
// the tail of the run is made of short chunks and a long one cannot become the straggler (LPT rule,
// Graham 1969: within 4/3 of the optimal makespan). The pool knows nothing of ffmpeg: an executor runs
// each task, and a clock stamps start and end, both injectable for deterministic tests.
import { statSync } from 'node:fs';
import { describeFailure, succeeded } from '../ffmpeg/exec.ts';
import type { ChunkExecutor, ChunkOutcome, ChunkTask } from '../executors/types.ts';
import type { ChunkRecord, Segment } from './types.ts';

/** Milliseconds from an arbitrary origin; performance.now in production. */
export type Clock = () => number;

export interface PoolOptions {
  workers: number;
  executor: ChunkExecutor;
  clock?: Clock;
  /** Time origin of the run, so chunk start/end are "ms from run start". */
  originMs?: number;
  signal?: AbortSignal;
  /** Called as each chunk finishes (progress, incremental storage). */
  onChunk?: (record: ChunkRecord) => void;
}

/** Longest first; ties by index so the order is deterministic. */
export function scheduleOrder(tasks: ChunkTask[]): ChunkTask[] {
  return [...tasks].sort((a, b) => b.durationSeconds - a.durationSeconds || a.index - b.index);
}

/** Size of a file, 0 when it is missing (a chunk that wrote nothing). */
export function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Turns an executor's outcome into the chunk's record, checking the frame count it wrote. */
export function toChunkRecord(task: ChunkTask, segment: Segment, outcome: ChunkOutcome, workerId: number, startMs: number, endMs: number): ChunkRecord {
  let error: string | undefined;
  if (!succeeded(outcome)) {
    error = `chunk ${task.index} (${segment.startSeconds.toFixed(3)}–${(segment.startSeconds + segment.durationSeconds).toFixed(3)} s) failed: ${describeFailure(outcome)}; ffmpeg said: ${outcome.stderrTail.split('\n').slice(-3).join(' | ')}`;
  } else if (task.expectedFrames !== null && outcome.framesOut !== task.expectedFrames) {
    error = `chunk ${task.index} wrote ${outcome.framesOut ?? 'no'} frames, expected ${task.expectedFrames}`;
  }
  return {
    index: task.index,
    state: error ? 'failed' : 'ok',
    workerId,
    startMs,
    endMs,
    startFrame: segment.startFrame,
    frameCount: segment.frameCount,
    framesOut: outcome.framesOut,
    durationSeconds: segment.durationSeconds,
    inputBytes: segment.inputBytes,
    outputBytes: fileBytes(task.outputPath),
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
    ...(error ? { error } : {}),
  };
}

/** Runs every task on a pool of `workers` slots; stops taking new tasks after the first failure. */
export async function runPool(tasks: ChunkTask[], segments: Segment[], options: PoolOptions): Promise<ChunkRecord[]> {
  const clock = options.clock ?? (() => performance.now());
  const origin = options.originMs ?? clock();
  const queue = scheduleOrder(tasks);
  const records: ChunkRecord[] = [];
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let failed = false;
  const worker = async (workerId: number) => {
    for (let task = queue.shift(); task && !failed && !controller.signal.aborted; task = queue.shift()) {
      const segment = segments[task.index];
      if (!segment) throw new Error(`no segment for chunk ${task.index}`);
      const startMs = clock() - origin;
      const outcome = await options.executor.run(task, { workerId, signal: controller.signal });
      const record = toChunkRecord(task, segment, outcome, workerId, startMs, clock() - origin);
      records.push(record);
      options.onChunk?.(record);
      if (record.state === 'failed') failed = true;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.workers, tasks.length)) }, (_, id) => worker(id)));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return records.sort((a, b) => a.index - b.index);
}
