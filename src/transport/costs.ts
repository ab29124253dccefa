// What the data plane cost, from stored chunk records (pure): bytes moved and transfer times per chunk, and
// the link they imply. The input is counted at both ends (transport/types.ts): `readBytes`, what the
// workers' ffmpeg read (its own count: what a chunk needed), and `servedBytes`, what the coordinator handed
// to its sockets (answers cut to windows: an upper bound on the traffic). Records from before issue #17
// carry instead `fetchBytes`, the server's count of unbounded answers, which included what the socket
// buffers absorbed after ffmpeg stopped reading (25–27× the source per run); it is not read.
//
// The link is read off the accepted uploads, which the worker streams from disk as fast as the link allows
// (the fetches are paced by ffmpeg's decoding, so their times say nothing about the link). Each upload's
// time is modelled as t = latency + bytes × (time per byte) and fitted by ordinary least squares
// (simple-statistics' linearRegression).
//
// One link per run, from all its uploads (`measuredLink`): the report and the projection quote the same
// figure. Uploads of one round share that round's load on the machine, so they are not independent draws;
// the fit is made round by round and its interval is Student's t over the rounds' fits (the rounds are the
// independent units, as for every other interval here). The latency is the rounds' mean, with t; a latency
// interval below 0 is cut at 0, where every latency lies (a cut at a bound the true value respects never
// lowers coverage). The bandwidth is the typical round's: a round's time per byte swings by a factor, not
// by an amount (the queue grid of 2026-11-30 measured 170 to 1064 Mbit/s over five rounds on loopback, a
// log-scale sd of about 0.75), so it is averaged on the log scale (a geometric mean) with t on the logs,
// which holds its 95% (95.5%) where a t on the values held 87.7% of their arithmetic mean (4000 seeded
// experiments, test/transport/linkCoverage.test.ts). Where a
// round's noise hid the size effect (its slope ≤ 0) logs do not exist: the arithmetic mean with t on the
// values is used instead, and where its interval reaches 0 the data set no upper limit on the bandwidth
// (`mbpsCi.hi` null).
//
// With fewer than two rounds that can each be fitted, one fit over every upload is made, without an interval;
// where it cannot separate latency from bandwidth (one chunk size, or noise larger than the size effect: a
// slope ≤ 0) the bandwidth is not estimated and only the mean upload time is reported as the per-transfer
// latency. A negative intercept is clamped to 0 and the bandwidth then taken as total bytes / total time.
import { linearRegression } from 'simple-statistics';
import type { ResultLine } from '../harness/store.ts';
import type { ChunkRecord } from '../pipeline/types.ts';
import { describe, type Interval } from '../stats/describe.ts';
import type { TransferStats } from './types.ts';

export interface LinkEstimate {
  /** Fixed time per transfer, ms. */
  latencyMs: number;
  /** Mbit/s, or null when the transfers do not show it. */
  mbps: number | null;
  transfers: number;
  method: 'least squares per round' | 'least squares' | 'throughput (intercept clamped to 0)' | 'mean time only (no size effect)';
  /** Rounds fitted one by one ('least squares per round'); absent for one fit over every upload. */
  rounds?: number;
  /** How the rounds' time per byte was averaged (per round only; see the header). */
  average?: 'geometric' | 'arithmetic';
  /** 95% interval of the latency, t over the rounds, cut at 0. */
  latencyMsCi?: Interval;
  /** 95% interval of the bandwidth, from the time per byte's; `hi` null where the data set no upper limit. */
  mbpsCi?: { lo: number; hi: number | null };
}

type Upload = { bytes: number; ms: number };

/** Per-chunk means over the chunks that moved their bytes over the network (http transport). */
export interface TransferSummary {
  chunks: number;
  /** What ffmpeg read, mean over the chunks whose tries reported it; null when none did. */
  readBytesPerChunk: number | null;
  /** Chunks behind `readBytesPerChunk`. */
  readChunks: number;
  /** What the coordinator served, mean over the chunks that carry it; null for records from before #17. */
  servedBytesPerChunk: number | null;
  fetchRequestsPerChunk: number;
  uploadBytesPerChunk: number;
  uploadMsPerChunk: number;
  /** 95% interval of the upload time per chunk: Student's t over the runs' means; null with one run. */
  uploadMsCi: Interval | null;
  checkMsPerChunk: number;
  /** 95% interval of the check time per chunk, as `uploadMsCi`. */
  checkMsCi: Interval | null;
}

const MBPS_PER_BYTE_PER_MS = 8 / 1000;

/** The link behind `uploads` ({bytes, ms} of each accepted upload), or null with fewer than two. */
export function linkEstimate(uploads: readonly Upload[]): LinkEstimate | null {
  const points = usable(uploads);
  if (points.length < 2) return null;
  const meanMs = points.reduce((s, p) => s + p.ms, 0) / points.length;
  const distinct = new Set(points.map((p) => p.bytes)).size;
  const fit = distinct >= 2 ? linearRegression(points.map((p) => [p.bytes, p.ms])) : null;
  if (!fit || !(fit.m > 0)) return { latencyMs: meanMs, mbps: null, transfers: points.length, method: 'mean time only (no size effect)' };
  if (fit.b < 0) {
    const bytes = points.reduce((s, p) => s + p.bytes, 0);
    const ms = points.reduce((s, p) => s + p.ms, 0);
    return { latencyMs: 0, mbps: ms > 0 ? (bytes / ms) * MBPS_PER_BYTE_PER_MS : null, transfers: points.length, method: 'throughput (intercept clamped to 0)' };
  }
  return { latencyMs: fit.b, mbps: (1 / fit.m) * MBPS_PER_BYTE_PER_MS, transfers: points.length, method: 'least squares' };
}

const usable = (uploads: readonly Upload[]) => uploads.filter((u) => u.bytes > 0 && Number.isFinite(u.ms) && u.ms >= 0);

/** The link behind uploads grouped by round: fitted round by round, with t-intervals over the rounds; one
 * fit over every upload (no interval) where fewer than two rounds can be fitted; null with under two uploads. */
export function linkByRound(rounds: readonly (readonly Upload[])[]): LinkEstimate | null {
  const groups = rounds.map(usable);
  const fits = groups
    .filter((g) => g.length >= 3 && new Set(g.map((u) => u.bytes)).size >= 2)
    .map((g) => linearRegression(g.map((u) => [u.bytes, u.ms])));
  const all = groups.flat();
  if (fits.length < 2) return linkEstimate(all);
  const latency = describe(fits.map((f) => f.b));
  const mbps = (msPerByte: number) => (1 / msPerByte) * MBPS_PER_BYTE_PER_MS;
  const common = { transfers: all.length, method: 'least squares per round' as const, rounds: fits.length };
  const latencyMs = { latencyMs: Math.max(0, latency.mean), latencyMsCi: { lo: Math.max(0, latency.ci95.lo), hi: Math.max(0, latency.ci95.hi) } };
  // every round saw larger uploads take longer: the typical round's time per byte, t on the logs
  if (fits.every((f) => f.m > 0)) {
    const logs = describe(fits.map((f) => Math.log(f.m)));
    return { ...latencyMs, mbps: mbps(Math.exp(logs.mean)), ...common, average: 'geometric', mbpsCi: { lo: mbps(Math.exp(logs.ci95.hi)), hi: mbps(Math.exp(logs.ci95.lo)) } };
  }
  // a round where noise hid the size effect: the arithmetic mean of time per byte, t on the values
  const msPerByte = describe(fits.map((f) => f.m));
  if (!(msPerByte.mean > 0)) return linkEstimate(all);
  return { ...latencyMs, mbps: mbps(msPerByte.mean), ...common, average: 'arithmetic', mbpsCi: { lo: mbps(msPerByte.ci95.hi), hi: msPerByte.ci95.lo > 0 ? mbps(msPerByte.ci95.lo) : null } };
}

/** The run's one link: its measured successful runs' accepted uploads, by round (see the header). */
export function measuredLink(results: readonly ResultLine[]): LinkEstimate | null {
  const byRound = new Map<number, Upload[]>();
  for (const line of results) {
    if (line.warmup || line.state !== 'ok' || !line.record) continue;
    const uploads = line.record.chunks.filter((c) => c.state === 'ok' && c.transfer).map((c) => ({ bytes: c.transfer?.uploadBytes ?? 0, ms: c.transfer?.uploadMs ?? Number.NaN }));
    byRound.set(line.round, [...(byRound.get(line.round) ?? []), ...uploads]);
  }
  return linkByRound([...byRound.values()]);
}

/** Means per chunk over the successful chunks that carry transfer figures, from each run's chunks; the
 * times carry t-intervals over the runs' means. Null when no chunk moved its bytes over the network. */
export function transferSummary(runs: readonly (readonly ChunkRecord[])[]): TransferSummary | null {
  const movedByRun = runs.map((chunks) => chunks.filter((c) => c.state === 'ok' && c.transfer)).filter((m) => m.length);
  const moved = movedByRun.flat();
  if (!moved.length) return null;
  const transfer = (c: ChunkRecord) => c.transfer as NonNullable<ChunkRecord['transfer']>;
  const meanOf = (xs: readonly number[]) => (xs.length ? xs.reduce((s, n) => s + n, 0) / xs.length : null);
  const mean = (pick: (t: NonNullable<ChunkRecord['transfer']>) => number) => meanOf(moved.map((c) => pick(transfer(c)))) as number;
  // each run's mean, then t over the runs: chunks of one run share its load, runs are the repeats
  const overRuns = (pick: (t: NonNullable<ChunkRecord['transfer']>) => number) => (movedByRun.length >= 2 ? describe(movedByRun.map((m) => meanOf(m.map((c) => pick(transfer(c)))) as number)).ci95 : null);
  // stored records are read as they are: a field can be missing (older records) or null (not reported)
  const known = (pick: (t: Partial<TransferStats>) => unknown) => moved.map((c) => pick(c.transfer ?? {})).filter((n): n is number => typeof n === 'number');
  const reads = known((t) => t.readBytes);
  return {
    chunks: moved.length,
    readBytesPerChunk: meanOf(reads),
    readChunks: reads.length,
    servedBytesPerChunk: meanOf(known((t) => t.servedBytes)),
    fetchRequestsPerChunk: mean((t) => t.fetchRequests),
    uploadBytesPerChunk: mean((t) => t.uploadBytes),
    uploadMsPerChunk: mean((t) => t.uploadMs),
    uploadMsCi: overRuns((t) => t.uploadMs),
    checkMsPerChunk: mean((t) => t.checkMs),
    checkMsCi: overRuns((t) => t.checkMs),
  };
}
