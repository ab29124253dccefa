import { describe as group, expect, it } from 'vitest';
import { describe, modifiedZScores, sortSamples } from '../../src/stats/index.ts';

group('describe', () => {
  it('matches hand-computed values on [10, 12, 11, 13, 50], and flags (but keeps) 50', () => {
    const d = describe([10, 12, 11, 13, 50]);
    expect(d.n).toBe(5);
    // sorted 10 11 12 13 50 → median 12; mean = 96 / 5 = 19.2
    expect(d.median).toBe(12);
    expect(d.mean).toBe(19.2);
    expect([d.min, d.max]).toEqual([10, 50]);
    // deviations from 19.2: −9.2 −7.2 −8.2 −6.2 30.8; squares 84.64 + 51.84 + 67.24 + 38.44 + 948.64 = 1190.8
    // s² = 1190.8 / 4 = 297.7, s = 17.25398…, cv = 17.25398 / 19.2 = 0.898645
    expect(d.sd).toBeCloseTo(Math.sqrt(297.7), 12);
    expect(d.cv).toBeCloseTo(0.898645, 6);
    // CI half-width = t(0.975, 4) · s / √5 = 2.776 · √(297.7 / 5) = 2.776 · √59.54 = 2.776 · 7.716217 = 21.420218
    expect(d.ci95.lo).toBeCloseTo(19.2 - 21.420218, 5);
    expect(d.ci95.hi).toBeCloseTo(19.2 + 21.420218, 5);
    expect(d.ciDegenerate).toBe(false);
    // |x − 12| = 2 0 1 1 38 → sorted 0 1 1 2 38 → MAD 1 (raw, unscaled)
    expect(d.mad).toBe(1);
    expect(d.outlierScale).toBe('mad');
    // M(50) = 0.6745 · 38 / 1 = 25.631 > 3.5; the next largest |M| is M(10) = 0.6745 · 2 = 1.349
    expect(d.outliers).toHaveLength(1);
    expect(d.outliers[0]).toMatchObject({ index: 4, value: 50 });
    expect(d.outliers[0]?.modifiedZ).toBeCloseTo(25.631, 10);
  });

  it('names outliers by their position in the input, not in sorted order', () => {
    expect(describe([50, 10, 12, 11, 13]).outliers.map((o) => o.index)).toEqual([0]);
  });

  it('matches a hand-computed t interval on [1, 2, 3, 4] and [10, 12, 14]', () => {
    // mean 2.5; s = √((2.25 + 0.25 + 0.25 + 2.25) / 3) = √(5/3) = 1.290994; half = 3.182 · 1.290994 / 2 = 2.053972
    const a = describe([1, 2, 3, 4]);
    expect(a.sd).toBeCloseTo(1.290994, 6);
    expect(a.ci95.lo).toBeCloseTo(2.5 - 2.053972, 6);
    expect(a.ci95.hi).toBeCloseTo(2.5 + 2.053972, 6);
    // |x − 2.5| = 1.5 0.5 0.5 1.5 → median 1
    expect(a.mad).toBe(1);
    expect(a.outliers).toEqual([]);
    // mean 12; s = √((4 + 0 + 4) / 2) = 2; half = t(0.975, 2) · 2 / √3 = 4.303 · 1.1547005 = 4.9686764
    const b = describe([10, 12, 14]);
    expect(b.sd).toBe(2);
    expect(b.ci95.lo).toBeCloseTo(12 - 4.9686764, 6);
    expect(b.ci95.hi).toBeCloseTo(12 + 4.9686764, 6);
  });

  it('falls back to 1.253314 · MeanAD when MAD is 0', () => {
    // median 5; |x − 5| = 0 0 0 0 5 → MAD 0; MeanAD = 5 / 5 = 1; M(10) = 5 / 1.253314 = 3.98942 > 3.5
    const five = describe([5, 5, 5, 5, 10]);
    expect(five.mad).toBe(0);
    expect(five.outlierScale).toBe('mean-absolute-deviation');
    expect(five.outliers).toHaveLength(1);
    expect(five.outliers[0]?.index).toBe(4);
    expect(five.outliers[0]?.modifiedZ).toBeCloseTo(3.98942, 5);
    // median 5; |x − 5| = 0 0 0 4 → MAD 0; MeanAD = 1; M(9) = 4 / 1.253314 = 3.19154 ≤ 3.5: not an outlier
    const four = describe([5, 5, 5, 9]);
    expect(four.outlierScale).toBe('mean-absolute-deviation');
    expect(four.outliers).toEqual([]);
  });

  it('flags nothing when every run is equal', () => {
    const d = describe([7, 7, 7]);
    expect(d).toMatchObject({ n: 3, mean: 7, median: 7, sd: 0, cv: 0, mad: 0, outlierScale: 'none', outliers: [], ciDegenerate: false });
    expect(d.ci95).toEqual({ lo: 7, hi: 7 });
  });

  it('gives a CI equal to the point for one sample, and flags it', () => {
    const d = describe([7]);
    expect(d.ci95).toEqual({ lo: 7, hi: 7 });
    expect(d.ciDegenerate).toBe(true);
    expect(d.sd).toBe(0);
  });

  it('refuses an empty or non-finite sample set with a message naming the problem', () => {
    expect(() => describe([])).toThrow('describe: no samples (received an empty array)');
    expect(() => describe([1, NaN, 3])).toThrow('describe: sample 1 is NaN');
    expect(() => describe([1, Infinity])).toThrow(RangeError);
  });
});

group('modifiedZScores', () => {
  it('scores every sample in input order', () => {
    // median 12, MAD 1: M = 0.6745 · (x − 12)
    const z = modifiedZScores([10, 12, 11, 13, 50]);
    const expected = [-1.349, 0, -0.6745, 0.6745, 25.631];
    expected.forEach((m, i) => expect(z[i]).toBeCloseTo(m, 10));
  });
});

group('sortSamples', () => {
  it('returns an ascending copy and leaves the input alone', () => {
    const input = [3, 1, 2, 10];
    expect([...sortSamples(input)]).toEqual([1, 2, 3, 10]); // numeric, not lexicographic (10 last)
    expect(input).toEqual([3, 1, 2, 10]);
  });
});
