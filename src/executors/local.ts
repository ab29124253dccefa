// The local executor: each attempt is one ffmpeg child process of this process. Cancellation (a timeout, a
// lost race, an interrupt) SIGKILLs it — its output is discarded anyway, and SIGKILL also ends a stopped
// process. An injected fault SIGKILLs (a crashed worker) or SIGSTOPs (a hung worker) the ffmpeg at its time.
import type { Binaries } from '../ffmpeg/binaries.ts';
import { runProcess } from '../ffmpeg/exec.ts';
import type { ChunkExecutor, FaultSpec } from './types.ts';

/** Sends the fault's signal to the child `afterMs` after spawn, unless it has finished by then. */
export function faultTimer(fault: FaultSpec): { arm: (pid: number | undefined) => void; disarm: () => void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    arm: (pid) => {
      if (pid === undefined) return;
      timer = setTimeout(() => {
        try {
          process.kill(pid, fault.kind === 'kill' ? 'SIGKILL' : 'SIGSTOP');
        } catch {
          // finished before the fault struck
        }
      }, fault.afterMs);
    },
    disarm: () => clearTimeout(timer),
  };
}

/** Runs each chunk's ffmpeg as a child process on this machine. */
export function localExecutor(binaries: Binaries): ChunkExecutor {
  return {
    name: 'local',
    async run(task, { signal, fault }) {
      const injector = fault ? faultTimer(fault) : null;
      try {
        return await runProcess(binaries.ffmpeg.path, task.args, { signal, killSignal: 'SIGKILL', ...(injector ? { onSpawn: injector.arm } : {}) });
      } finally {
        injector?.disarm();
      }
    },
  };
}
