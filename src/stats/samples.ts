// Validated sample sets. Statistics that depend on order (median, MAD, min, max) take `SortedSamples`,
// which only `sortSamples` can make, so unsorted or unchecked data cannot reach them by accident (the
// idea is tinybench's `SortedSamples`). Validation happens once, here, with a message that names the
// offending sample, instead of a NaN surfacing three functions later in a report.

declare const sortedBrand: unique symbol;

/** Non-empty, all finite, ascending; only `sortSamples` makes one. */
export type SortedSamples = readonly number[] & { readonly [sortedBrand]: true };

/** Throws unless `samples` is non-empty and every value is finite; `what` names the caller in the message. */
export function assertFiniteSamples(samples: readonly number[], what: string): void {
  if (samples.length === 0) throw new Error(`${what}: no samples (received an empty array); pass at least one measurement`);
  const bad = samples.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new RangeError(`${what}: sample ${bad} is ${String(samples[bad])}; every sample must be a finite number`);
}

/** Validates `samples` and returns an ascending copy; the input keeps its order (outlier indices need it). */
export function sortSamples(samples: readonly number[], what = 'sortSamples'): SortedSamples {
  assertFiniteSamples(samples, what);
  return [...samples].sort((a, b) => a - b) as readonly number[] as SortedSamples;
}
