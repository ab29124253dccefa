// The local executor: each chunk is one ffmpeg child process of this process.
import type { Binaries } from '../ffmpeg/binaries.ts';
import { runProcess } from '../ffmpeg/exec.ts';
import type { ChunkExecutor } from './types.ts';

/** Runs each chunk's ffmpeg as a child process on this machine. */
export function localExecutor(binaries: Binaries): ChunkExecutor {
  return {
    name: 'local',
    run: (task, { signal }) => runProcess(binaries.ffmpeg.path, task.args, { signal }),
  };
}
