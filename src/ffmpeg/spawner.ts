// Starts ffmpeg and ffprobe through a small long-lived helper process instead of from the harness's own
// process (Linux; elsewhere, and with CHUNKBENCH_SPAWNER=direct, the harness spawns them itself).
//
// Why. Node (libuv 1.46) starts a child with fork() on Linux, and after a fork every page the parent
// writes takes a copy-on-write fault, even once the child has exec'd. On this 2-core VM a fault costs
// ~16 µs: a Node process holding 100 MB that writes all of it once between spawns paid 414 ms of CPU per
// spawn of /bin/true (2.4 ms without the spawns). The harness holds ~100 MB (the TypeScript loader, the
// results, V8's young generation, which every scavenge rewrites) and starts ~1,200 processes in a default
// grid: spawning from it cost ~8.5 s of its CPU there. A Node helper process (45 MB) cost more than it
// saved (11.5 s for the same grid).
//
// Two helpers, the first that is available (CHUNKBENCH_SPAWNER=python|sh|direct chooses):
//   python  python3 -c PY_SCRIPT: posix_spawnp (glibc: clone(CLONE_VM|CLONE_VFORK), no page tables copied),
//           SIGCHLD through a wakeup pipe, one process per request. Measured per /bin/true on the 2-core VM
//           while bench:check kept both cores busy, interleaved: 0.51–0.57 ms of helper CPU per process
//           against 3.6–4.2 ms for the shell below (1.26–1.51 ms of the shell's, 2.33–2.74 ms of its
//           subshell's); a perl helper with one fork() per process measured 2.75–3.19 ms. Without
//           os.posix_spawn (Python < 3.8) the script execs /bin/sh with SCRIPT instead.
//   sh      /bin/sh -c SCRIPT: a subshell per process that starts it and waits for it — a fork of a ~1 MB
//           shell and another of the subshell. (One fork without the subshell is not possible in a shell: bash
//           runs a CHLD trap only after `read` returns, dash has no such trap.)
//
// Protocol (both). The harness writes one line per process, its words shell-quoted:
//   run <id> <stdout file> <stderr file> <binary> <args…>
// and the helper prints
//   s <id> <pid>                                    once it runs (pid 0: it could not be started)
//   e <id> <exit status> <subshell CPU ns>          when it has exited (status 128+n: killed by signal n;
//                                                   127 not found, 126 not executable; CPU 0 for python)
// stderr goes to a file the harness reads once at the end (no pipe, no per-chunk events). Kills are sent
// to the pid directly. The helper's CPU — its own and every subshell's, from /proc schedstat — counts as the
// harness's (harnessCpuUs).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants as fsConstants, existsSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { signalPid } from './terminate.ts';
import { delimiter, join } from 'node:path';

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

// The python helper (see the header). It ignores INT/TERM/HUP as the shell does (the harness decides what
// stops) and gives its processes those, PIPE and QUIT at their defaults; its processes stay in the harness's
// process group. At the end of its input it waits for what still runs, reports it, and exits.
const PY_SCRIPT = [
  'import errno, os, select, shlex, signal, sys',
  "if not hasattr(os, 'posix_spawnp'):",
  "    os.execv('/bin/sh', ['/bin/sh', '-c', sys.argv[1]])",
  'for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP): signal.signal(s, signal.SIG_IGN)',
  'wake_r, wake_w = os.pipe()',
  'os.set_blocking(wake_r, False); os.set_blocking(wake_w, False)',
  'signal.set_wakeup_fd(wake_w)',
  'signal.signal(signal.SIGCHLD, lambda *_: None)',
  'DEFAULTS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE, signal.SIGQUIT)',
  'running = {}',
  'def say(text): os.write(1, text.encode())',
  'def reap(block):',
  '    while running:',
  '        try: pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)',
  '        except ChildProcessError: return',
  '        if pid == 0: return',
  '        ident = running.pop(pid, None)',
  '        if ident is None: continue',
  '        code = 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)',
  "        say(f'e {ident} {code} 0\\n')",
  'def start(words):',
  '    ident, out, err, argv = words[1], words[2], words[3], words[4:]',
  '    fds = []',
  '    try:',
  "        fds = [os.open('/dev/null', os.O_RDONLY), os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666), os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)]",
  '        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, fd, i) for i, fd in enumerate(fds)], setsigdef=DEFAULTS)',
  '    except OSError as e:',
  '        code = 127 if e.errno == errno.ENOENT else 126 if e.errno == errno.EACCES else 2',
  '        if len(fds) == 3:',
  "            os.write(fds[2], f'{argv[0]}: {\"not found\" if code == 127 else e.strerror}\\n'.encode())",
  "        say(f's {ident} 0\\ne {ident} {code} 0\\n')",
  '        return',
  '    finally:',
  '        for fd in fds: os.close(fd)',
  '    running[pid] = ident',
  "    say(f's {ident} {pid}\\n')",
  "buf = b''",
  'while True:',
  '    ready = select.select([0, wake_r], [], [])[0]',
  '    if wake_r in ready:',
  '        try: os.read(wake_r, 4096)',
  '        except BlockingIOError: pass',
  '    reap(False)',
  '    if 0 not in ready: continue',
  '    data = os.read(0, 65536)',
  '    if not data: break',
  "    *lines, buf = (buf + data).split(b'\\n')",
  '    for line in lines:',
  "        words = shlex.split(line.decode('utf-8', 'surrogateescape'))",
  "        if len(words) >= 5 and words[0] == 'run': start(words)",
  'reap(True)',
].join('\n');

let shell: ChildProcess | null = null;
let shellKind: HelperKind | null = null;
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

export type HelperKind = 'python' | 'sh';

/** An executable file of that name on PATH, or undefined. */
function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      const candidate = join(dir, name);
      accessSync(candidate, fsConstants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

interface Helper {
  kind: HelperKind;
  command: string;
  args: string[];
}
let chosen: { key: string; helper: Helper } | null = null;

/** Which helper starts the processes: CHUNKBENCH_SPAWNER=python|sh, else python3 when it is on PATH. */
export function helperKind(env: NodeJS.ProcessEnv = process.env): Helper {
  const key = `${env.CHUNKBENCH_SPAWNER ?? ''}\0${env.PATH ?? ''}`;
  if (chosen?.key === key) return chosen.helper;
  const python = env.CHUNKBENCH_SPAWNER === 'sh' ? undefined : onPath('python3', env);
  const helper: Helper = python ? { kind: 'python', command: python, args: ['-c', PY_SCRIPT, SCRIPT] } : { kind: 'sh', command: '/bin/sh', args: ['-c', SCRIPT] };
  chosen = { key, helper };
  return helper;
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

/** Each running helper's own CPU at its last reading, ns (kept once it has died and /proc forgets it). */
const liveCpuNs = new Map<ChildProcess, number>();

/** SIGKILLs every process the harness is waiting for whose pid is known. */
function killPending(of?: ChildProcess): void {
  for (const p of pending.values()) if (p.pid && (!of || p.shell === of)) signalPid(p.pid, 'SIGKILL');
}

function startShell(env: NodeJS.ProcessEnv, helper: Helper): ChildProcess {
  // the helper's own stderr is discarded: the shell would print "Killed" for every ffmpeg the harness kills
  // (each process's stderr goes to its own file, "not found" included)
  const child = spawn(helper.command, helper.args, { env, stdio: ['pipe', 'pipe', 'ignore'] });
  shellKind = helper.kind;
  liveCpuNs.set(child, 0);
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
    exitedShellsCpuNs += liveCpuNs.get(child) ?? 0;
    liveCpuNs.delete(child);
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
  const helper = helperKind(process.env);
  // another kind asked for (tests): the old helper finishes what it runs and exits at the end of its input
  if (shell && shellKind !== helper.kind) {
    shell.stdin?.end();
    shell = null;
  }
  shell ??= startShell(env, helper);
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

/** True when a helper of the kind the environment asks for is running (the next request starts at once). */
export function helperRunning(): boolean {
  return shell !== null && shellKind === helperKind(process.env).kind;
}

/** The spawner's CPU so far (its shells and their subshells), in microseconds; 0 if none ran. */
export function spawnerCpuUs(): number {
  let live = 0;
  for (const [child, last] of liveCpuNs) {
    const now = Math.max(last, shellOwnCpuNs(child.pid));
    liveCpuNs.set(child, now);
    live += now;
  }
  return (exitedShellsCpuNs + live + subshellCpuNs) / 1000;
}

/** The harness's CPU in microseconds: this process's and its spawner's. */
export function harnessCpuUs(): number {
  const own = process.cpuUsage();
  return own.user + own.system + spawnerCpuUs();
}
