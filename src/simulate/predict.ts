// From a cost model and a setting (video length, segment length, workers, where they run) to a simulated
// run: plans the chunks, prices each phase with the model, runs the event simulation. Pure.
//
// Chunks: ⌈duration / segment⌉ of the segment length, the last one the remainder (the real planner cuts on
// frames; a measured run's own segment lengths can be passed instead).
// Noise (optional): each chunk's work is multiplied by max(0.05, 1 + cv·z), z standard normal from the
// Box–Muller transform (Box & Muller 1958) of a seeded mulberry32 stream; `replications` runs give a range.
// The noise is independent per chunk, so the range shows scheduling luck, not machine-wide drift.
import { mulberry32, type Rng } from '../stats/index.ts';
import { chunkWorkMs, type CostModel } from './costModel.ts';
import { simulate, type DesChunk, type DesResult } from './des.ts';

/** Where and how the chunks run. */
export interface Setting {
  workers: number;
  durationSeconds: number;
  segmentSeconds: number;
  /** A measured run's own chunk lengths; planned from duration and segment when absent. */
  chunkSeconds?: readonly number[] | undefined;
  queueLatencyMs: number;
  /** Fixed time per transfer, ms (a chunk has two: in and out); absent: 0. Fixed time anywhere in a chunk's
   * stay on its worker delays it alike, so it is added to the dispatch wait. */
  transferLatencyMs?: number | undefined;
  /** Per-worker link, Mbit/s; null = local files, no transfer. */
  bandwidthMbps: number | null;
  /** The coordinator's link, shared by all transfers, Mbit/s; null = not a bottleneck. */
  coordinatorMbps: number | null;
  /** Cores of the one node all workers share (the measuring machine), or null for one slot per worker. */
  sharedCores: number | null;
}

/** Mbit/s → bytes per ms. */
export const bytesPerMs = (mbps: number | null): number => (mbps === null ? Infinity : (mbps * 1e6) / 8 / 1000);

/** Chunk lengths for a video of `durationSeconds` cut every `segmentSeconds`. */
export function planChunkSeconds(durationSeconds: number, segmentSeconds: number): number[] {
  const n = Math.max(1, Math.ceil(durationSeconds / segmentSeconds - 1e-9));
  return Array.from({ length: n }, (_, i) => Math.min(segmentSeconds, durationSeconds - i * segmentSeconds));
}

/** Box–Muller: one standard normal draw. */
function normal(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** The serial phases the model prices: probe + split before the pool, merge after it, ms. */
export function serialPhasesMs(model: CostModel, durationSeconds: number, chunks: number): { probeMs: number; splitMs: number; mergeMs: number } {
  return {
    probeMs: model.probeFixedMs + model.probeMsPerVideoSecond * durationSeconds,
    splitMs: model.splitFixedMs + model.splitMsPerVideoSecond * durationSeconds,
    mergeMs: model.mergeFixedMs + model.mergeMsPerChunk * chunks + model.mergeMsPerVideoSecond * durationSeconds,
  };
}

/** One simulated run of `model` in `setting`; `rng` adds per-chunk noise at the model's CV. */
export function predictRun(model: CostModel, setting: Setting, rng?: Rng): DesResult & { probeMs: number; splitMs: number; chunkCount: number } {
  const lengths = setting.chunkSeconds ?? planChunkSeconds(setting.durationSeconds, setting.segmentSeconds);
  const chunks: DesChunk[] = lengths.map((d, index) => ({
    index,
    durationSeconds: d,
    workMs: chunkWorkMs(model, d) * (rng ? Math.max(0.05, 1 + model.chunkCv * normal(rng)) : 1),
    inBytes: model.inputBytesPerVideoSecond * d,
    outBytes: model.outputBytesPerVideoSecond * d,
  }));
  const { probeMs, splitMs, mergeMs } = serialPhasesMs(model, setting.durationSeconds, chunks.length);
  const result = simulate({
    workers: setting.workers,
    chunks,
    beforeMs: probeMs + splitMs,
    mergeMs,
    queueLatencyMs: setting.queueLatencyMs + 2 * (setting.transferLatencyMs ?? 0),
    workerLinkBytesPerMs: bytesPerMs(setting.bandwidthMbps),
    coordinatorLinkBytesPerMs: bytesPerMs(setting.coordinatorMbps),
    sharedCores: setting.sharedCores,
    threadsPerWorker: model.threadsPerWorker,
  });
  return { ...result, probeMs, splitMs, chunkCount: chunks.length };
}

/** Range of wall times over `replications` noisy runs (seeded), ms: the 2.5th and 97.5th percentiles,
 * widened to contain `pointMs` (the noiseless prediction). Equal chunks can leave the noiseless schedule a
 * fraction of a round longer than any noisy one (⌈chunks / workers⌉ rounds, where noise lets dynamic
 * scheduling even the load out), and a table should never show an estimate outside its own range. */
export function wallRangeMs(model: CostModel, setting: Setting, replications: number, seed: number, pointMs: number): { loMs: number; hiMs: number } | null {
  if (replications < 2 || model.chunkCv === 0) return null;
  const rng = mulberry32(seed);
  const walls = Array.from({ length: replications }, () => predictRun(model, setting, rng).wallMs).sort((a, b) => a - b);
  const at = (q: number) => walls[Math.min(walls.length - 1, Math.max(0, Math.round(q * (walls.length - 1))))] ?? NaN;
  return { loMs: Math.min(pointMs, at(0.025)), hiMs: Math.max(pointMs, at(0.975)) };
}
