// Two-sided 95% critical values of Student's t, t(0.975, df), for confidence intervals of a mean from a
// handful of repeats, where 1.96 would be far too narrow (df = 4 needs 2.776, 42% wider).
//
// Source: NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2 "Critical Values of the Student's t
// Distribution" (https://www.itl.nist.gov/div898/handbook/eda/section3/eda3672.htm), column 0.975, three
// decimals; the df = 120 row (1.980; exact 1.9799) is the usual extra row of printed tables. Between rows
// the value is interpolated linearly in 1/df, which is how t behaves for large df (t ≈ z + c/df): df = 35
// gives 2.0301 (exact 2.0301). Past 120 it follows z + (1.980 − z)·120/df with z = 1.959964 (df = 1000
// gives 1.9624; exact 1.9623), reaching the normal value as df → ∞.

/** [df, t(0.975, df)], df ascending. */
const T_975: readonly (readonly [number, number])[] = [
  [1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [6, 2.447], [7, 2.365], [8, 2.306], [9, 2.262],
  [10, 2.228], [11, 2.201], [12, 2.179], [13, 2.16], [14, 2.145], [15, 2.131], [16, 2.12], [17, 2.11], [18, 2.101],
  [19, 2.093], [20, 2.086], [21, 2.08], [22, 2.074], [23, 2.069], [24, 2.064], [25, 2.06], [26, 2.056], [27, 2.052],
  [28, 2.048], [29, 2.045], [30, 2.042], [40, 2.021], [50, 2.009], [60, 2.0], [80, 1.99], [100, 1.984], [120, 1.98],
];

const Z_975 = 1.959964;

/** Two-sided 95% Student-t critical value for `df` degrees of freedom; NaN for df < 1 (no interval exists). */
export function tCritical95(df: number): number {
  if (!(df >= 1)) return NaN;
  for (let i = 0; i < T_975.length; i++) {
    const [d, t] = T_975[i] as readonly [number, number];
    if (df === d) return t;
    if (df < d) {
      // i > 0 here: df ≥ 1 = the first row's df, and equality returned above
      const [d0, t0] = T_975[i - 1] as readonly [number, number];
      const w = (1 / df - 1 / d) / (1 / d0 - 1 / d);
      return t + w * (t0 - t);
    }
  }
  const [dLast, tLast] = T_975[T_975.length - 1] as readonly [number, number];
  return Z_975 + ((tLast - Z_975) * dLast) / df;
}
