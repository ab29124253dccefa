// Shared helpers for end-to-end tests: real ffmpeg, real fixtures, temp dirs that are checked and removed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { resolveBinaries } from '../src/ffmpeg/binaries.ts';

export const REPO = resolve(import.meta.dirname, '..');

/** MD5 of every decoded video frame, in order (ffmpeg's framemd5 muxer): equal lists mean identical pictures. */
export async function frameHashes(path: string): Promise<string[]> {
  const { ffmpeg } = await resolveBinaries();
  const text = execFileSync(ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-i', path, '-map', '0:v:0', '-vsync', 'passthrough', '-f', 'framemd5', '-'], { maxBuffer: 64 * 1024 * 1024 }).toString();
  return text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split(',').pop()?.trim() ?? '');
}

/** A fresh temp directory and a function that asserts it is empty, then removes it. */
export function tempDir(prefix = 'cb-test-'): { dir: string; entries: () => string[]; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, entries: () => readdirSync(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a CLI entry with tsx, as `npm run` would; returns exit code and output. */
export function runCli(entry: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number } = {}): { status: number | null; stdout: string; stderr: string } {
  const tsx = join(REPO, 'node_modules', '.bin', 'tsx');
  const user = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
  const result = spawnSync(tsx, [join(REPO, entry), ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env }, encoding: 'utf8', timeout: 300_000, ...user });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Lowest per-frame PSNR (dB) of `a` against `b`, frame by frame; Infinity where identical. A frame shifted
 * by one scores ~20–30 dB on the fixtures, a faithful near-lossless frame over 80 dB. */
export async function minFramePsnr(a: string, b: string): Promise<number> {
  const { ffmpeg } = await resolveBinaries();
  const log = join(mkdtempSync(join(tmpdir(), 'cb-psnr-')), 'psnr.log');
  try {
    execFileSync(ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-i', a, '-i', b, '-lavfi', `[0:v][1:v]psnr=stats_file=${log}`, '-f', 'null', '-']);
    const values = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => /psnr_avg:(\S+)/.exec(line)?.[1] ?? 'nan').map((v) => (v === 'inf' ? Infinity : Number(v)));
    return Math.min(...values);
  } finally {
    rmSync(dirname(log), { recursive: true, force: true });
  }
}

/** Root reads and writes anything, so permission errors are shown by running the CLI as `nobody` then. */
export const UNPRIVILEGED_UID: number | undefined = process.getuid?.() === 0 ? 65534 : undefined;

/** Mounts a tmpfs of `size` (e.g. '64k') on a fresh directory: a disk that fills up. Null where mounting is
 * not allowed (not root, or a container without CAP_SYS_ADMIN). */
export function tinyDisk(size: string): { dir: string; unmount: () => void } | null {
  const dir = mkdtempSync(join(tmpdir(), 'cb-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
  if (!mounted) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    unmount: () => {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
