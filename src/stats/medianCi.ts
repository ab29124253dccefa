// The median with its distribution-free 95% interval (the sign-test interval, e.g. Conover, Practical
// Nonparametric Statistics, 3rd ed., §3.2): with the n values sorted, [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎] for the largest k with
// P(B ≤ k − 1) ≤ 0.025, B ~ Binomial(n, ½), covers the true median with probability 1 − 2·P(B ≤ k − 1) ≥ 95%
// whatever the distribution. For per-cut quality differences, where one odd cut among thirty is normal, a
// t interval of the mean does not hold its 95% (resampled from the segments run's own 29 keyframe cuts: 68%);
// this one does. Needs n ≥ 6 (with fewer no order statistics reach 95%).
import { binomialCdf } from './binomial.ts';

export interface MedianCi {
  median: number;
  lo: number;
  hi: number;
  n: number;
  /** The interval's exact coverage, 1 − 2·P(B ≤ k − 1). */
  coverage: number;
}

/** The median of `values` and its sign-test 95% interval; null under 6 values. */
export function medianCi(values: readonly number[]): MedianCi | null {
  const n = values.length;
  if (n < 6) return null;
  const sorted = [...values].sort((a, b) => a - b);
  let k = 1;
  while (binomialCdf(k, n, 0.5) <= 0.025) k++;
  // k is now the largest with P(B ≤ k − 1) ≤ 0.025
  const mid = n / 2;
  const median = n % 2 ? (sorted[Math.floor(mid)] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, lo: sorted[k - 1] as number, hi: sorted[n - k] as number, n, coverage: 1 - 2 * binomialCdf(k - 1, n, 0.5) };
}
