// Ratios of two sample sets with 95% confidence intervals: speedup = T(baseline) / T(candidate),
// efficiency = speedup / workers, and any other A/B comparison of positive quantities.
//
// Two estimators, both with a seeded percentile bootstrap (Efron & Tibshirani 1993, "An Introduction to
// the Bootstrap", ch. 13):
//   unpaired  point = mean(A) / mean(B), the ratio of the times a user waits on average. Each replicate
//             resamples A and B independently, with replacement, each at its own size, and takes the
//             ratio of the replicate means.
//   paired    point = exp(mean ln(Aᵢ/Bᵢ)), the geometric mean of per-round ratios, for runs interleaved
//             in rounds (round i ran Aᵢ and Bᵢ minutes apart). Each replicate resamples whole pairs. The
//             geometric mean is the right average of ratios: it is symmetric, GM(A/B) = 1 / GM(B/A), where
//             the arithmetic mean of ratios is not (Fleming & Wallace 1986, "How not to lie with
//             statistics: the correct way to summarize benchmark results", CACM 29(3)).
//
// Why pairing helps on a noisy machine: a slow spell (thermal throttling, another process, page cache)
// drifts over minutes and hits both members of a round. On the log scale
//   Var(ln A − ln B) = Var(ln A) + Var(ln B) − 2 Cov(ln A, ln B),
// and shared drift makes that covariance large and positive, so it cancels from the per-round ratio. The
// unpaired estimator sees the drift twice, as spread in A and again in B, and its interval is wider.
//
// The interval: the 2.5th and 97.5th percentiles of B replicate ratios, taken as the order statistics
// sorted[⌊0.025·B⌋] and sorted[⌈0.975·B⌉ − 1] (0-based; the same rule as src/fit/bootstrap.ts), then
// widened to contain the point if need be, so that a table never shows an estimate outside its own
// interval (with these estimators that almost never triggers). The percentile interval is first-order
// accurate and under-covers with few repeats, having no t-like correction: in a quick simulation with 10
// repeats of ±5% uniform noise, 92% (unpaired) and 89% (paired) of nominal-95% intervals held the true
// ratio. BCa (Efron 1987) corrects bias and skew but not that small-sample narrowness, so it is left out.
//
// Determinism: one mulberry32 stream per call, seeded from `seed`, consumed in a fixed order (for the
// unpaired estimator: A's draws, then B's, per replicate), so a seed always gives the same interval.
// With fewer than 2 samples (pairs) on a side nothing can be resampled: the interval is the point and
// `degenerate` is true. Values must be positive and finite (times, rates): a ratio or a logarithm of
// anything else is meaningless, and the functions throw instead of returning NaN.
import { mean as ssMean } from 'simple-statistics';
import type { Interval } from './describe.ts';
import { rngFrom, type Rng } from './random.ts';
import { assertFiniteSamples } from './samples.ts';

/** How a ratio's interval was computed. */
export type RatioMethod = 'bootstrap-ratio-of-means' | 'bootstrap-paired-geomean';

/** A ratio with its 95% interval [lo, hi] over n samples (pairs): the shape stored in summary.json. */
export interface RatioEstimate {
  point: number;
  lo: number;
  hi: number;
  n: number;
  method: RatioMethod;
}

/** A ratio with its 95% CI as an `Interval` (same values as lo/hi) and what is needed to reproduce it. */
export interface RatioCI extends RatioEstimate {
  ci95: Interval;
  /** True when a side had fewer than 2 samples: no interval could be estimated, ci95 is the point. */
  degenerate: boolean;
  seed: number | string;
  resamples: number;
}

/** A speedup with its CI, and the parallel efficiency (speedup / workers) with the same CI scaled. */
export interface SpeedupEstimate extends RatioCI {
  workers: number;
  efficiency: RatioCI;
}

/** The bootstrap's seed (a number, or a string hashed by `seedFrom`) and number of replicates. */
export interface ResampleOptions {
  seed?: number | string;
  resamples?: number;
}

/** Options of `ratioCI`: `paired` when Aᵢ and Bᵢ were run in the same round. */
export interface RatioOptions extends ResampleOptions {
  paired?: boolean;
}

/** Options of `speedup` and `pairedSpeedup`; `workers` is the candidate's parallelism. */
export interface SpeedupOptions extends ResampleOptions {
  workers: number;
}

/** One round of an interleaved experiment: the baseline's and the candidate's wall times. */
export interface RoundPair {
  baselineMs: number;
  candidateMs: number;
}

/** Bootstrap replicates per interval unless told otherwise. */
export const DEFAULT_RESAMPLES = 10_000;
/** The seed unless told otherwise. */
export const DEFAULT_SEED = 1;

function assertPositive(samples: readonly number[], what: string): void {
  assertFiniteSamples(samples, what);
  const bad = samples.findIndex((x) => x <= 0);
  if (bad >= 0) throw new RangeError(`${what}: sample ${bad} is ${String(samples[bad])}; ratios need positive values (times, rates)`);
}

function resolveResampling(options: ResampleOptions, what: string): { seed: number | string; resamples: number; rng: Rng } {
  const seed = options.seed ?? DEFAULT_SEED;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`${what}: resamples must be a positive integer, received ${String(resamples)}`);
  return { seed, resamples, rng: rngFrom(seed) };
}

function percentileInterval(replicates: Float64Array, point: number): Interval {
  replicates.sort(); // typed arrays sort numerically
  const lo = replicates[Math.floor(0.025 * replicates.length)] ?? point;
  const hi = replicates[Math.max(0, Math.ceil(0.975 * replicates.length) - 1)] ?? point;
  return { lo: Math.min(lo, point), hi: Math.max(hi, point) };
}

function result(point: number, ci95: Interval, n: number, method: RatioMethod, degenerate: boolean, seed: number | string, resamples: number): RatioCI {
  return { point, lo: ci95.lo, hi: ci95.hi, n, method, ci95, degenerate, seed, resamples };
}

// Inner loops sum by hand: 10⁴ replicates × n draws, no per-replicate arrays.
function resampledMean(xs: readonly number[], rng: Rng): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[Math.floor(rng() * xs.length)] as number;
  return sum / xs.length;
}

function unpairedRatio(a: readonly number[], b: readonly number[], options: ResampleOptions): RatioCI {
  assertPositive(a, 'ratioCI (numerator)');
  assertPositive(b, 'ratioCI (denominator)');
  const { seed, resamples, rng } = resolveResampling(options, 'ratioCI');
  const point = ssMean(a) / ssMean(b);
  const n = Math.min(a.length, b.length);
  const method = 'bootstrap-ratio-of-means';
  if (n < 2) return result(point, { lo: point, hi: point }, n, method, true, seed, resamples);
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) replicates[r] = resampledMean(a, rng) / resampledMean(b, rng);
  return result(point, percentileInterval(replicates, point), n, method, false, seed, resamples);
}

function pairedGeomean(a: readonly number[], b: readonly number[], options: ResampleOptions): RatioCI {
  if (a.length !== b.length) throw new RangeError(`ratioCI (paired): ${a.length} numerator samples but ${b.length} denominator samples; pairs need one of each per round`);
  assertPositive(a, 'ratioCI (paired numerator)');
  assertPositive(b, 'ratioCI (paired denominator)');
  const { seed, resamples, rng } = resolveResampling(options, 'ratioCI');
  const logs = a.map((x, i) => Math.log(x / (b[i] as number)));
  const point = Math.exp(ssMean(logs));
  const n = logs.length;
  const method = 'bootstrap-paired-geomean';
  if (n < 2) return result(point, { lo: point, hi: point }, n, method, true, seed, resamples);
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) replicates[r] = Math.exp(resampledMean(logs, rng));
  return result(point, percentileInterval(replicates, point), n, method, false, seed, resamples);
}

/** numerator / denominator with a seeded bootstrap 95% CI: ratio of means, or with `paired` the geometric mean of per-pair ratios. */
export function ratioCI(numerator: readonly number[], denominator: readonly number[], options: RatioOptions = {}): RatioCI {
  return options.paired ? pairedGeomean(numerator, denominator, options) : unpairedRatio(numerator, denominator, options);
}

/** Multiplies a ratio and its interval by a positive factor (e.g. 1 / workers); n, method, seed are kept. */
export function scaleEstimate(estimate: RatioCI, factor: number): RatioCI;
export function scaleEstimate(estimate: RatioEstimate, factor: number): RatioEstimate;
export function scaleEstimate(estimate: RatioEstimate | RatioCI, factor: number): RatioEstimate | RatioCI {
  if (!(Number.isFinite(factor) && factor > 0)) throw new RangeError(`scaleEstimate: factor must be a positive finite number, received ${String(factor)}`);
  const point = estimate.point * factor;
  const ci95 = { lo: estimate.lo * factor, hi: estimate.hi * factor };
  const base: RatioEstimate = { point, lo: ci95.lo, hi: ci95.hi, n: estimate.n, method: estimate.method };
  return 'ci95' in estimate ? { ...base, ci95, degenerate: estimate.degenerate, seed: estimate.seed, resamples: estimate.resamples } : base;
}

/** Parallel efficiency = speedup / workers, with the speedup's CI divided the same way. */
export function efficiency(speedupEstimate: RatioCI, workers: number): RatioCI {
  if (!(Number.isInteger(workers) && workers >= 1)) throw new RangeError(`efficiency: workers must be a positive integer, received ${String(workers)}`);
  return scaleEstimate(speedupEstimate, 1 / workers);
}

function withEfficiency(estimate: RatioCI, workers: number): SpeedupEstimate {
  return { ...estimate, workers, efficiency: efficiency(estimate, workers) };
}

/** Speedup mean(baseline) / mean(candidate) of independent repeats, with its CI and the efficiency at `workers`. */
export function speedup(baselineMs: readonly number[], candidateMs: readonly number[], options: SpeedupOptions): SpeedupEstimate {
  return withEfficiency(ratioCI(baselineMs, candidateMs, { ...options, paired: false }), options.workers);
}

/** Speedup as the geometric mean of per-round ratios baseline / candidate, resampling rounds; with efficiency. */
export function pairedSpeedup(pairs: readonly RoundPair[], options: SpeedupOptions): SpeedupEstimate {
  const baselineMs = pairs.map((p) => p.baselineMs);
  const candidateMs = pairs.map((p) => p.candidateMs);
  return withEfficiency(ratioCI(baselineMs, candidateMs, { ...options, paired: true }), options.workers);
}

function estimateOnly({ point, lo, hi, n, method }: RatioCI): RatioEstimate {
  return { point, lo, hi, n, method };
}

/** mean(a) / mean(b) with a bootstrap CI, resampling each group independently (summary.json's shape). */
export function ratioOfMeans(a: readonly number[], b: readonly number[], seed: number | string = DEFAULT_SEED, resamples = DEFAULT_RESAMPLES): RatioEstimate {
  return estimateOnly(ratioCI(a, b, { seed, resamples }));
}

/** Geometric mean of aᵢ/bᵢ over pairs run in the same round, with a bootstrap CI over pairs (summary.json's shape). */
export function pairedRatio(a: readonly number[], b: readonly number[], seed: number | string = DEFAULT_SEED, resamples = DEFAULT_RESAMPLES): RatioEstimate {
  return estimateOnly(ratioCI(a, b, { seed, resamples, paired: true }));
}
