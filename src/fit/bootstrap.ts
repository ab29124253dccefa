// Seeded percentile bootstrap for the scaling fits (Efron & Tibshirani 1993, "An Introduction to the
// Bootstrap", ch. 13). The worker counts are fixed by the experiment's design, so each replicate resamples
// the repeats *within* each worker count, with replacement, and refits on the replicate's means; the
// interval is the 2.5th–97.5th percentile of the refitted statistic. Like the ratios in src/stats, it is
// widened to contain the point estimate, so a table never shows an estimate outside its own interval.
// The same seed gives the same interval on every machine. With few repeats it under-covers somewhat (the
// plug-in spread, no t correction): about 91% on synthetic Amdahl data with 5 repeats per N.
import { mulberry32, type Interval } from '../stats/index.ts';
import type { ScalingPoint } from './points.ts';

/** Seed and number of replicates of a fit's bootstrap. */
export interface BootstrapOptions {
  seed?: number;
  resamples?: number;
}

/** True when every point carries at least two repeats, so that there is a spread to resample. */
export function hasRepeats(points: readonly ScalingPoint[]): boolean {
  return points.length > 0 && points.every((p) => (p.samplesMs?.length ?? 0) >= 2);
}

/** Applies `fit` to `resamples` replicates, each resampling the repeats within every worker count. */
export function bootstrapFits<T>(points: readonly ScalingPoint[], fit: (replicate: ScalingPoint[]) => T, seed: number, resamples: number): T[] {
  const rng = mulberry32(seed);
  const out: T[] = [];
  for (let r = 0; r < resamples; r++) {
    const replicate = points.map((p) => {
      const s = p.samplesMs ?? [p.wallMs];
      let sum = 0;
      for (let i = 0; i < s.length; i++) sum += s[Math.floor(rng() * s.length)] ?? NaN;
      return { workers: p.workers, wallMs: sum / s.length };
    });
    out.push(fit(replicate));
  }
  return out;
}

/** The 95% percentile interval of `values`, widened to contain `point`. */
export function percentileInterval(values: readonly number[], point: number): Interval {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const lo = sorted[Math.floor(0.025 * sorted.length)] ?? point;
  const hi = sorted[Math.max(0, Math.ceil(0.975 * sorted.length) - 1)] ?? point;
  return { lo: Math.min(lo, point), hi: Math.max(hi, point) };
}
