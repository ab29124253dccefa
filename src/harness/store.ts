// The results directory, the one contract between measuring and rendering:
//   reports/<run-id>/meta.json      machine, binaries, commit, grid and its hash, seed, configurations, times
//   reports/<run-id>/results.jsonl  one line per finished run, appended (and flushed) as soon as it exists
// A crash can at worst leave a partial last line; readers skip it and resume truncates it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { ChunkbenchError, DiskFullError, isDiskFull } from '../errors.ts';
import type { Binaries } from '../ffmpeg/binaries.ts';
import type { GridConfig } from '../grid/expand.ts';
import type { Grid } from '../grid/schema.ts';
import type { RunRecord } from '../pipeline/types.ts';
import type { CeilingLine, CeilingPlan } from './ceiling.ts';

/** Where runs are stored: $CHUNKBENCH_REPORTS_DIR (tests use a temp dir), else reports/ in the current
 * directory, as a CLI writes its output where it is run (`npm run` runs in the repository's root, so there it
 * is the repository's reports/; an installed chunkbench never writes into its own package). */
export const REPORTS_DIR = process.env.CHUNKBENCH_REPORTS_DIR ? resolve(process.env.CHUNKBENCH_REPORTS_DIR) : resolve('reports');

/** The machine a run was measured on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  node: string;
}

/** meta.json */
export interface RunMeta {
  schema: 'chunkbench.meta/1';
  runId: string;
  grid: Grid;
  gridFile: string;
  gridHash: string;
  seed: number;
  configs: GridConfig[];
  machine: MachineInfo;
  binaries: Binaries;
  commit: string | null;
  startedAt: string;
  endedAt: string | null;
  /** Runs the schedule holds (warmups included). */
  scheduledRuns: number;
  /** The grid's centre configuration (its `fixed` settings): the headline, declared before any data. */
  centreId?: string;
  /** The machine's ceiling runs (./ceiling.ts); absent in runs stored before they existed, null when
   * there is nothing to measure (one core). */
  ceiling?: CeilingPlan | null;
  /** Rounds added to the headline configurations after the grid's own rounds (./sequential.ts). */
  sequential?: SequentialRecord;
  /** The harness's own cost in each invocation (a resume adds one): Node's CPU, excluding its children. */
  /** harnessCpuMs: the harness's CPU, its spawner's (spawnerCpuMs, ffmpeg/spawner.ts) included;
   * insideRunsCpuMs: the part of it spent within the stored runs' wall times (the pipeline coordinating its
   * processes, which the wall times measure), so harnessCpuMs − insideRunsCpuMs is the instrument's own. */
  sessions?: { startedAt: string; elapsedMs: number; harnessCpuMs: number; spawnerCpuMs?: number; insideRunsCpuMs?: number; runs: number }[];
}

/** What sequential sampling did: its target, budget, the rounds it added and why it stopped. */
export interface SequentialRecord {
  targetHalfWidth: number;
  budgetSeconds: number | null;
  configIds: string[];
  addedRounds: number;
  halfWidth: number | null;
  stoppedBecause: 'target met' | 'budget' | 'no budget' | 'round cap' | 'no headline' | 'interrupted';
}

/** Any line of results.jsonl: a pipeline run or a ceiling run. */
export type StoredLine = ResultLine | CeilingLine;

/** One line of results.jsonl for a pipeline run. */
export interface ResultLine {
  schema: 'chunkbench.result/1';
  seq: number;
  round: number;
  warmup: boolean;
  configId: string;
  label: string;
  state: 'ok' | 'failed';
  wallMs: number;
  error?: string;
  record: RunRecord | null;
}

/** Facts about this machine. */
export function machineInfo(): MachineInfo {
  return { cpuModel: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), memoryBytes: totalmem(), os: `${platform()} ${release()} ${arch()}`, node: process.version };
}

/** The commit of the code being measured (with -dirty when the tree has changes), or null outside a checkout. */
export function gitCommit(cwd = resolve(import.meta.dirname, '..', '..')): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return null;
  }
}

/** A stable hash of the grid as validated. */
export function gridHash(grid: Grid): string {
  return createHash('sha1').update(JSON.stringify(grid)).digest('hex').slice(0, 12);
}

/** "20261125-004512-default" */
export function newRunId(gridName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${gridName}`;
}

/** Paths of a run directory. */
export function runPaths(dir: string) {
  return { dir, meta: join(dir, 'meta.json'), results: join(dir, 'results.jsonl'), summary: join(dir, 'summary.json'), csv: join(dir, 'summary.csv'), markdown: join(dir, 'summary.md') };
}

/** Resolves a run directory from a run id or a path. */
export function findRunDir(idOrPath: string): string {
  for (const candidate of [resolve(idOrPath), join(REPORTS_DIR, idOrPath)]) {
    if (existsSync(join(candidate, 'meta.json'))) return candidate;
  }
  throw new ChunkbenchError(`${idOrPath}: no stored run there (no meta.json); give a run id from reports/ or a path to a run directory`);
}

/** Writes meta.json to a temporary file and renames it into place: a crash mid-write leaves the old
 * meta.json whole, so the run can still be resumed. */
export function writeMeta(dir: string, meta: RunMeta): void {
  mkdirSync(dir, { recursive: true });
  const path = runPaths(dir).meta;
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, `${JSON.stringify(meta, null, 2)}\n`);
  renameSync(partial, path);
}

/** Reads meta.json. */
export function readMeta(dir: string): RunMeta {
  return JSON.parse(readFileSync(runPaths(dir).meta, 'utf8')) as RunMeta;
}

/** Appends one result line and flushes it to disk before returning: a crash after this loses nothing. */
export function appendResult(dir: string, line: StoredLine): void {
  const path = runPaths(dir).results;
  try {
    appendFileSync(path, `${JSON.stringify(line)}\n`);
  } catch (error) {
    // a partial line is cut off by the next resume's repair; the lines before it are intact
    if (isDiskFull(error)) throw new DiskFullError(`${path}: disk full (No space left on device) while storing run ${line.seq}; free space, then resume the run`);
    throw error;
  }
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The pipeline runs of results.jsonl (ceiling runs are read by `readCeilings`). */
export function readResults(dir: string, repair = false): ResultLine[] {
  return readStoredLines(dir, repair).filter((l): l is ResultLine => l.schema === 'chunkbench.result/1');
}

/** The ceiling runs of results.jsonl. */
export function readCeilings(dir: string): CeilingLine[] {
  return readStoredLines(dir).filter((l): l is CeilingLine => l.schema === 'chunkbench.ceiling/1');
}

/** Reads every complete line; a partial last line (a crash mid-write) is skipped, and cut off if `repair`. */
export function readStoredLines(dir: string, repair = false): StoredLine[] {
  const path = runPaths(dir).results;
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines: StoredLine[] = [];
  let goodBytes = 0;
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    try {
      lines.push(JSON.parse(raw) as StoredLine);
      goodBytes += Buffer.byteLength(raw) + 1;
    } catch {
      break; // only the last line can be partial: appends are sequential
    }
  }
  if (repair && goodBytes < Buffer.byteLength(text)) truncateSync(path, goodBytes);
  return lines;
}
