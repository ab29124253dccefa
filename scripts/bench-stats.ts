// Minimal paired-ratio statistics for the benchmark scripts: seeded PRNG, shuffle, and the geometric mean
// of per-round ratios with a percentile-bootstrap 95% CI (Efron & Tibshirani 1993, ch. 13). Pairing: both
// members of a ratio ran in the same round, so drift of the shared machine largely cancels.

/** mulberry32 (Tommy Ettinger, public domain): a tiny seeded 32-bit PRNG, returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle into a new array. */
export function shuffle<T>(items: readonly T[], rng: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export interface RatioSummary {
  point: number;
  lo: number;
  hi: number;
}

/** Geometric mean of num[i]/den[i] with a 95% percentile-bootstrap CI over the pairs. */
export function pairedRatio(num: number[], den: number[], seed = 1, resamples = 10_000): RatioSummary {
  const logs = num.map((n, i) => Math.log(n / (den[i] ?? NaN)));
  const gm = (xs: number[]) => Math.exp(xs.reduce((a, b) => a + b, 0) / xs.length);
  const rng = mulberry32(seed);
  const stats: number[] = [];
  for (let r = 0; r < resamples; r++) stats.push(gm(logs.map(() => logs[Math.floor(rng() * logs.length)] ?? 0)));
  stats.sort((a, b) => a - b);
  return { point: gm(logs), lo: stats[Math.floor(0.025 * resamples)] ?? NaN, hi: stats[Math.ceil(0.975 * resamples) - 1] ?? NaN };
}
