import { describe as group, expect, it } from 'vitest';
import { cpuUtilisation, describe, mulberry32, pairedRatio, ratioOfMeans, shuffle, tCritical95 } from '../../src/stats/index.ts';

group('describe', () => {
  it('matches hand-computed values on [1, 2, 3, 4]', () => {
    // mean 2.5; sd = √((2.25 + 0.25 + 0.25 + 2.25) / 3) = √(5/3) = 1.290994;
    // CI half-width = t(0.975, 3) × sd / √4 = 3.182 × 1.290994 / 2 = 2.053972
    const d = describe([1, 2, 3, 4]);
    expect(d.mean).toBe(2.5);
    expect(d.median).toBe(2.5);
    expect(d.sd).toBeCloseTo(1.290994, 6);
    expect(d.cv).toBeCloseTo(1.290994 / 2.5, 6);
    expect(d.ci95.lo).toBeCloseTo(2.5 - 2.053972, 5);
    expect(d.ci95.hi).toBeCloseTo(2.5 + 2.053972, 5);
    expect(d.mad).toBe(1); // |x − 2.5| = 1.5, 0.5, 0.5, 1.5 → median 1
    expect(d.outliers).toEqual([]);
  });

  it('flags (and keeps) an outlier by modified z-score', () => {
    // median 12; |x − 12| = 2, 0, 1, 1, 38 → MAD 1; M(50) = 0.6745 × 38 / 1 = 25.631
    const d = describe([10, 12, 11, 13, 50]);
    expect(d.n).toBe(5);
    expect(d.mean).toBe(19.2);
    expect(d.outliers).toHaveLength(1);
    expect(d.outliers[0]).toMatchObject({ index: 4, value: 50 });
    expect(d.outliers[0]?.modifiedZ).toBeCloseTo(25.631, 3);
    // sd: squares of deviations from 19.2 sum to 1190.8; / 4 = 297.7
    expect(d.sd).toBeCloseTo(Math.sqrt(297.7), 9);
  });

  it('uses the mean-absolute-deviation fallback when MAD is 0', () => {
    // median 5, MAD 0; mean |x − 5| = 5/5 = 1; M(10) = 5 / 1.253314 = 3.989 > 3.5
    const d = describe([5, 5, 5, 5, 10]);
    expect(d.mad).toBe(0);
    expect(d.outliers.map((o) => o.index)).toEqual([4]);
  });

  it('gives a degenerate CI for one sample and refuses none', () => {
    expect(describe([7]).ci95).toEqual({ lo: 7, hi: 7 });
    expect(() => describe([])).toThrow('describe: no samples');
  });
});

group('tCritical95', () => {
  it('matches the table and tends to 1.96', () => {
    expect(tCritical95(1)).toBe(12.706);
    expect(tCritical95(4)).toBe(2.776);
    expect(tCritical95(9)).toBe(2.262);
    expect(tCritical95(35)).toBeGreaterThan(2.021);
    expect(tCritical95(35)).toBeLessThan(2.042);
    expect(tCritical95(1e9)).toBeCloseTo(1.96, 6);
  });
});

group('ratios', () => {
  it('is exact for constant groups', () => {
    expect(ratioOfMeans([10, 10, 10], [5, 5, 5])).toMatchObject({ point: 2, lo: 2, hi: 2 });
    expect(pairedRatio([10, 10, 10], [5, 5, 5])).toMatchObject({ point: 2, lo: 2, hi: 2 });
  });

  it('contains the point, is deterministic per seed, and narrows with more samples', () => {
    const rng = mulberry32(7);
    const noisy = (n: number, m: number) => Array.from({ length: n }, () => m * (1 + 0.1 * (rng() - 0.5)));
    const a5 = noisy(5, 20), b5 = noisy(5, 10), a50 = noisy(50, 20), b50 = noisy(50, 10);
    const small = ratioOfMeans(a5, b5, 3);
    expect(small.lo).toBeLessThanOrEqual(small.point);
    expect(small.hi).toBeGreaterThanOrEqual(small.point);
    expect(ratioOfMeans(a5, b5, 3)).toEqual(small);
    const large = ratioOfMeans(a50, b50, 3);
    expect(large.hi - large.lo).toBeLessThan(small.hi - small.lo);
  });

  it('pairing cancels drift that hits both members of a round', () => {
    // the machine slows down round by round; B is always exactly half of A within a round
    const drift = [1, 1.3, 0.8, 1.6, 1.1, 0.9, 1.4];
    const a = drift.map((d) => 20 * d);
    const b = drift.map((d, i) => 10 * d * (1 + (i % 2 ? 0.01 : -0.01)));
    const paired = pairedRatio(a, b, 1);
    const unpaired = ratioOfMeans(a, b, 1);
    expect(paired.point).toBeCloseTo(2, 2);
    expect(paired.hi - paired.lo).toBeLessThan((unpaired.hi - unpaired.lo) / 5);
  });
});

group('random', () => {
  it('shuffles into a permutation, the same one for the same seed', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const once = shuffle(items, mulberry32(42));
    expect([...once].sort()).toEqual(items);
    expect(shuffle(items, mulberry32(42))).toEqual(once);
    expect(shuffle(items, mulberry32(43))).not.toEqual(once);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

group('cpuUtilisation', () => {
  it('is Σ CPU / (wall × cores)', () => {
    // 18 s of ffmpeg CPU in 10 s on 2 cores = 0.9
    expect(cpuUtilisation(18_000, 10_000, 2)).toBeCloseTo(0.9, 12);
    expect(cpuUtilisation(1, 0, 2)).toBe(0);
  });
});
