// Descriptive statistics of one configuration's repeats (wall times in ms, utilisations, …; every result is
// in the unit of the input). Pure; the input order is kept so that outliers can be named by run.
//
//   mean x̄, median, min, max; sample sd s = √(Σ(xᵢ − x̄)² / (n − 1)) (simple-statistics); cv = s / x̄.
//   95% CI of the mean: x̄ ± t(0.975, n − 1) · s / √n (Student 1908), t from ./studentT.ts. With n = 1
//     there is no spread to estimate: the interval is the point and `ciDegenerate` says so.
//   MAD = median |xᵢ − median|, reported RAW (not multiplied by 1.4826 to estimate σ).
//   Outliers by the modified z-score Mᵢ = 0.6745 (xᵢ − median) / MAD, flagged when |Mᵢ| > 3.5
//     (Iglewicz & Hoaglin 1993, "How to Detect and Handle Outliers", ASQC Basic References in Quality
//     Control vol. 16; also NIST/SEMATECH e-Handbook §1.3.5.17). 0.6745 = Φ⁻¹(0.75) makes MAD/0.6745 a
//     consistent estimate of σ for normal data.
//   When MAD = 0 (more than half the runs tie with the median, common with coarse timers) Mᵢ is undefined;
//     the denominator becomes 1.253314 · MeanAD, MeanAD = mean |xᵢ − median|, as in IBM's definition of
//     the modified z-score (IBM Cognos Analytics 11.1 docs, "Modified z score"); 1.253314 = √(π/2) makes
//     it a consistent estimate of σ for normal data. If MeanAD is 0 too, every run equals the median and
//     nothing is an outlier. `outlierScale` records which denominator was used.
//   Outliers are REPORTED, never dropped: every statistic above uses every run.
//   Only from n ≥ OUTLIER_MIN_N = 20 runs. With fewer the MAD is too noisy an estimate of σ for a fixed
//     3.5 to mean "rare under normal data". Measured on normal samples (seeded; 100 000 configurations
//     per n, 40 000 for n ≥ 40), the share of configurations in which the rule flags at least one run:
//       n          5      8      10     15     20     30     40–80      100
//       flagged    20.5%  13.8%  12.5%  11.7%  9.8%   9.0%   8.4–9.1%   9.6%
//       if MAD = σ 0.2%   0.4%   0.5%   0.7%   0.9%   1.4%   1.8–3.7%   4.5%   (1 − (1 − 2Φ(−3.5))ⁿ)
//     It falls steeply up to n ≈ 20, then stays near a floor of about 9% until n·2Φ(−3.5), more runs
//     giving more chances, takes over (at n = 300 it is still 1.3× the MAD = σ line). 20 is the smallest n
//     of those measured where the rate is under 10.5%, within about 10% of the floor; a seeded
//     20 000-configuration version is a test (test/stats/describe.test.ts). Below it `outliers` is empty
//     and `outlierRule` says the rule was not applied and why. Even from 20 on, about one normal
//     configuration in ten carries a flag: a flag asks for a look at the run, it is not a verdict.
import { mean as ssMean, medianSorted, sampleStandardDeviation } from 'simple-statistics';
import { sortSamples, type SortedSamples } from './samples.ts';
import { tCritical95 } from './studentT.ts';

// Re-exported because the fits import it from here.
export { tCritical95 } from './studentT.ts';

/** A 95% interval [lo, hi]. */
export interface Interval {
  lo: number;
  hi: number;
}

/** Which spread the modified z-scores were divided by (see the header). */
export type OutlierScale = 'mad' | 'mean-absolute-deviation' | 'none';

/** A run flagged by the modified z-score; `index` is its position in the input. */
export interface Outlier {
  index: number;
  value: number;
  modifiedZ: number;
}

/** Whether the outlier rule ran on a sample set, and if not why (n below OUTLIER_MIN_N). */
export type OutlierRule = '|modified z| > 3.5' | `not applied: n < ${number}`;

/** Everything the report says about one sample set. */
export interface Description {
  n: number;
  mean: number;
  median: number;
  /** Sample standard deviation (n − 1); 0 when n = 1. */
  sd: number;
  /** sd / mean; 0 when the mean is 0. */
  cv: number;
  /** 95% Student-t interval of the mean. */
  ci95: Interval;
  /** True when n = 1: `ci95` is the point, not an interval. */
  ciDegenerate: boolean;
  min: number;
  max: number;
  /** Median absolute deviation from the median, raw (unscaled). */
  mad: number;
  outlierScale: OutlierScale;
  /** Runs flagged by the modified z-score; empty when `outlierRule` says it was not applied. */
  outliers: Outlier[];
  outlierRule: OutlierRule;
}

/** |Mᵢ| above this is an outlier (Iglewicz & Hoaglin's recommended cut-off). */
export const MODIFIED_Z_THRESHOLD = 3.5;

/** The fewest runs at which outliers are flagged: below it the rule flags normal data far too often. */
export const OUTLIER_MIN_N = 20;

const NORMAL_Q3 = 0.6745;
const SQRT_HALF_PI = 1.253314;

interface RobustCentre {
  median: number;
  mad: number;
  scale: OutlierScale;
  /** Modified z-score of one value. */
  z: (x: number) => number;
}

function robustCentre(sorted: SortedSamples): RobustCentre {
  const median = medianSorted(sorted);
  const deviations = sortSamples(sorted.map((x) => Math.abs(x - median)));
  const mad = medianSorted(deviations);
  if (mad > 0) return { median, mad, scale: 'mad', z: (x) => (NORMAL_Q3 * (x - median)) / mad };
  const meanAbsDev = ssMean(deviations);
  if (meanAbsDev > 0) return { median, mad, scale: 'mean-absolute-deviation', z: (x) => (x - median) / (SQRT_HALF_PI * meanAbsDev) };
  return { median, mad, scale: 'none', z: () => 0 };
}

/** Modified z-scores of every sample, in input order (MeanAD fallback when MAD = 0). */
export function modifiedZScores(samples: readonly number[]): number[] {
  const { z } = robustCentre(sortSamples(samples, 'modifiedZScores'));
  return samples.map(z);
}

/** Describes a non-empty set of finite samples; throws on an empty set or a non-finite value. */
export function describe(samples: readonly number[]): Description {
  const sorted = sortSamples(samples, 'describe');
  const n = samples.length;
  const mean = ssMean(samples);
  const sd = n > 1 ? sampleStandardDeviation(samples) : 0;
  const half = n > 1 ? (tCritical95(n - 1) * sd) / Math.sqrt(n) : 0;
  const { median, mad, scale, z } = robustCentre(sorted);
  const applied = n >= OUTLIER_MIN_N;
  const outliers: Outlier[] = [];
  if (applied) {
    samples.forEach((value, index) => {
      const modifiedZ = z(value);
      if (Math.abs(modifiedZ) > MODIFIED_Z_THRESHOLD) outliers.push({ index, value, modifiedZ });
    });
  }
  return {
    n,
    mean,
    median,
    sd,
    cv: mean === 0 ? 0 : sd / mean,
    ci95: { lo: mean - half, hi: mean + half },
    ciDegenerate: n === 1,
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    mad,
    outlierScale: scale,
    outliers,
    outlierRule: applied ? '|modified z| > 3.5' : `not applied: n < ${OUTLIER_MIN_N}`,
  };
}

/** The mean of a quantity that is never negative (a time, a count, a rate) with its 95% Student-t interval
 * cut at 0: all its values lie there or above, and cutting an interval at a bound the true value respects
 * never lowers its coverage. */
export function nonNegativeMean(samples: readonly number[]): { value: number; lo: number; hi: number } {
  const d = describe(samples);
  return { value: d.mean, lo: Math.max(0, d.ci95.lo), hi: d.ci95.hi };
}
