// The Karp–Flatt metric (Karp & Flatt 1990): the experimentally determined serial fraction
//   e(N) = (1/S(N) − 1/N) / (1 − 1/N),  N > 1.
// Under Amdahl's law e is constant; a flat e(N) means inherent serial work, a rising e(N) means overhead
// that grows with the number of workers (contention, scheduling, start-up), a falling one superlinear
// effects. e decreases as S grows, so a speedup interval [lo, hi] maps to [e(hi), e(lo)].

/** e(N) for a speedup S at N workers. */
export function karpFlatt(speedup: number, workers: number): number {
  return (1 / speedup - 1 / workers) / (1 - 1 / workers);
}

export interface KarpFlattPoint {
  workers: number;
  e: number;
  ci95: { lo: number; hi: number } | null;
}

/** e(N) for each measured N > 1, with the interval carried over from the speedup's. */
export function karpFlattSeries(points: { workers: number; speedup: number; lo?: number; hi?: number }[]): KarpFlattPoint[] {
  return points
    .filter((p) => p.workers > 1)
    .map((p) => ({
      workers: p.workers,
      e: karpFlatt(p.speedup, p.workers),
      ci95: p.lo !== undefined && p.hi !== undefined ? { lo: karpFlatt(p.hi, p.workers), hi: karpFlatt(p.lo, p.workers) } : null,
    }));
}

/** Classifies the trend of e(N): the change from the first to the last N, against a threshold of 0.02
 * (2 percentage points of serial fraction) — smaller changes are within the noise of these machines. */
export function karpFlattTrend(series: KarpFlattPoint[]): { trend: 'flat' | 'rising' | 'falling' | 'unknown'; explanation: string } {
  if (series.length < 2) return { trend: 'unknown', explanation: 'Fewer than two worker counts above 1: no trend can be read.' };
  const first = series[0] as KarpFlattPoint;
  const last = series[series.length - 1] as KarpFlattPoint;
  const change = last.e - first.e;
  const range = `e(${first.workers}) = ${first.e.toFixed(3)} to e(${last.workers}) = ${last.e.toFixed(3)}`;
  if (change > 0.02) return { trend: 'rising', explanation: `The serial fraction rises from ${range}: overhead grows with the number of workers (contention for cores, memory bandwidth or disk, or per-chunk start-up), not only a fixed serial part.` };
  if (change < -0.02) return { trend: 'falling', explanation: `The serial fraction falls from ${range}: more workers help more than Amdahl predicts (cache or I/O effects).` };
  return { trend: 'flat', explanation: `The serial fraction stays flat (${range}): the loss is inherent serial work (probe, split, merge), as Amdahl's law assumes.` };
}
