// Where chunks run is behind this interface: the local process pool now, a task queue later. The pipeline
// hands over a complete ffmpeg command; an executor only decides where and when it runs.
import type { ProcessOutcome } from '../ffmpeg/exec.ts';

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

/** What an executor reports for one chunk; `queueWaitMs` is for executors with a queue in between. */
export interface ChunkOutcome extends ProcessOutcome {
  queueWaitMs?: number;
}

/** Runs chunk commands somewhere. `workerId` is the pool slot the scheduler assigned. */
export interface ChunkExecutor {
  readonly name: string;
  run(task: ChunkTask, context: { workerId: number; signal: AbortSignal }): Promise<ChunkOutcome>;
}
