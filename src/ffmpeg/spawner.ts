// Starts ffmpeg and ffprobe through a small long-lived /bin/sh process instead of from the harness's own
// process (Linux; elsewhere, and with CHUNKBENCH_SPAWNER=direct, the harness spawns them itself).
//
// Why. Node (libuv 1.46) starts a child with fork() on Linux, and after a fork every page the parent
// writes takes a copy-on-write fault, even once the child has exec'd. On this 2-core VM a fault costs
// ~16 µs: a Node process holding 100 MB that writes all of it once between spawns paid 414 ms of CPU per
// spawn of /bin/true (2.4 ms without the spawns). The harness holds ~100 MB (the TypeScript loader, the
// results, V8's young generation, which every scavenge rewrites) and starts ~1,200 processes in a default
// grid: spawning from it cost ~8.5 s of its CPU there. A Node helper process (45 MB) cost more than it
// saved (11.5 s for the same grid); a shell holds ~1 MB and forks for almost nothing.
//
// Protocol. The harness writes one line per process, its words shell-quoted:
//   run <id> <stdout file> <stderr file> <binary> <args…>
// and the shell starts a subshell that starts the process and waits for it, printing
//   s <id> <pid>                                    once it runs
//   e <id> <exit status> <subshell CPU ns>          when it has exited (status 128+n: killed by signal n)
// stderr goes to a file the harness reads once at the end (no pipe, no per-chunk events). Kills are sent
// to the pid directly. The spawner's CPU — the shell's own and every subshell's, from /proc schedstat —
// counts as the harness's (harnessCpuUs).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { signalPid } from './terminate.ts';
import { join } from 'node:path';

/** How a process ended, as the spawner reports it. */
export interface SpawnedExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Wall time from just before the request to the exit's report. */
  spawnToExitMs: number;
  stderr: string;
  /** A spawn error, or the spawner's own death. */
  error: string | null;
}

export interface SpawnRequest {
  binary: string;
  args: string[];
  /** stdout goes to this file (null: discarded). */
  stdoutPath: string | null;
}

interface Pending {
  /** The shell it was sent to: when that shell dies, only its own requests fail. */
  shell: ChildProcess;
  startedMs: number;
  stderrPath: string;
  pid: number | undefined;
  /** A kill asked for before the pid was known. */
  killWith: NodeJS.Signals | null;
  onPid: (pid: number | undefined) => void;
  resolve: (exit: SpawnedExit) => void;
}

// the subshell: its own pid from /proc/self/stat (read by the shell itself), the process in the
// background, its pid, the wait, then its status and the subshell's own CPU (ns) from schedstat
// The shell stays in the harness's process group, so that whoever kills that group (a test's cleanup, a
// service manager) kills its processes too. A terminal's Ctrl-C reaches the whole group: the shell ignores
// INT/TERM/HUP (the harness decides what stops) and gives its processes TERM and HUP back at their
// defaults; ffmpeg installs its own SIGINT handler, so Ctrl-C stops it as it did before the spawner.
// the shell's own stderr is discarded: it would print "Killed" for every ffmpeg the harness kills (each
// process's stderr goes to its own file, the shell's "not found" included)
const SCRIPT = [
  "trap '' INT TERM HUP",
  'exec 2>/dev/null',
  'run() {',
  '  id=$1 out=$2 err=$3; shift 3',
  '  (',
  '    trap - TERM HUP',
  '    "$@" </dev/null >"$out" 2>"$err" &',
  '    echo "s $id $!"',
  '    wait $!',
  '    status=$?',
  '    read -r ns rest </proc/self/schedstat 2>/dev/null || ns=0',
  '    echo "e $id $status $ns"',
  '  ) &',
  '}',
  'while IFS= read -r line; do eval "$line"; done',
].join('\n');

let shell: ChildProcess | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();
/** CPU of the subshells that have exited, ns; the shell's own is read from /proc when asked. */
let subshellCpuNs = 0;
let exitedShellsCpuNs = 0;
/** stderr beyond this is not read (a runaway process); its tail is what matters. */
const MAX_STDERR_BYTES = 16 * 1024 * 1024;

/** True on Linux unless CHUNKBENCH_SPAWNER=direct (libuv spawns with posix_spawn on macOS: no fork cost). */
export function spawnerEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CHUNKBENCH_SPAWNER !== 'direct' && process.platform === 'linux' && existsSync('/proc/self/schedstat');
}

/** A word the shell reads back as exactly `s`. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const signalNames = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/** Exit status as the shell reports it → code or signal (128 + n is signal n, as the shell encodes it). */
export function fromShellStatus(status: number): { code: number | null; signal: NodeJS.Signals | null } {
  const signal = status > 128 ? signalNames.get(status - 128) : undefined;
  return signal ? { code: null, signal } : { code: status, signal: null };
}

function readAndRemove(path: string): string {
  try {
    if (!existsSync(path)) return '';
    const size = statSync(path).size;
    if (size <= MAX_STDERR_BYTES) return readFileSync(path).toString('utf8');
    // only the tail of a huge stderr: the reason for a failure is at its end
    const fd = openSync(path, 'r');
    try {
      const tail = Buffer.alloc(MAX_STDERR_BYTES);
      readSync(fd, tail, 0, MAX_STDERR_BYTES, size - MAX_STDERR_BYTES);
      return tail.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(path, { force: true });
  }
}

function onLine(line: string): void {
  const [kind, idText, a, b] = line.split(' ');
  const waiting = pending.get(Number(idText));
  if (!waiting) return;
  if (kind === 's') {
    waiting.pid = Number(a) || undefined;
    if (waiting.killWith && waiting.pid) signalPid(waiting.pid, waiting.killWith);
    waiting.onPid(waiting.pid);
  } else if (kind === 'e') {
    pending.delete(Number(idText));
    subshellCpuNs += Number(b) || 0;
    const stderr = readAndRemove(waiting.stderrPath);
    const status = Number(a);
    // the shell's own words when it could not start the binary (127: not found, 126: not executable)
    const error = status === 127 || status === 126 ? (stderr.trim().split('\n').pop() ?? `exit status ${status}`) : null;
    waiting.resolve({ ...fromShellStatus(status), spawnToExitMs: performance.now() - waiting.startedMs, stderr, error });
  }
  holdWhileBusy();
}

// the shell's pipes hold the event loop only while the harness waits for a process
function holdWhileBusy(): void {
  const out = shell?.stdout as unknown as { ref(): void; unref(): void } | undefined;
  if (!shell || !out) return;
  if (pending.size) {
    shell.ref();
    out.ref();
  } else {
    shell.unref();
    out.unref();
  }
}

function shellOwnCpuNs(pid: number | undefined): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) || 0;
  } catch {
    return 0;
  }
}

let lastShellCpuNs = 0;

/** SIGKILLs every process the harness is waiting for whose pid is known. */
function killPending(of?: ChildProcess): void {
  for (const p of pending.values()) if (p.pid && (!of || p.shell === of)) signalPid(p.pid, 'SIGKILL');
}

function startShell(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn('/bin/sh', ['-c', SCRIPT], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    buffer += text;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      onLine(line);
    }
  });
  child.stdin?.on('error', () => {}); // a dead shell: its close handler fails what was pending
  // what the shell was running goes with it; its subshells hold the pipe open until their process ends, so
  // this also lets 'close' come (a process whose pid was not yet reported runs to its end first)
  child.on('exit', () => {
    if (shell === child) shell = null;
    killPending(child);
  });
  // 'close', not 'exit': the lines still in the pipe (processes that did finish) are read first; each
  // caller still waiting gets a failed outcome, not a hang
  child.on('close', (code, signal) => {
    exitedShellsCpuNs += lastShellCpuNs;
    lastShellCpuNs = 0;
    const lost = [...pending].filter(([, p]) => p.shell === child);
    for (const [id] of lost) pending.delete(id);
    for (const [, p] of lost) {
      rmSync(p.stderrPath, { force: true });
      p.resolve({ code: null, signal: null, spawnToExitMs: performance.now() - p.startedMs, stderr: '', error: `the spawner process exited (${signal ?? `code ${code}`})` });
    }
  });
  return child;
}

// no process outlives the harness: at exit, whatever still runs is killed (synchronously)
process.once('exit', () => {
  killPending();
  shell?.kill('SIGKILL');
});

/** Starts `request` through the shell; `onPid` is called once it runs; `kill(signal)` signals it. */
export function spawnThroughHelper(request: SpawnRequest, env: NodeJS.ProcessEnv, onPid: (pid: number | undefined) => void): { done: Promise<SpawnedExit>; kill: (signal: NodeJS.Signals) => void } {
  shell ??= startShell(env);
  const to = shell;
  const id = nextId++;
  const stderrPath = join(tmpdir(), `chunkbench-${process.pid}-stderr-${id}`);
  let entry: Pending | undefined;
  const done = new Promise<SpawnedExit>((resolve) => {
    entry = { shell: to, startedMs: performance.now(), stderrPath, pid: undefined, killWith: null, onPid, resolve };
    pending.set(id, entry);
  });
  const words = [request.stdoutPath ?? '/dev/null', stderrPath, request.binary, ...request.args].map(shellQuote).join(' ');
  to.stdin?.write(`run ${id} ${words}\n`);
  holdWhileBusy();
  return {
    done,
    kill: (signal) => {
      if (!entry || !pending.has(id)) return;
      if (entry.pid) signalPid(entry.pid, signal);
      else entry.killWith = signal;
    },
  };
}

/** The spawner's CPU so far (its shells and their subshells), in microseconds; 0 if none ran. */
export function spawnerCpuUs(): number {
  if (shell) lastShellCpuNs = shellOwnCpuNs(shell.pid);
  return (exitedShellsCpuNs + lastShellCpuNs + subshellCpuNs) / 1000;
}

/** The harness's CPU in microseconds: this process's and its spawner's. */
export function harnessCpuUs(): number {
  const own = process.cpuUsage();
  return own.user + own.system + spawnerCpuUs();
}
