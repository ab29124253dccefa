// Which processes are running: read from /proc, so a test can show that no ffmpeg of a run is left.
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of running processes whose command line contains `text` (zombies and this process excluded). */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!pid || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (cmdline.includes(text) && state !== 'Z') pids.push(pid);
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Resolves once `check` returns a value other than undefined, polling every 25 ms; rejects after `timeoutMs`. */
export function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      let value: T | undefined;
      try {
        value = check();
      } catch {
        value = undefined;
      }
      if (value !== undefined) {
        clearInterval(timer);
        resolve(value);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 25);
  });
}

/** The parent pid of a process (0 when it is gone). */
export function parentOf(pid: number): number {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so split after the last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** A child's stderr, line by line: every line so far, and a wait for the first line matching a pattern
 * (already seen, or yet to come), rejected after `timeoutMs` with everything it logged. */
export function watchStderr(child: import('node:child_process').ChildProcess, name: string): { lines: string[]; waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string> } {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let buffer = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const waitFor = (pattern: RegExp, timeoutMs = 60_000): Promise<string> => {
    const seen = lines.find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not log ${pattern} within ${timeoutMs} ms; it logged:\n${lines.join('\n')}`)), timeoutMs);
      waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  };
  return { lines, waitFor };
}

/** SIGKILLs a detached child's whole process group (it and anything it left behind); gone is fine. */
export function killProcessGroup(child: import('node:child_process').ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
