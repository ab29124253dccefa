// What the data plane cost, from stored chunk records (pure): bytes moved and transfer times per chunk, and
// the link they imply. The input is counted at both ends (transport/types.ts): `readBytes`, what the
// workers' ffmpeg read (its own count: what a chunk needed), and `servedBytes`, what the coordinator handed
// to its sockets (answers cut to windows: an upper bound on the traffic). Records from before issue #17
// carry instead `fetchBytes`, the server's count of unbounded answers, which included what the socket
// buffers absorbed after ffmpeg stopped reading (25–27× the source per run); it is not read.
//
// The link is read off the accepted uploads, which the worker streams from disk as fast as the link allows
// (the fetches are paced by ffmpeg's decoding, so their times say nothing about the link). Each upload's
// time is modelled as t = latency + bytes / bandwidth and fitted by ordinary least squares
// (simple-statistics' linearRegression); where the fit cannot separate the two (one chunk size, or noise
// larger than the size effect: a slope ≤ 0), the bandwidth is not estimated and only the mean upload time
// is reported as the per-transfer latency. A negative intercept is clamped to 0 and the bandwidth then
// taken as total bytes / total time.
import { linearRegression } from 'simple-statistics';
import type { ChunkRecord } from '../pipeline/types.ts';
import type { TransferStats } from './types.ts';

export interface LinkEstimate {
  /** Fixed time per transfer, ms. */
  latencyMs: number;
  /** Mbit/s, or null when the transfers do not show it. */
  mbps: number | null;
  transfers: number;
  method: 'least squares' | 'throughput (intercept clamped to 0)' | 'mean time only (no size effect)';
}

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
  checkMsPerChunk: number;
  link: LinkEstimate | null;
}

const MBPS_PER_BYTE_PER_MS = 8 / 1000;

/** The link behind `uploads` ({bytes, ms} of each accepted upload), or null with fewer than two. */
export function linkEstimate(uploads: readonly { bytes: number; ms: number }[]): LinkEstimate | null {
  const points = uploads.filter((u) => u.bytes > 0 && Number.isFinite(u.ms) && u.ms >= 0);
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

/** Means per chunk over the successful chunks that carry transfer figures; null when none do. */
export function transferSummary(chunks: readonly ChunkRecord[]): TransferSummary | null {
  const moved = chunks.filter((c) => c.state === 'ok' && c.transfer);
  if (!moved.length) return null;
  const mean = (pick: (t: NonNullable<ChunkRecord['transfer']>) => number) => moved.reduce((s, c) => s + pick(c.transfer as NonNullable<ChunkRecord['transfer']>), 0) / moved.length;
  // stored records are read as they are: a field can be missing (older records) or null (not reported)
  const known = (pick: (t: Partial<TransferStats>) => unknown) => moved.map((c) => pick(c.transfer ?? {})).filter((n): n is number => typeof n === 'number');
  const meanOf = (xs: number[]) => (xs.length ? xs.reduce((s, n) => s + n, 0) / xs.length : null);
  const reads = known((t) => t.readBytes);
  return {
    chunks: moved.length,
    readBytesPerChunk: meanOf(reads),
    readChunks: reads.length,
    servedBytesPerChunk: meanOf(known((t) => t.servedBytes)),
    fetchRequestsPerChunk: mean((t) => t.fetchRequests),
    uploadBytesPerChunk: mean((t) => t.uploadBytes),
    uploadMsPerChunk: mean((t) => t.uploadMs),
    checkMsPerChunk: mean((t) => t.checkMs),
    link: linkEstimate(moved.map((c) => ({ bytes: c.transfer?.uploadBytes ?? 0, ms: c.transfer?.uploadMs ?? NaN }))),
  };
}
