import { describe as group, expect, it } from 'vitest';
import { mulberry32, pairedRatio, pairedSpeedup, ratioCI, ratioFromLogs, ratioOfLogSummaries, scaleEstimate, speedup, tCritical95, unpairedRatio, type RatioCI } from '../../src/stats/index.ts';

const width = (r: RatioCI) => r.ci95.hi - r.ci95.lo;

/** n values around `meanMs`, ±5% uniform noise, from a seeded generator. */
function noisy(rng: () => number, n: number, meanMs: number): number[] {
  return Array.from({ length: n }, () => meanMs * (1 + 0.1 * (rng() - 0.5)));
}

group('ratioCI on worked examples', () => {
  it('is the exact ratio, with a zero-width interval, for two constant groups', () => {
    for (const paired of [false, true]) {
      const r = ratioCI([10, 10, 10], [5, 5, 5], { paired });
      expect(r).toMatchObject({ point: expect.closeTo(2, 12), lo: expect.closeTo(2, 12), hi: expect.closeTo(2, 12), n: 3, degenerate: false });
    }
  });

  it('paired: rounds (10, 10) and (40, 10) give the geometric mean 2 and the t interval 2^(1 ± 12.706)', () => {
    // logs d = [0, ln 4]: mean ln 2; s_d = ln 4 / √2, se = s_d / √2 = ln 2; t(0.975, 1) = 12.706
    const r = ratioCI([10, 40], [10, 10], { paired: true });
    expect(r.method).toBe('paired-t-log');
    expect(r.point).toBeCloseTo(2, 12);
    expect(Math.log2(r.lo)).toBeCloseTo(1 - 12.706, 9);
    expect(Math.log2(r.hi)).toBeCloseTo(1 + 12.706, 9);
  });

  it('paired: log ratios 0.1, 0.2, 0.3 give exp(0.2 ± 4.303 · 0.1/√3)', () => {
    const r = ratioFromLogs([0.1, 0.2, 0.3]);
    const half = (4.303 * 0.1) / Math.sqrt(3);
    expect(r.point).toBeCloseTo(Math.exp(0.2), 12);
    expect(r.lo).toBeCloseTo(Math.exp(0.2 - half), 12);
    expect(r.hi).toBeCloseTo(Math.exp(0.2 + half), 12);
    expect(r.log).toEqual({ mean: expect.closeTo(0.2, 12), se: expect.closeTo(0.1 / Math.sqrt(3), 12), df: 2 });
  });

  it('unpaired: the ratio of geometric means with Welch’s degrees of freedom', () => {
    // ln a = [0, 0.2]: mean 0.1, se 0.1; ln b = [0, 0.4]: mean 0.2, se 0.2; difference −0.1,
    // se √0.05, df = 0.05² / (0.1⁴ + 0.2⁴) = 1.4706
    const r = ratioCI([1, Math.exp(0.2)], [1, Math.exp(0.4)]);
    expect(r.method).toBe('welch-t-log');
    expect(r.point).toBeCloseTo(Math.exp(-0.1), 12);
    expect(r.log.df).toBeCloseTo(0.0025 / 0.0017, 9);
    const half = tCritical95(0.0025 / 0.0017) * Math.sqrt(0.05);
    expect(r.lo).toBeCloseTo(Math.exp(-0.1 - half), 9);
    expect(r.hi).toBeCloseTo(Math.exp(-0.1 + half), 9);
  });

  it('compares a log summary with a baseline’s by Welch’s t', () => {
    const r = ratioOfLogSummaries({ mean: 0.5, se: 0.03, df: 9 }, { mean: 0.55, se: 0.04, df: 19 }, 10);
    const df = 0.0025 ** 2 / (0.03 ** 4 / 9 + 0.04 ** 4 / 19);
    expect(r.point).toBeCloseTo(Math.exp(-0.05), 12);
    expect(r.log.df).toBeCloseTo(df, 9);
    expect(r.hi).toBeCloseTo(Math.exp(-0.05 + tCritical95(df) * 0.05), 9);
  });

  it('collapses to the point, flagged, with a single sample (pair)', () => {
    const unpaired = ratioCI([12], [4, 4, 4]);
    expect(unpaired).toMatchObject({ point: 3, lo: 3, hi: 3, n: 1, degenerate: true });
    const paired = ratioCI([12], [4], { paired: true });
    expect(paired.lo).toBeCloseTo(3, 12);
    expect(paired.hi).toBeCloseTo(3, 12);
    expect(paired.degenerate).toBe(true);
  });
});

group('ratioCI properties', () => {
  const rng = mulberry32(7);
  const a5 = noisy(rng, 5, 20), b5 = noisy(rng, 5, 10), a50 = noisy(rng, 50, 20), b50 = noisy(rng, 50, 10);

  it('contains the point, for both estimators', () => {
    for (const paired of [false, true]) {
      for (const [a, b] of [[a5, b5], [a50, b50]] as const) {
        const r = ratioCI(a, b, { paired });
        expect(r.lo).toBeLessThanOrEqual(r.point);
        expect(r.hi).toBeGreaterThanOrEqual(r.point);
      }
    }
  });

  it('is symmetric: B/A is the reciprocal of A/B, interval included', () => {
    for (const paired of [false, true]) {
      const ab = ratioCI(a5, b5, { paired });
      const ba = ratioCI(b5, a5, { paired });
      expect(ba.point).toBeCloseTo(1 / ab.point, 12);
      expect(ba.lo).toBeCloseTo(1 / ab.hi, 12);
      expect(ba.hi).toBeCloseTo(1 / ab.lo, 12);
    }
  });

  it('narrows with more samples', () => {
    for (const paired of [false, true]) {
      // the half-width goes roughly as t/√n: 10× the samples, well under half the width
      expect(width(ratioCI(a50, b50, { paired }))).toBeLessThan(width(ratioCI(a5, b5, { paired })) / 2);
    }
  });

  it('pairedRatio and unpairedRatio keep summary.json’s shape', () => {
    const full = ratioCI(a5, b5, { paired: true });
    expect(pairedRatio(a5, b5)).toEqual({ point: full.point, lo: full.lo, hi: full.hi, n: 5, method: 'paired-t-log' });
    expect(unpairedRatio(a5, b5).lo).toBe(ratioCI(a5, b5).lo);
  });
});

group('pairing on a drifting machine', () => {
  it('gives a much tighter interval than treating the runs as independent', () => {
    // 10 rounds; the machine's speed drifts by up to ±40% from round to round (shared by both runs of a
    // round), each run adds ±1% of its own noise; the true speedup is 2
    const rng = mulberry32(99);
    const drift = Array.from({ length: 10 }, (_, r) => 1 + 0.4 * Math.sin(r));
    const pairs = drift.map((d) => ({ baselineMs: 20_000 * d * (1 + 0.02 * (rng() - 0.5)), candidateMs: 10_000 * d * (1 + 0.02 * (rng() - 0.5)) }));
    const paired = pairedSpeedup(pairs, { workers: 2 });
    const unpaired = speedup(pairs.map((p) => p.baselineMs), pairs.map((p) => p.candidateMs), { workers: 2 });
    expect(paired.lo).toBeGreaterThan(1.98);
    expect(paired.hi).toBeLessThan(2.02);
    expect(unpaired.lo).toBeLessThan(2);
    expect(unpaired.hi).toBeGreaterThan(2);
    expect(width(paired)).toBeLessThan(width(unpaired) / 10);
  });
});

group('speedup and efficiency', () => {
  it('divides the speedup and its interval by the workers', () => {
    const s = speedup([30, 32, 28, 31], [10, 11, 9, 10], { workers: 4 });
    const gm = (xs: number[]) => Math.exp(xs.reduce((t, x) => t + Math.log(x), 0) / xs.length);
    expect(s.point).toBeCloseTo(gm([30, 32, 28, 31]) / gm([10, 11, 9, 10]), 12);
    expect(s.workers).toBe(4);
    expect(s.efficiency.point).toBeCloseTo(s.point / 4, 12);
    expect(s.efficiency.lo).toBeCloseTo(s.lo / 4, 12);
    expect(s.efficiency.hi).toBeCloseTo(s.hi / 4, 12);
    expect(s.efficiency).toMatchObject({ n: 4, method: 'welch-t-log' });
  });

  it('pairedSpeedup is the paired ratio of the rounds', () => {
    const pairs = [{ baselineMs: 20, candidateMs: 11 }, { baselineMs: 26, candidateMs: 12 }, { baselineMs: 22, candidateMs: 10 }];
    // ratios 20/11, 26/12, 22/10 → geometric mean ∛(1.818182 · 2.166667 · 2.2) = ∛8.666667 = 2.054080
    const s = pairedSpeedup(pairs, { workers: 2 });
    expect(s.point).toBeCloseTo(2.05408, 6);
    expect(s.efficiency.point).toBeCloseTo(2.05408 / 2, 6);
    expect({ lo: s.lo, hi: s.hi }).toEqual((({ lo, hi }) => ({ lo, hi }))(pairedRatio([20, 26, 22], [11, 12, 10])));
  });

  it('scaleEstimate keeps the shape it was given', () => {
    const plain = scaleEstimate({ point: 2, lo: 1.5, hi: 2.5, n: 5, method: 'paired-t-log' }, 0.5);
    expect(plain).toEqual({ point: 1, lo: 0.75, hi: 1.25, n: 5, method: 'paired-t-log' });
  });
});

group('bad input', () => {
  it('says what was wrong', () => {
    expect(() => ratioCI([], [1, 2])).toThrow('no samples');
    expect(() => ratioCI([1, 0], [1, 2])).toThrow('sample 1 is 0; ratios need positive values');
    expect(() => ratioCI([1, 2, 3], [1, 2], { paired: true })).toThrow('3 numerator samples but 2 denominator samples');
    expect(() => speedup([1, 2], [1, 2], { workers: 0 })).toThrow('workers must be a positive integer, received 0');
    expect(() => scaleEstimate({ point: 1, lo: 1, hi: 1, n: 1, method: 'welch-t-log' }, -1)).toThrow('factor must be a positive finite number');
  });
});
