// The CI gate's baseline file (experiments/baselines/ci.json): the gate's statistic on a reference
// measurement, with the machine and ffmpeg it was taken on. Validated with zod before anything is
// measured, so a broken file costs a one-line error, not a measurement and a stack trace.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ChunkbenchError } from '../errors.ts';
import type { RatioEstimate } from '../stats/index.ts';
import { headlinePlan } from '../harness/sequential.ts';
import { readCeilings, readMeta, readResults } from '../harness/store.ts';
import type { BaselineStat, GateSample } from './gate.ts';
import { gateSample, MIN_CEILING, pooledSample, toBaselineStat } from './gate.ts';

const estimate = z.object({ point: z.number().positive(), lo: z.number().positive(), hi: z.number().positive(), n: z.number().int().min(1), method: z.literal('paired-t-log') }).strict();

export const baselineSchema = z
  .object({
    schema: z.literal('chunkbench.baseline/2'),
    grid: z.string().min(1),
    createdAt: z.string().min(1),
    commit: z.string().nullable(),
    machine: z.object({ cores: z.number().int().min(1), cpuModel: z.string() }).strict(),
    ffmpeg: z.object({ version: z.string() }).strict(),
    /** The statistic the gate compares: ln(schedule efficiency) per round (check/gate.ts). */
    efficiency: z.object({ n: z.number().int().min(2), meanLog: z.number(), sdLog: z.number().min(0), sessions: z.number().int().min(1), sessionSdLog: z.number().min(0) }).strict(),
    /** For people: the efficiency, the share of the ceiling, the raw speedup and the ceiling. */
    figures: z.object({ efficiency: estimate, share: estimate, speedup: estimate, ceiling: estimate }).strict(),
    /** From stored sessions (--from-runs): minutes from the first session's start to the last's, and which. */
    sessionsSpanMinutes: z.number().min(0).optional(),
    runIds: z.array(z.string()).optional(),
  })
  .strict();

export type BaselineFile = z.infer<typeof baselineSchema>;

/** The baseline at `path`, null when there is none; a file that does not validate is an error naming it. */
export function readBaseline(path: string): BaselineFile | null {
  if (!existsSync(path)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ChunkbenchError(`--baseline ${path}: not JSON (${(error as Error).message}); fix it, or write a new one with --update-baseline`);
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new ChunkbenchError(`--baseline ${path}: ${where}: ${issue?.message ?? 'invalid'}; expected a chunkbench.baseline/2 file (write one with --update-baseline)`);
  }
  return parsed.data;
}

/** Where the baseline's machine differs from this one (empty: comparable). */
export function mismatches(baseline: Pick<BaselineFile, 'machine' | 'ffmpeg'>, machine: { cores: number; cpuModel: string }, ffmpegVersion: string): string[] {
  const out: string[] = [];
  if (baseline.machine.cores !== machine.cores) out.push(`${baseline.machine.cores} cores there, ${machine.cores} here`);
  if (baseline.machine.cpuModel !== machine.cpuModel) out.push(`CPU '${baseline.machine.cpuModel}' there, '${machine.cpuModel}' here`);
  if (baseline.ffmpeg.version !== ffmpegVersion) out.push(`ffmpeg '${baseline.ffmpeg.version}' there, '${ffmpegVersion}' here`);
  return out;
}

/** The baseline for one or more measured sessions (figures over all their rounds). */
export function baselineFrom(samples: GateSample[], context: { grid: string; commit: string | null; machine: { cores: number; cpuModel: string }; ffmpegVersion: string; now?: Date }): BaselineFile {
  const plain = ({ point, lo, hi, n }: RatioEstimate) => ({ point, lo, hi, n, method: 'paired-t-log' as const });
  const efficiency: BaselineStat = toBaselineStat(samples);
  const sample = pooledSample(samples);
  return {
    schema: 'chunkbench.baseline/2',
    grid: context.grid,
    createdAt: (context.now ?? new Date()).toISOString(),
    commit: context.commit,
    machine: { cores: context.machine.cores, cpuModel: context.machine.cpuModel },
    ffmpeg: { version: context.ffmpegVersion },
    efficiency,
    figures: { efficiency: plain(sample.efficiency), share: plain(sample.share), speedup: plain(sample.speedup), ceiling: plain(sample.ceiling) },
  };
}

/** Writes the baseline through a temp file and a rename. */
export function writeBaseline(path: string, baseline: BaselineFile): void {
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, `${JSON.stringify(baselineSchema.parse(baseline), null, 2)}\n`);
  renameSync(partial, path);
}

/** One stored session of the gate's grid, as read back from its run directory. */
export interface StoredSession {
  runId: string;
  startedAt: string;
  grid: string;
  /** The grid's hash (its configurations): sessions of one baseline ran the same grid. */
  gridHash?: string;
  commit: string | null;
  machine: { cores: number; cpuModel: string };
  ffmpegVersion: string;
  /** Fraction of parallelism removed on purpose (CHUNKBENCH_CRIPPLE) in any of its runs; 0 for none. */
  crippled: number;
  failedRuns: number;
  sample: GateSample | null;
}

/** Why a stored session cannot go into a baseline for `grid` on this machine (null: it can). A baseline
 * is unchanged code on a machine like this one, all runs successful. */
export function unusableBecause(session: StoredSession, grid: string, machine: { cores: number; cpuModel: string }, ffmpegVersion: string): string | null {
  if (session.grid !== grid) return `it ran the ${session.grid} grid, not ${grid}`;
  if (session.crippled) return `its runs were crippled on purpose (CHUNKBENCH_CRIPPLE=${session.crippled})`;
  if (session.failedRuns) return `${session.failedRuns} of its runs failed`;
  if (!session.sample) return 'it has fewer than two complete rounds';
  if (session.sample.ceiling.point < MIN_CEILING) return `its 2-way ceiling was ${session.sample.ceiling.point.toFixed(2)}×, below ${MIN_CEILING}: the machine could not show parallelism then`;
  const differs = mismatches({ machine: session.machine, ffmpeg: { version: session.ffmpegVersion } }, machine, ffmpegVersion);
  return differs.length ? `it was measured elsewhere (${differs.join('; ')})` : null;
}

/** Why these sessions cannot make one baseline together (null: they can): the same run twice, or runs of
 * different code (commit, a dirty tree counting as its own) or of a different grid. */
export function mixedBecause(sessions: StoredSession[]): string | null {
  const ids = sessions.map((s) => s.runId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) return `run ${twice} is given twice`;
  const commits = [...new Set(sessions.map((s) => s.commit ?? 'unknown'))];
  if (commits.length > 1) return `the runs measured different code (commits ${commits.join(', ')}); a baseline is one version of the code`;
  const grids = [...new Set(sessions.map((s) => s.gridHash ?? '?'))];
  if (grids.length > 1) return 'the runs measured different versions of the grid';
  return null;
}

/** The baseline from stored sessions (their sample each); `spanMinutes` from the first session's start
 * to the last's says how far apart in time they lie. */
export function baselineFromStored(sessions: StoredSession[], now = new Date()): BaselineFile {
  const last = sessions[sessions.length - 1] as StoredSession;
  const baseline = baselineFrom(
    sessions.map((s) => s.sample as GateSample),
    { grid: last.grid, commit: last.commit, machine: last.machine, ffmpegVersion: last.ffmpegVersion, now },
  );
  const starts = sessions.map((s) => Date.parse(s.startedAt)).filter(Number.isFinite);
  return { ...baseline, sessionsSpanMinutes: starts.length ? (Math.max(...starts) - Math.min(...starts)) / 60_000 : 0, runIds: sessions.map((s) => s.runId) };
}

/** Reads a stored run of the gate's grid back as a session. */
export function readStoredSession(dir: string): StoredSession {
  const meta = readMeta(dir);
  const lines = readResults(dir);
  const measured = lines.filter((l) => !l.warmup);
  const plan = headlinePlan(meta, meta.machine.cores);
  return {
    runId: meta.runId,
    startedAt: meta.startedAt,
    grid: meta.grid.name,
    ...(meta.gridHash ? { gridHash: meta.gridHash } : {}),
    commit: meta.commit,
    machine: { cores: meta.machine.cores, cpuModel: meta.machine.cpuModel },
    ffmpegVersion: meta.binaries.ffmpeg.version,
    crippled: Math.max(0, ...measured.map((l) => l.record?.cripple?.fraction ?? 0)),
    failedRuns: measured.filter((l) => l.state !== 'ok' || !l.record?.verification?.ok).length,
    sample: plan ? gateSample(plan, lines, readCeilings(dir)) : null,
  };
}
