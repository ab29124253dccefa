// The Karp–Flatt metric (A. H. Karp & H. P. Flatt, "Measuring parallel processor performance",
// Communications of the ACM 33(5), 1990): the experimentally determined serial fraction
//   e(N) = (1/S(N) − 1/N) / (1 − 1/N),  N > 1.
// e decreases as S grows, so a speedup interval [lo, hi] maps to [e(hi), e(lo)].
// Reading the trend: under Amdahl's law e(N) = f for every N; under the USL (usl.ts) e(N) = σ + κN
// exactly, so the least-squares slope of e against N estimates the coherency cost κ per added worker.
// karpFlattTrend fits that slope b and compares the change it implies across the measured range,
// Δ = b·(N_max − N_min), with the mean ē:
//   rising  when Δ > 0.25·|ē| and Δ > 0.01   (overhead that grows with N),
//   falling when Δ < −0.25·|ē| and Δ < −0.01 (superlinear effects: cache, I/O),
//   flat    otherwise                        (inherent serial work, as Amdahl assumes).
// The relative threshold asks for a change of a quarter of the serial fraction itself; the absolute floor
// of 1 percentage point keeps near-perfect scaling (ē ≈ 0) from reading noise as a trend.
import type { Interval } from '../stats/index.ts';

/** Relative change of e across the measured range, as a share of |ē|, above which a trend is read. */
export const KARP_FLATT_RELATIVE_THRESHOLD = 0.25;
/** Absolute change of e across the measured range below which the series is flat whatever ē is. */
export const KARP_FLATT_ABSOLUTE_THRESHOLD = 0.01;

/** e(N) at one worker count, with the interval carried over from the speedup's when given. */
export interface KarpFlattPoint {
  workers: number;
  e: number;
  ci95: Interval | null;
}

/** The trend of e(N) across worker counts, the numbers behind it, and a sentence for the report. */
export interface KarpFlattTrend {
  trend: 'flat' | 'rising' | 'falling' | 'unknown';
  /** Least-squares slope of e against N (per added worker); NaN with fewer than two points. */
  slopePerWorker: number;
  /** slope × (N_max − N_min) / |ē|. */
  relativeChange: number;
  explanation: string;
}

/** e(N) for a speedup S at N > 1 workers. */
export function karpFlatt(speedup: number, workers: number): number {
  if (!(Number.isFinite(workers) && workers > 1)) throw new RangeError(`karpFlatt: workers must be a finite number > 1; received ${workers}`);
  if (!(Number.isFinite(speedup) && speedup > 0)) throw new RangeError(`karpFlatt: speedup must be a positive finite number; received ${speedup} at workers = ${workers}`);
  return (1 / speedup - 1 / workers) / (1 - 1 / workers);
}

/** e(N) for each measured N > 1, sorted by N, with the interval mapped from the speedup's [lo, hi]. */
export function karpFlattSeries(points: readonly { workers: number; speedup: number; lo?: number; hi?: number }[]): KarpFlattPoint[] {
  return points
    .filter((p) => p.workers > 1)
    .sort((a, b) => a.workers - b.workers)
    .map((p) => ({
      workers: p.workers,
      e: karpFlatt(p.speedup, p.workers),
      // more speedup, less serial: the upper speedup bound gives the lower e bound
      ci95: p.lo !== undefined && p.hi !== undefined ? { lo: karpFlatt(Math.max(p.lo, p.hi), p.workers), hi: karpFlatt(Math.min(p.lo, p.hi), p.workers) } : null,
    }));
}

const fmt = (x: number) => x.toFixed(3);

/** Classifies the trend of e(N) (rising, falling or flat; thresholds in the module header) and explains it. */
export function karpFlattTrend(series: readonly KarpFlattPoint[]): KarpFlattTrend {
  const sorted = [...series].sort((a, b) => a.workers - b.workers);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last || first.workers === last.workers) {
    return { trend: 'unknown', slopePerWorker: NaN, relativeChange: NaN, explanation: 'Karp–Flatt needs at least two worker counts above 1 to show a trend.' };
  }
  const n = sorted.length;
  const meanN = sorted.reduce((s, p) => s + p.workers, 0) / n;
  const meanE = sorted.reduce((s, p) => s + p.e, 0) / n;
  const sxx = sorted.reduce((s, p) => s + (p.workers - meanN) ** 2, 0);
  const slopePerWorker = sorted.reduce((s, p) => s + (p.workers - meanN) * (p.e - meanE), 0) / sxx;
  const change = slopePerWorker * (last.workers - first.workers);
  const relativeChange = meanE !== 0 ? change / Math.abs(meanE) : change === 0 ? 0 : Math.sign(change) * Infinity;
  const trendIs = (sign: 1 | -1) => sign * change > KARP_FLATT_ABSOLUTE_THRESHOLD && sign * relativeChange > KARP_FLATT_RELATIVE_THRESHOLD;
  const range = `from e(${first.workers}) = ${fmt(first.e)} to e(${last.workers}) = ${fmt(last.e)}`;
  const fitted = `fitted slope ${slopePerWorker.toFixed(4)} per worker`;
  if (trendIs(1)) {
    return {
      trend: 'rising', slopePerWorker, relativeChange,
      explanation: `The Karp–Flatt serial fraction rises ${range} (${fitted}): overhead grows with the number of workers — contention for cores, memory bandwidth or disk, or per-chunk start-up — on top of any fixed serial part.`,
    };
  }
  if (trendIs(-1)) {
    return {
      trend: 'falling', slopePerWorker, relativeChange,
      explanation: `The Karp–Flatt serial fraction falls ${range} (${fitted}): more workers help more than Amdahl's law predicts — superlinear effects such as more cache or I/O overlap.`,
    };
  }
  return {
    trend: 'flat', slopePerWorker, relativeChange,
    explanation: `The Karp–Flatt serial fraction stays flat ${range}: the loss is inherent serial work (probe, split, merge), as Amdahl's law assumes.`,
  };
}
