// Runs one ffmpeg/ffprobe process and returns what happened as data (success and failure have one shape,
// as in execa): exit code, signal, our own spawn→exit wall time, ffmpeg's `-benchmark` figures, and the
// tail of stderr. The harness overhead per chunk is `spawnToExitMs − bench.rtimeMs`.
//
// This is the harness's hot path (a default grid starts thousands of ffmpeg processes), so it uses
// node:child_process directly rather than execa, which the one-off calls (binary checks, scripts) keep:
// measured on the 2-core VM, 200 spawns of /bin/true cost the Node process 3.5 ms of CPU each through
// execa and 1.3 ms each through spawn() — the difference alone is ~1% of an experiment's CPU.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDiskFull } from '../errors.ts';
import { helperRunning, spawnerEnabled, spawnThroughHelper, type SpawnedExit } from './spawner.ts';
import { armTermination, type TerminationOptions } from './terminate.ts';

/** ffmpeg's own `-benchmark` line: CPU and real time of the whole process, and peak memory. */
export interface FfmpegBench {
  utimeMs: number;
  stimeMs: number;
  rtimeMs: number;
  maxrssKb: number | null;
}

/** The outcome of one ffmpeg process, successful or not. */
export interface ProcessOutcome {
  command: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Wall time from just before spawn to exit, measured by us. */
  spawnToExitMs: number;
  bench: FfmpegBench | null;
  /** Frames written, from ffmpeg's last progress line (null if it printed none). */
  framesOut: number | null;
  stderrTail: string;
  stdout: string;
}

/** What to keep of a process, and what may end it early (timeout, abort, an injected fault: terminate.ts). */
export interface RunProcessOptions extends TerminationOptions {
  /** Keep the full stdout (ffprobe JSON), through a temp file; stderr is always cut to a tail. */
  keepStdout?: boolean;
  /** Called with the child's pid once it is spawned (tests). */
  onSpawn?: (pid: number | undefined) => void;
}

/** SIGTERMs a long-lived helper process (redis-server, a queue worker), SIGKILLs it after `graceMs`, and
 * resolves once it has exited. */
export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
  });
}

const STDERR_TAIL_LINES = 12;

/** Parses `bench: utime=0.035s stime=0.009s rtime=0.043s` and `bench: maxrss=22000kB`. */
export function parseBench(stderr: string): FfmpegBench | null {
  const times = /bench: utime=([\d.]+)s stime=([\d.]+)s rtime=([\d.]+)s/.exec(stderr);
  if (!times) return null;
  const rss = /bench: maxrss=(\d+)kB/.exec(stderr);
  return {
    utimeMs: Number(times[1]) * 1000,
    stimeMs: Number(times[2]) * 1000,
    rtimeMs: Number(times[3]) * 1000,
    maxrssKb: rss ? Number(rss[1]) : null,
  };
}

/** The frame count of ffmpeg's last `frame=  123 fps=...` progress line. */
export function parseFramesOut(stderr: string): number | null {
  let last: string | undefined;
  for (const match of stderr.matchAll(/frame=\s*(\d+)/g)) last = match[1];
  return last === undefined ? null : Number(last);
}

/** The last lines of stderr, without progress noise, for error messages and records. */
export function stderrTail(stderr: string, lines = STDERR_TAIL_LINES): string {
  const kept = stderr
    .split(/[\r\n]+/)
    .map((line) => line.trimEnd())
    .filter((line) => line && !line.startsWith('bench:') && !/^frame=\s*\d+/.test(line) && !/^size=/.test(line));
  return kept.slice(-lines).join('\n');
}

// Lines ffmpeg prints after the real cause, whatever it was.
const GENERIC = /^(Error reinitializing filters|Failed to inject frame|Error while (processing|filtering|decoding)|Conversion failed|Error initializing output stream|Error opening filters|Stream mapping|Press \[q\]|\s)/;

/** The non-empty lines of an ffmpeg/ffprobe stderr tail without the `[component @ 0x…]` prefix, and without
 * `path: ` where the message is about the input at `path`. */
export function ffmpegLines(tail: string, path?: string): string[] {
  return tail
    .split('\n')
    .map((line) => {
      const bare = line.replace(/^\[[^\]]+ @ 0x[0-9a-f]+\]\s*/, '');
      return (path ? bare.replace(`${path}: `, '') : bare).trim();
    })
    .filter(Boolean);
}

/** The most specific line of an ffmpeg error, without the `[component @ 0x…]` prefix. */
export function ffmpegReason(tail: string): string {
  const lines = ffmpegLines(tail);
  const specific = lines.filter((line) => !GENERIC.test(line));
  const errorish = specific.filter((line) => /error|invalid|no such|not found|unable|cannot|failed|unrecognized|too big|option/i.test(line));
  return errorish[0] ?? specific.at(-1) ?? lines.at(-1) ?? '';
}

const MAX_STDERR_BYTES = 256 * 1024 * 1024;
// ffmpeg ignores most of the environment, but colour codes would end up in the stderr tails
const ENV = { ...process.env, AV_LOG_FORCE_NOCOLOR: '1' };
// ffprobe writes its listing in ~400-byte pieces: through a pipe that is ~2,500 'data' events and 25 ms of
// Node CPU per probe of a 60 s clip; written to a file and read once, 4.7 ms (measured). Read as one Buffer
// then decoded: readFileSync(path, 'utf8') reads in 8 kB steps into a growing copy, 9.7 ms and 350 page
// faults for a 470 kB listing on the 2-core VM against 5.7 ms and 240 (measured).
let stdoutFiles = 0;

/** Runs a binary with arguments; never throws for a non-zero exit or a failed spawn (the outcome says so).
 * The process is started by the spawner helper (ffmpeg/spawner.ts) unless CHUNKBENCH_SPAWNER=direct. */
export function runProcess(binary: string, args: string[], options: RunProcessOptions = {}): Promise<ProcessOutcome> {
  const stdoutPath = options.keepStdout ? join(tmpdir(), `chunkbench-${process.pid}-stdout-${stdoutFiles++}`) : null;
  // one request is one line to the spawner's shell: an argument with a newline is started from here
  const started = spawnerEnabled() && !args.some((a) => a.includes('\n')) ? startInSpawner(binary, args, stdoutPath) : startHere(binary, args, stdoutPath);
  const termination = armTermination(options, (signal) => started.kill(signal));
  started.onPid((pid) => {
    termination.spawned(pid);
    options.onSpawn?.(pid);
  });

  return started.done.then((exit) => {
    termination.exited();
    let stdout = '';
    if (stdoutPath) {
      try {
        stdout = existsSync(stdoutPath) ? readFileSync(stdoutPath).toString('utf8') : '';
      } finally {
        rmSync(stdoutPath, { force: true });
      }
    }
    const err = exit.stderr + (exit.error ? `\n${exit.error}` : '');
    return {
      command: [binary, ...args].join(' '),
      exitCode: exit.error && exit.code === null && exit.signal === null ? null : exit.code,
      signal: exit.signal ?? null,
      timedOut: termination.timedOut,
      spawnToExitMs: exit.spawnToExitMs,
      bench: parseBench(err),
      framesOut: parseFramesOut(err),
      stderrTail: stderrTail(err),
      stdout,
    };
  });
}

/** Starts the spawner helper, if it is used and not running, and waits until it has started a process:
 * python3's start-up (0.05–0.9 s on the 2-core VM, by load) then falls outside whatever is timed next.
 * Called before a measured pipeline run, a ceiling round and a queue worker's first job. */
export async function spawnerReady(): Promise<void> {
  if (!spawnerEnabled() || helperRunning()) return;
  await runProcess('/bin/true', []);
}

/** A started process, wherever it runs. */
interface Started {
  done: Promise<SpawnedExit>;
  kill: (signal: NodeJS.Signals) => void;
  onPid: (callback: (pid: number | undefined) => void) => void;
}

function startInSpawner(binary: string, args: string[], stdoutPath: string | null): Started {
  let callback: ((pid: number | undefined) => void) | null = null;
  let known: { pid: number | undefined } | null = null;
  const { done, kill } = spawnThroughHelper({ binary, args, stdoutPath }, ENV, (pid) => {
    known = { pid };
    callback?.(pid);
  });
  return {
    done,
    kill,
    onPid: (cb) => {
      callback = cb;
      if (known) cb(known.pid);
    },
  };
}

/** Spawns from this process (CHUNKBENCH_SPAWNER=direct). */
function startHere(binary: string, args: string[], stdoutPath: string | null): Started {
  const started = performance.now();
  let child: ChildProcess;
  const stdoutFd = stdoutPath ? openSync(stdoutPath, 'w') : null;
  try {
    child = spawn(binary, args, { stdio: ['ignore', stdoutFd ?? 'ignore', 'pipe'], env: ENV });
  } finally {
    if (stdoutFd !== null) closeSync(stdoutFd);
  }
  const stderr: Buffer[] = [];
  let stderrBytes = 0;
  let spawnError: Error | null = null;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrBytes += chunk.length;
    if (stderrBytes <= MAX_STDERR_BYTES) stderr.push(chunk);
  });
  child.on('error', (error) => (spawnError = error));
  const done = new Promise<SpawnedExit>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({ code, signal, spawnToExitMs: performance.now() - started, stderr: Buffer.concat(stderr).toString('utf8'), error: spawnError?.message ?? null }),
    ),
  );
  return { done, kill: (signal) => child.kill(signal), onPid: (cb) => cb(child.pid) };
}

/** True when the process ran to a zero exit. */
// ffmpeg can exit 0 after a failed write: its own words count as a failure too.
export function succeeded(outcome: ProcessOutcome): boolean {
  return outcome.exitCode === 0 && !outcome.signal && !outcome.timedOut && !isDiskFull(undefined, outcome.stderrTail);
}

/** "exit code 1", "killed by SIGKILL", "timed out after 5000 ms" — the reason first, as execa does. */
export function describeFailure(outcome: ProcessOutcome, timeoutMs?: number): string {
  if (outcome.timedOut) return `timed out after ${timeoutMs ?? '?'} ms`;
  if (outcome.signal) return `killed by ${outcome.signal}`;
  if (outcome.exitCode === 0 && isDiskFull(undefined, outcome.stderrTail)) return 'disk full (No space left on device)';
  return `exit code ${outcome.exitCode}`;
}
