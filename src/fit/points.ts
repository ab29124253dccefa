// The inputs the scaling fits accept, and their validation. A fit is a pure function of measured points:
// wall times per worker count (with each round's wall time when the bootstrap should use them: rounds
// are the unit it resamples, so that the worker counts measured in one round stay paired), or
// relative capacities C(N) = T(1)/T(N), i.e. speedups over one worker. Bad points are rejected up front
// with the function, the field, the value received and what is accepted, instead of fitting NaN.

/** One measured worker count: mean wall time, and the repeats behind it keyed by round when available.
 * With `samplesByRound` on every point, the fits use the means over the rounds common to all points. */
export interface ScalingPoint {
  workers: number;
  wallMs: number;
  samplesByRound?: ReadonlyMap<number, number>;
}

/** One worker count's relative capacity C(N) = T(1)/T(N) (the speedup over one worker). */
export interface CapacityPoint {
  workers: number;
  capacity: number;
}

const positive = (x: number) => Number.isFinite(x) && x > 0;

/** Throws unless every point has workers ≥ 1 and a positive finite wall time, and there are
 * `minDistinct` distinct worker counts (two parameters need at least two). */
export function checkScalingPoints(fn: string, points: readonly ScalingPoint[], minDistinct: number): void {
  for (const p of points) {
    if (!(Number.isFinite(p.workers) && p.workers >= 1)) throw new RangeError(`${fn}: workers must be a finite number ≥ 1; received ${p.workers}`);
    if (!positive(p.wallMs)) throw new RangeError(`${fn}: wallMs must be a positive finite number; received ${p.wallMs} at workers = ${p.workers}`);
    const bad = [...(p.samplesByRound ?? [])].find(([, ms]) => !positive(ms));
    if (bad) throw new RangeError(`${fn}: samplesByRound must all be positive finite numbers; received ${bad[1]} in round ${bad[0]} at workers = ${p.workers}`);
  }
  const distinct = new Set(points.map((p) => p.workers)).size;
  if (distinct < minDistinct) throw new RangeError(`${fn}: needs at least ${minDistinct} distinct worker counts; received ${distinct}`);
}

/** Throws unless every point has workers ≥ 1 and a positive finite capacity. */
export function checkCapacityPoints(fn: string, points: readonly CapacityPoint[]): void {
  for (const p of points) {
    if (!(Number.isFinite(p.workers) && p.workers >= 1)) throw new RangeError(`${fn}: workers must be a finite number ≥ 1; received ${p.workers}`);
    if (!positive(p.capacity)) throw new RangeError(`${fn}: capacity must be a positive finite number; received ${p.capacity} at workers = ${p.workers}`);
  }
}
