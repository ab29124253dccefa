// Descriptive statistics of one configuration's repeats, all pure.
//   mean, median, sample sd (n − 1), coefficient of variation sd/mean, min, max;
//   95% CI of the mean: mean ± t(0.975, n − 1) · sd/√n (Student 1908), t from the table below;
//   MAD = median |xᵢ − median| (raw, not scaled by 1.4826);
//   outliers by the modified z-score Mᵢ = 0.6745 (xᵢ − median) / MAD, flagged when |Mᵢ| > 3.5
//   (Iglewicz & Hoaglin 1993, "How to Detect and Handle Outliers"); when MAD = 0 the denominator is
//   1.253314 × mean absolute deviation (the same authors' fallback, as in IBM SPSS). Outliers are
//   reported, never dropped.
import { mean as ssMean, median as ssMedian, sampleStandardDeviation } from 'simple-statistics';

// Two-sided 95% critical values of Student's t by degrees of freedom (NIST/SEMATECH e-Handbook of
// Statistical Methods, table 1.3.6.7.2). Between table rows the value is interpolated in 1/df.
const T_TABLE: [number, number][] = [
  [1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [6, 2.447], [7, 2.365], [8, 2.306], [9, 2.262],
  [10, 2.228], [11, 2.201], [12, 2.179], [13, 2.16], [14, 2.145], [15, 2.131], [16, 2.12], [17, 2.11], [18, 2.101],
  [19, 2.093], [20, 2.086], [21, 2.08], [22, 2.074], [23, 2.069], [24, 2.064], [25, 2.06], [26, 2.056], [27, 2.052],
  [28, 2.048], [29, 2.045], [30, 2.042], [40, 2.021], [50, 2.009], [60, 2.0], [80, 1.99], [100, 1.984], [120, 1.98],
];

/** Two-sided 95% Student-t critical value for `df` degrees of freedom (1.96 as df → ∞). */
export function tCritical95(df: number): number {
  if (df < 1) return NaN;
  for (let i = 0; i < T_TABLE.length; i++) {
    const [d, t] = T_TABLE[i] as [number, number];
    if (df === d) return t;
    if (df < d) {
      const [d0, t0] = T_TABLE[i - 1] as [number, number];
      const w = (1 / df - 1 / d) / (1 / d0 - 1 / d);
      return t + w * (t0 - t);
    }
  }
  const [dLast, tLast] = T_TABLE[T_TABLE.length - 1] as [number, number];
  return 1.96 + ((tLast - 1.96) * dLast) / df;
}

/** A 95% interval. */
export interface Interval {
  lo: number;
  hi: number;
}

/** Everything the report says about one sample set. */
export interface Description {
  n: number;
  mean: number;
  median: number;
  sd: number;
  cv: number;
  ci95: Interval;
  min: number;
  max: number;
  mad: number;
  outliers: { index: number; value: number; modifiedZ: number }[];
}

/** Modified z-scores (Iglewicz & Hoaglin) of every sample. */
export function modifiedZScores(samples: readonly number[]): number[] {
  const med = ssMedian([...samples]);
  const mad = ssMedian(samples.map((x) => Math.abs(x - med)));
  if (mad > 0) return samples.map((x) => (0.6745 * (x - med)) / mad);
  const meanAbs = ssMean(samples.map((x) => Math.abs(x - med)));
  return samples.map((x) => (meanAbs > 0 ? (x - med) / (1.253314 * meanAbs) : 0));
}

/** Describes a non-empty sample set; the order of samples is kept for outlier indices. */
export function describe(samples: readonly number[]): Description {
  if (samples.length === 0) throw new Error('describe: no samples');
  const n = samples.length;
  const mean = ssMean([...samples]);
  const median = ssMedian([...samples]);
  const sd = n > 1 ? sampleStandardDeviation([...samples]) : 0;
  const half = n > 1 ? (tCritical95(n - 1) * sd) / Math.sqrt(n) : 0;
  const z = modifiedZScores(samples);
  return {
    n,
    mean,
    median,
    sd,
    cv: mean === 0 ? 0 : sd / mean,
    ci95: { lo: mean - half, hi: mean + half },
    min: Math.min(...samples),
    max: Math.max(...samples),
    mad: ssMedian(samples.map((x) => Math.abs(x - median))),
    outliers: samples.flatMap((value, index) => (Math.abs(z[index] ?? 0) > 3.5 ? [{ index, value, modifiedZ: z[index] ?? 0 }] : [])),
  };
}
