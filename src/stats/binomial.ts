// Exact (Clopper–Pearson 1934) confidence interval of a binomial proportion: for x successes in n trials,
// the 95% interval is [p_lo, p_hi] with P(X ≥ x | p_lo) = 0.025 and P(X ≤ x | p_hi) = 0.025, found by
// bisection on the binomial distribution function (exact for the n of a benchmark, a few hundred at most).
// It is conservative: it holds at least its nominal level for every p. "0 false alarms in 20 runs" gives
// [0, 16.8%]: twenty clean runs bound the false-alarm rate only that far.
import type { Interval } from './describe.ts';

/** P(X ≤ x) for X ~ Binomial(n, p). */
export function binomialCdf(x: number, n: number, p: number): number {
  if (x < 0) return 0;
  if (x >= n) return 1;
  let term = (1 - p) ** n; // P(X = 0)
  let sum = term;
  for (let k = 1; k <= x; k++) {
    term *= ((n - k + 1) / k) * (p / (1 - p));
    sum += term;
  }
  return Math.min(1, sum);
}

function bisect(f: (p: number) => number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > 0) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

/** The two-sided 95% Clopper–Pearson interval of x successes in n trials. */
export function clopperPearson(x: number, n: number): Interval {
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(x) && x >= 0 && x <= n)) throw new RangeError(`clopperPearson: need integers 0 ≤ x ≤ n, n ≥ 1; received x = ${x}, n = ${n}`);
  // P(X ≥ x | p) grows with p; P(X ≤ x | p) falls with p
  const lo = x === 0 ? 0 : bisect((p) => 1 - binomialCdf(x - 1, n, p) - 0.025);
  const hi = x === n ? 1 : bisect((p) => 0.025 - binomialCdf(x, n, p));
  return { lo, hi };
}
