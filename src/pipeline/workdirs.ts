// The per-run temp work directories: made with this process's pid in the name, removed when the run ends,
// removed synchronously on an exit at once (a second Ctrl-C), and swept on the next start when the process
// that made them is gone (a SIGKILL leaves them behind; nothing else can).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const live = new Set<string>();
const PATTERN = /^chunkbench-(\d+)-/;

/** True while a process with this pid exists. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const swept = new Set<string>();

/** A fresh `chunkbench-<pid>-XXXXXX` directory under `parent`; the first time this process uses a parent,
 * the directories of dead runs there are swept first (once: an experiment makes one per run). */
export function createWorkDir(parent: string): string {
  if (!swept.has(parent)) {
    sweepStaleWorkDirs(parent);
    swept.add(parent);
  }
  const dir = mkdtempSync(join(parent, `chunkbench-${process.pid}-`));
  live.add(dir);
  return dir;
}

/** Removes a work directory (unless kept) and forgets it. */
export function removeWorkDir(dir: string, keep = false): void {
  live.delete(dir);
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

/** Removes every work directory of this process still there; for an exit at once. */
export function removeAllWorkDirs(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

/** Removes work directories under `parent` whose process has died; returns their names. */
export function sweepStaleWorkDirs(parent: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const swept: string[] = [];
  for (const name of names) {
    const pid = Number(PATTERN.exec(name)?.[1]);
    if (!pid || pid === process.pid || pidAlive(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    swept.push(name);
  }
  return swept;
}
