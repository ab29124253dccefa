// Seeded bootstrap over whole rounds for the scaling fits. Every round runs every configuration once, so a
// round's wall times share that moment's machine: single and 2 workers of one round correlate (r = 0.70
// in the sample run). A replicate therefore draws whole rounds with replacement from the rounds every
// point was measured in, and takes every worker count's mean from the same drawn rounds, keeping the
// pairing: the independent unit of the experiment is the round, and a bootstrap resamples independent
// units (Davison & Hinkley 1997, "Bootstrap Methods and their Application", §3.8 on hierarchical data:
// resample the top-level units whole).
//
// The interval is the bootstrap standard error with Student's t, θ̂ ± t(0.975, R − 1) · √(R/(R − 1)) · ŝe*,
// where ŝe* is the standard deviation of the R-round replicates (Efron & Tibshirani 1993, "An Introduction
// to the Bootstrap", ch. 6, and the standard interval of ch. 12), with t on R − 1 degrees of freedom as for
// a mean of R rounds, and √(R/(R − 1)) undoing the plug-in variance's (R − 1)/R (Hesterberg 2015, "What
// Teachers Should Know About the Bootstrap", The American Statistician 69(4), on why bootstrap intervals
// are too narrow in small samples).
// Clipped to the parameter's range. Chosen by simulation (Amdahl's f = 16% from N = 1 and 2, CV 5% per
// run, correlation 0.7 between the configurations of a round; 1000 data sets × 2000 replicates; a
// seeded version with 1000 × 1000 is test/fit/coverage.test.ts). Coverage, and mean width in points of f:
//                     5 rounds          10 rounds
//   percentile        82.9%  (6.5)      89.9% (5.1)    the previous method (also with rounds paired)
//   BCa               83.5%  (6.8)      89.8% (5.2)    corrects bias and skew, not small-R narrowness
//   expanded pct.     91.8%  (9.4)      94.1% (6.2)    Hesterberg 2015; the tails of 126 distinct replicates
//   bootstrap-t       94.2% (16.7)      94.8% (6.8)    jackknife se per replicate; erratic with 5 rounds
//   this interval     95.6% (10.5)      95.1% (6.3)
// With N = 1, 2, 4 it covered 93.7% and 95.8%; with CV 10% and correlation 0.3, 94.6% and 95.0%.
// The same seed gives the same interval on every machine.
import { mulberry32, tCritical95, type Interval } from '../stats/index.ts';
import type { ScalingPoint } from './points.ts';

/** Seed and number of replicates of a fit's bootstrap. */
export interface BootstrapOptions {
  seed?: number;
  resamples?: number;
}

/** The rounds every point was measured in, ascending; empty when any point has no per-round samples. */
export function commonRounds(points: readonly ScalingPoint[]): number[] {
  const [first, ...rest] = points;
  if (!first?.samplesByRound || rest.some((p) => !p.samplesByRound)) return [];
  return [...first.samplesByRound.keys()].filter((r) => rest.every((p) => p.samplesByRound?.has(r))).sort((a, b) => a - b);
}

/** True when at least two rounds are common to every point, so that rounds can be resampled. */
export function hasPairedRounds(points: readonly ScalingPoint[]): boolean {
  return commonRounds(points).length >= 2;
}

/** Each point with its wall time as the mean over `rounds` (repeats allowed: a replicate's draws). */
export function meansOverRounds(points: readonly ScalingPoint[], rounds: readonly number[]): ScalingPoint[] {
  return points.map((p) => {
    let sum = 0;
    for (const r of rounds) sum += p.samplesByRound?.get(r) ?? NaN;
    return { workers: p.workers, wallMs: sum / rounds.length };
  });
}

/** Applies `fit` to `resamples` replicates, each drawing the common rounds with replacement. */
export function bootstrapFits<T>(points: readonly ScalingPoint[], fit: (replicate: ScalingPoint[]) => T, seed: number, resamples: number): T[] {
  const rounds = commonRounds(points);
  const rng = mulberry32(seed);
  const out: T[] = [];
  const drawn: number[] = new Array<number>(rounds.length);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < rounds.length; i++) drawn[i] = rounds[Math.floor(rng() * rounds.length)] as number;
    out.push(fit(meansOverRounds(points, drawn)));
  }
  return out;
}

/** θ̂ ± t(0.975, R − 1)·√(R/(R − 1))·sd(replicates), clipped to [min, max] (see the module header). */
export function roundsInterval(replicates: readonly number[], point: number, rounds: number, range: { min: number; max: number } = { min: -Infinity, max: Infinity }): Interval {
  const finite = replicates.filter(Number.isFinite);
  if (rounds < 2 || finite.length < 2) return { lo: point, hi: point };
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const sd = Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / (finite.length - 1));
  const half = tCritical95(rounds - 1) * Math.sqrt(rounds / (rounds - 1)) * sd;
  return { lo: Math.max(range.min, point - half), hi: Math.min(range.max, point + half) };
}
