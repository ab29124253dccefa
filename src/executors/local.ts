// The local executor: each attempt is one ffmpeg child process of this process. Cancellation (a timeout, a
// lost race, an interrupt) SIGKILLs it — its output is discarded anyway, and SIGKILL also ends a stopped
// process. An injected fault SIGKILLs (a crashed worker) or SIGSTOPs (a hung worker) the ffmpeg at its
// time. All of that is runProcess's (ffmpeg/terminate.ts); this file only chooses the options.
import type { Binaries } from '../ffmpeg/binaries.ts';
import { runProcess } from '../ffmpeg/exec.ts';
import type { ChunkExecutor } from './types.ts';

/** Runs each chunk's ffmpeg as a child process on this machine. */
export function localExecutor(binaries: Binaries): ChunkExecutor {
  return {
    name: 'local',
    run: (task, { signal, fault }) => runProcess(binaries.ffmpeg.path, task.args, { signal, killSignal: 'SIGKILL', fault: fault ?? null }),
  };
}
