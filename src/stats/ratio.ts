// Ratios with 95% confidence intervals: speedup = T(baseline) / T(candidate), efficiency = speedup / N.
//
// Two estimators, both with a seeded percentile bootstrap (Efron & Tibshirani 1993, ch. 13):
//   ratioOfMeans: mean(A)/mean(B); A and B resampled independently, with replacement.
//   pairedRatio:  geometric mean of per-round ratios Aᵢ/Bᵢ; the pairs are resampled. Runs were interleaved
//                 in rounds, so a slow spell of the shared machine slows both members of a pair and largely
//                 cancels in their ratio: the interval is tighter than an unpaired one on drifting data.
// With fewer than 2 samples on a side the interval collapses to the point and `n` says so.
import { mulberry32 } from './random.ts';

/** A ratio with its 95% interval and how it was computed. */
export interface RatioEstimate {
  point: number;
  lo: number;
  hi: number;
  n: number;
  method: 'bootstrap-ratio-of-means' | 'bootstrap-paired-geomean';
}

const DEFAULT_RESAMPLES = 10_000;

function percentiles(stats: number[], point: number, n: number, method: RatioEstimate['method']): RatioEstimate {
  stats.sort((a, b) => a - b);
  const lo = stats[Math.floor(0.025 * stats.length)] ?? point;
  const hi = stats[Math.max(0, Math.ceil(0.975 * stats.length) - 1)] ?? point;
  return { point, lo: Math.min(lo, point), hi: Math.max(hi, point), n, method };
}

const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** mean(a) / mean(b) with a bootstrap CI, resampling each group independently. */
export function ratioOfMeans(a: readonly number[], b: readonly number[], seed = 1, resamples = DEFAULT_RESAMPLES): RatioEstimate {
  const point = meanOf(a) / meanOf(b);
  const n = Math.min(a.length, b.length);
  if (n < 2) return { point, lo: point, hi: point, n, method: 'bootstrap-ratio-of-means' };
  const rng = mulberry32(seed);
  const draw = (xs: readonly number[]) => {
    let sum = 0;
    for (let i = 0; i < xs.length; i++) sum += xs[Math.floor(rng() * xs.length)] ?? 0;
    return sum / xs.length;
  };
  const stats: number[] = [];
  for (let r = 0; r < resamples; r++) stats.push(draw(a) / draw(b));
  return percentiles(stats, point, n, 'bootstrap-ratio-of-means');
}

/** Geometric mean of aᵢ/bᵢ over pairs run in the same round, with a bootstrap CI over the pairs. */
export function pairedRatio(a: readonly number[], b: readonly number[], seed = 1, resamples = DEFAULT_RESAMPLES): RatioEstimate {
  const n = Math.min(a.length, b.length);
  const logs = Array.from({ length: n }, (_, i) => Math.log((a[i] ?? NaN) / (b[i] ?? NaN)));
  const point = Math.exp(meanOf(logs));
  if (n < 2) return { point, lo: point, hi: point, n, method: 'bootstrap-paired-geomean' };
  const rng = mulberry32(seed);
  const stats: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += logs[Math.floor(rng() * n)] ?? 0;
    stats.push(Math.exp(sum / n));
  }
  return percentiles(stats, point, n, 'bootstrap-paired-geomean');
}

/** Scales an estimate (efficiency = speedup / workers). */
export function scaleEstimate(estimate: RatioEstimate, factor: number): RatioEstimate {
  return { ...estimate, point: estimate.point * factor, lo: estimate.lo * factor, hi: estimate.hi * factor };
}
