import { describe as group, expect, it } from 'vitest';
import { mulberry32, pairedRatio, pairedSpeedup, ratioCI, ratioOfMeans, scaleEstimate, seedFrom, speedup, type RatioCI } from '../../src/stats/index.ts';

const width = (r: RatioCI) => r.ci95.hi - r.ci95.lo;

/** n values around `meanMs`, ±5% uniform noise, from a seeded generator. */
function noisy(rng: () => number, n: number, meanMs: number): number[] {
  return Array.from({ length: n }, () => meanMs * (1 + 0.1 * (rng() - 0.5)));
}

group('ratioCI on hand-enumerable cases', () => {
  it('is the exact ratio, with a zero-width interval, for two constant groups', () => {
    // mean 10 / mean 5 = 2, and every replicate is 10 / 5 too
    for (const paired of [false, true]) {
      const r = ratioCI([10, 10, 10], [5, 5, 5], { paired });
      expect(r).toMatchObject({ point: 2, lo: 2, hi: 2, ci95: { lo: 2, hi: 2 }, n: 3, degenerate: false });
    }
  });

  it('unpaired: [10, 30] over [10, 10] gives 2 with the interval [1, 3]', () => {
    // point = mean 20 / mean 10 = 2. A replicate of [10, 30] has mean 10 (p ¼), 20 (p ½) or 30 (p ¼); the
    // denominator is always 10, so replicates are 1, 2, 3 with ~2500 ones and ~2500 threes out of 10⁴:
    // sorted[250] = 1 and sorted[9749] = 3
    const r = ratioCI([10, 30], [10, 10], { seed: 1 });
    expect(r.method).toBe('bootstrap-ratio-of-means');
    expect(r.point).toBe(2);
    expect(r.ci95).toEqual({ lo: 1, hi: 3 });
  });

  it('paired: rounds (10, 10) and (40, 10) give the geometric mean 2 with the interval [1, 4]', () => {
    // per-round ratios 1 and 4; point = exp((ln 1 + ln 4) / 2) = √4 = 2. A replicate of two pairs averages
    // the logs of {1,1}, {1,4} or {4,4}: exp of 0, ln 2, ln 4 = 1 (p ¼), 2 (p ½), 4 (p ¼) → interval [1, 4]
    const r = ratioCI([10, 40], [10, 10], { paired: true, seed: 1 });
    expect(r.method).toBe('bootstrap-paired-geomean');
    expect(r.point).toBeCloseTo(2, 12);
    expect(r.ci95.lo).toBeCloseTo(1, 12);
    expect(r.ci95.hi).toBeCloseTo(4, 12);
  });

  it('collapses to the point, flagged, with a single sample (pair)', () => {
    const unpaired = ratioCI([12], [4, 4, 4]);
    expect(unpaired).toMatchObject({ point: 3, lo: 3, hi: 3, n: 1, degenerate: true });
    const paired = ratioCI([12], [4], { paired: true });
    expect(paired.ci95.lo).toBeCloseTo(3, 12);
    expect(paired.ci95.hi).toBeCloseTo(3, 12);
    expect(paired.degenerate).toBe(true);
  });
});

group('ratioCI properties', () => {
  const rng = mulberry32(7);
  const a5 = noisy(rng, 5, 20), b5 = noisy(rng, 5, 10), a50 = noisy(rng, 50, 20), b50 = noisy(rng, 50, 10);

  it('contains the point, for both estimators', () => {
    for (const paired of [false, true]) {
      for (const [a, b] of [[a5, b5], [a50, b50]] as const) {
        const r = ratioCI(a, b, { paired, seed: 3 });
        expect(r.ci95.lo).toBeLessThanOrEqual(r.point);
        expect(r.ci95.hi).toBeGreaterThanOrEqual(r.point);
      }
    }
  });

  it('is deterministic for a seed (numeric or string) and moves with it', () => {
    const r = ratioCI(a5, b5, { seed: 3 });
    expect(ratioCI(a5, b5, { seed: 3 })).toEqual(r);
    expect(ratioCI(a5, b5, { seed: 4 }).ci95).not.toEqual(r.ci95);
    expect(ratioCI(a5, b5, { seed: 'run-7' }).ci95).toEqual(ratioCI(a5, b5, { seed: seedFrom('run-7') }).ci95);
  });

  it('narrows with more samples', () => {
    for (const paired of [false, true]) {
      const small = ratioCI(a5, b5, { paired, seed: 3 });
      const large = ratioCI(a50, b50, { paired, seed: 3 });
      // the half-width goes roughly as 1/√n: 10× the samples, about a third of the width
      expect(width(large)).toBeLessThan(width(small) / 2);
    }
  });

  it('keeps the legacy shape and numbers for ratioOfMeans and pairedRatio', () => {
    const full = ratioCI(a5, b5, { seed: 3, paired: true });
    expect(pairedRatio(a5, b5, 3)).toEqual({ point: full.point, lo: full.lo, hi: full.hi, n: 5, method: 'bootstrap-paired-geomean' });
    expect(ratioOfMeans(a5, b5, 3).lo).toBe(ratioCI(a5, b5, { seed: 3 }).lo);
  });
});

group('pairing on a drifting machine', () => {
  it('gives a much tighter interval than treating the runs as independent', () => {
    // 10 rounds; the machine's speed drifts by up to ±40% from round to round (shared by both runs of a
    // round), each run adds ±1% of its own noise; the true speedup is 2
    const rng = mulberry32(99);
    const drift = Array.from({ length: 10 }, (_, r) => 1 + 0.4 * Math.sin(r));
    const pairs = drift.map((d) => ({ baselineMs: 20_000 * d * (1 + 0.02 * (rng() - 0.5)), candidateMs: 10_000 * d * (1 + 0.02 * (rng() - 0.5)) }));
    const paired = pairedSpeedup(pairs, { workers: 2, seed: 1 });
    const unpaired = speedup(pairs.map((p) => p.baselineMs), pairs.map((p) => p.candidateMs), { workers: 2, seed: 1 });
    // per-round noise of ±1% on each side: the paired interval stays within about 1% of 2
    expect(paired.ci95.lo).toBeGreaterThan(1.97);
    expect(paired.ci95.hi).toBeLessThan(2.03);
    expect(unpaired.ci95.lo).toBeLessThan(2);
    expect(unpaired.ci95.hi).toBeGreaterThan(2);
    expect(width(paired)).toBeLessThan(width(unpaired) / 10);
  });
});

group('speedup and efficiency', () => {
  it('divides the speedup and its interval by the workers', () => {
    const s = speedup([30, 32, 28, 31], [10, 11, 9, 10], { workers: 4, seed: 5 });
    // point = mean 30.25 / mean 10 = 3.025; efficiency = 3.025 / 4 = 0.75625
    expect(s.point).toBeCloseTo(3.025, 12);
    expect(s.workers).toBe(4);
    expect(s.efficiency.point).toBeCloseTo(0.75625, 12);
    expect(s.efficiency.ci95.lo).toBeCloseTo(s.ci95.lo / 4, 12);
    expect(s.efficiency.ci95.hi).toBeCloseTo(s.ci95.hi / 4, 12);
    expect(s.efficiency.lo).toBe(s.efficiency.ci95.lo);
    expect(s.efficiency).toMatchObject({ n: 4, method: 'bootstrap-ratio-of-means', seed: 5, resamples: 10_000 });
  });

  it('pairedSpeedup is the paired ratio of the rounds', () => {
    const pairs = [{ baselineMs: 20, candidateMs: 11 }, { baselineMs: 26, candidateMs: 12 }, { baselineMs: 22, candidateMs: 10 }];
    // ratios 20/11, 26/12, 22/10 → geometric mean ∛(1.818182 · 2.166667 · 2.2) = ∛8.666667 = 2.054080 (2.054080³ = 8.666667)
    const s = pairedSpeedup(pairs, { workers: 2, seed: 9 });
    expect(s.point).toBeCloseTo(2.05408, 6);
    expect(s.efficiency.point).toBeCloseTo(2.05408 / 2, 6);
    expect({ lo: s.lo, hi: s.hi }).toEqual((({ lo, hi }) => ({ lo, hi }))(pairedRatio([20, 26, 22], [11, 12, 10], 9)));
  });

  it('scaleEstimate keeps the shape it was given', () => {
    const legacy = scaleEstimate({ point: 2, lo: 1.5, hi: 2.5, n: 5, method: 'bootstrap-paired-geomean' }, 0.5);
    expect(legacy).toEqual({ point: 1, lo: 0.75, hi: 1.25, n: 5, method: 'bootstrap-paired-geomean' });
  });
});

group('bad input', () => {
  it('says what was wrong', () => {
    expect(() => ratioCI([], [1, 2])).toThrow('no samples');
    expect(() => ratioCI([1, 0], [1, 2])).toThrow('sample 1 is 0; ratios need positive values');
    expect(() => ratioCI([1, 2, 3], [1, 2], { paired: true })).toThrow('3 numerator samples but 2 denominator samples');
    expect(() => ratioCI([1, 2], [1, 2], { resamples: 0 })).toThrow('resamples must be a positive integer, received 0');
    expect(() => speedup([1, 2], [1, 2], { workers: 0 })).toThrow('workers must be a positive integer, received 0');
    expect(() => scaleEstimate({ point: 1, lo: 1, hi: 1, n: 1, method: 'bootstrap-ratio-of-means' }, -1)).toThrow('factor must be a positive finite number');
  });
});
