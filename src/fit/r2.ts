// Coefficient of determination R² = 1 − SS_res / SS_tot of predictions against observations.

/** R² of `predicted` against `observed` (1 when both are constant and equal). */
export function rSquared(observed: number[], predicted: number[]): number {
  const mean = observed.reduce((a, b) => a + b, 0) / observed.length;
  const ssTot = observed.reduce((s, y) => s + (y - mean) ** 2, 0);
  const ssRes = observed.reduce((s, y, i) => s + (y - (predicted[i] ?? NaN)) ** 2, 0);
  return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
}
