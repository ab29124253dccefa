// How a child process ends early, in one place (after execa's lib/terminate/: one concern, one file): the
// registry of live children (for a last-resort kill at exit), the timeout, the abort signal, the escalation
// from a polite signal to SIGKILL, and injected faults (a crashed or a hung worker). runProcess (exec.ts)
// arms it for every process; the local executor and the queue worker only pass options.

/** A fault injected into one attempt: `kill` SIGKILLs the ffmpeg (a crashed worker), `stall` SIGSTOPs it
 * (a hung one), `afterMs` after spawn. */
export interface FaultSpec {
  kind: 'kill' | 'stall';
  afterMs: number;
}

/** What may end a process early. */
export interface TerminationOptions {
  timeoutMs?: number | null;
  signal?: AbortSignal;
  /** Signal for cancellation and timeout (default SIGTERM, then SIGKILL after FORCE_KILL_AFTER_MS). A
   * SIGSTOPped process ignores everything but SIGKILL: executors that inject stalls use SIGKILL. */
  killSignal?: NodeJS.Signals;
  fault?: FaultSpec | null;
}

export const FORCE_KILL_AFTER_MS = 2000;

// Every child still running, so that an exit at once (a second Ctrl-C, a worker's exit) can kill them all.
const liveChildren = new Set<number>();

/** pids of the children running now. */
export function liveChildPids(): number[] {
  return [...liveChildren];
}

/** Sends `signal` to `pid`; false when it is already gone. */
export function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs every child process still running (a stopped one too); returns how many. */
export function killAllChildren(): number {
  let killed = 0;
  for (const pid of liveChildren) if (signalPid(pid, 'SIGKILL')) killed++;
  liveChildren.clear();
  return killed;
}

/** The termination of one process: `kill` sends its signal (the process may not have started yet), and
 * `spawned(pid)` / `exited()` bracket its life. `timedOut` says whether the timeout fired. */
export interface Termination {
  spawned(pid: number | undefined): void;
  exited(): void;
  readonly timedOut: boolean;
}

/** Arms the timeout and the abort signal at once (they count from the request) and the fault at spawn;
 * `send` delivers a signal to the process, wherever it runs. */
export function armTermination(options: TerminationOptions, send: (signal: NodeJS.Signals) => void): Termination {
  const timers: NodeJS.Timeout[] = [];
  let timedOut = false;
  let pid: number | undefined;
  const killSignal = options.killSignal ?? 'SIGTERM';
  const kill = () => {
    send(killSignal);
    if (killSignal !== 'SIGKILL') timers.push(setTimeout(() => send('SIGKILL'), FORCE_KILL_AFTER_MS));
  };
  if (options.timeoutMs) {
    timers.push(
      setTimeout(() => {
        timedOut = true;
        kill();
      }, options.timeoutMs),
    );
  }
  const onAbort = () => kill();
  if (options.signal?.aborted) queueMicrotask(kill);
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    spawned: (spawnedPid) => {
      pid = spawnedPid;
      if (pid === undefined) return;
      liveChildren.add(pid);
      const fault = options.fault;
      if (fault) timers.push(setTimeout(() => send(fault.kind === 'kill' ? 'SIGKILL' : 'SIGSTOP'), fault.afterMs));
    },
    exited: () => {
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) liveChildren.delete(pid);
    },
    get timedOut() {
      return timedOut;
    },
  };
}
