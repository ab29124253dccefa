// Coefficient of determination R² = 1 − SS_res / SS_tot of predictions against observations.
// simple-statistics' rSquared takes [x, y] pairs and a function and returns NaN on constant data; the
// fits already have their predictions as an array, and a constant series fitted exactly should read 1.

/** R² of `predicted` against `observed` (1 when both are constant and equal, 0 when only observed is). */
export function rSquared(observed: readonly number[], predicted: readonly number[]): number {
  if (observed.length !== predicted.length) throw new RangeError(`rSquared: observed and predicted must be the same length; received ${observed.length} and ${predicted.length}`);
  const mean = observed.reduce((a, b) => a + b, 0) / observed.length;
  const ssTot = observed.reduce((s, y) => s + (y - mean) ** 2, 0);
  const ssRes = observed.reduce((s, y, i) => s + (y - (predicted[i] ?? NaN)) ** 2, 0);
  return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
}
