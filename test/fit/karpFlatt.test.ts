import { describe, expect, it } from 'vitest';
import { amdahlSpeedup, karpFlatt, karpFlattSeries, karpFlattTrend, uslCapacity, type KarpFlattPoint } from '../../src/fit/index.ts';

// the speedup that gives a chosen e at N: inverting e = (1/S − 1/N)/(1 − 1/N)
const speedupFor = (e: number, n: number) => 1 / (e * (1 - 1 / n) + 1 / n);
const series = (es: number[], ns = [2, 4, 8]): KarpFlattPoint[] => ns.map((n, i) => ({ workers: n, e: es[i] ?? NaN, ci95: null }));

describe('karpFlatt', () => {
  it('matches hand-computed values', () => {
    // S = 1.8 at N = 2: (1/1.8 − 1/2) / (1 − 1/2) = 0.0556 / 0.5 = 0.1111
    expect(karpFlatt(1.8, 2)).toBeCloseTo(0.11111, 5);
    // S = 3 at N = 4: (1/3 − 1/4) / (3/4) = (1/12) / (3/4) = 1/9
    expect(karpFlatt(3, 4)).toBeCloseTo(1 / 9, 12);
    // S = 5 at N = 8: (0.2 − 0.125) / 0.875 = 0.085714
    expect(karpFlatt(5, 8)).toBeCloseTo(0.085714, 6);
    // perfect speedup: no serial fraction; superlinear: negative
    expect(karpFlatt(8, 8)).toBeCloseTo(0, 12);
    expect(karpFlatt(9, 8)).toBeLessThan(0);
  });

  it('equals f for every N under Amdahl, and σ + κN under the USL', () => {
    for (const n of [2, 3, 4, 8, 16]) {
      expect(karpFlatt(amdahlSpeedup(0.07, n), n)).toBeCloseTo(0.07, 12);
      expect(karpFlatt(uslCapacity(0.05, 0.002, n), n)).toBeCloseTo(0.05 + 0.002 * n, 12);
    }
  });

  it('rejects N ≤ 1 and a non-positive speedup', () => {
    expect(() => karpFlatt(1, 1)).toThrow('karpFlatt: workers must be a finite number > 1; received 1');
    expect(() => karpFlatt(0, 2)).toThrow('speedup must be a positive finite number; received 0 at workers = 2');
  });
});

describe('karpFlattSeries', () => {
  it('skips N = 1, sorts by N, and swaps the speedup interval’s bounds', () => {
    const out = karpFlattSeries([{ workers: 4, speedup: 3 }, { workers: 1, speedup: 1 }, { workers: 2, speedup: 1.8, lo: 1.7, hi: 1.9 }]);
    expect(out.map((p) => p.workers)).toEqual([2, 4]);
    const [two, four] = out;
    expect(two?.e).toBeCloseTo(0.11111, 5);
    // more speedup, less serial: e(1.9) is the lower bound
    expect(two?.ci95?.lo).toBeCloseTo((1 / 1.9 - 0.5) / 0.5, 12);
    expect(two?.ci95?.hi).toBeCloseTo((1 / 1.7 - 0.5) / 0.5, 12);
    expect(four?.ci95).toBeNull();
  });
});

describe('karpFlattTrend', () => {
  it('reads an Amdahl series (constant e) as flat: inherent serial work', () => {
    const t = karpFlattTrend(karpFlattSeries([2, 4, 8].map((n) => ({ workers: n, speedup: amdahlSpeedup(0.1, n) }))));
    expect(t.trend).toBe('flat');
    expect(t.slopePerWorker).toBeCloseTo(0, 12);
    expect(t.explanation).toBe("The Karp–Flatt serial fraction stays flat from e(2) = 0.100 to e(8) = 0.100: the loss is inherent serial work (probe, split, merge), as Amdahl's law assumes.");
  });

  it('reads a USL series as rising, its slope being κ', () => {
    const t = karpFlattTrend(karpFlattSeries([2, 4, 8].map((n) => ({ workers: n, speedup: uslCapacity(0.05, 0.02, n) }))));
    expect(t.trend).toBe('rising');
    expect(t.slopePerWorker).toBeCloseTo(0.02, 12);
    // e = 0.09, 0.13, 0.21: Δ = 0.02 × 6 = 0.12 against ē = 0.1433
    expect(t.relativeChange).toBeCloseTo(0.12 / (0.43 / 3), 9);
    expect(t.explanation).toMatch(/^The Karp–Flatt serial fraction rises from e\(2\) = 0\.090 to e\(8\) = 0\.210 \(fitted slope 0\.0200 per worker\): overhead grows/);
  });

  it('reads a falling series as superlinear effects', () => {
    const t = karpFlattTrend(karpFlattSeries([2, 4, 8].map((n, i) => ({ workers: n, speedup: speedupFor([0.1, 0.06, 0.02][i] ?? NaN, n) }))));
    expect(t.trend).toBe('falling');
    expect(t.explanation).toMatch(/falls from e\(2\) = 0\.100 to e\(8\) = 0\.020/);
  });

  it('keeps small wobbles flat, and ignores large relative changes of a near-zero e (absolute floor 0.01)', () => {
    expect(karpFlattTrend(series([0.1, 0.104, 0.098])).trend).toBe('flat');
    // Δ ≈ 0.0069: 158% of ē but under the 1-point floor
    expect(karpFlattTrend(series([0.001, 0.004, 0.008])).trend).toBe('flat');
    // Δ ≈ 0.024 on ē = 0.11: 22%, under the 25% relative threshold
    expect(karpFlattTrend(series([0.1, 0.105, 0.124])).trend).toBe('flat');
    // Δ ≈ 0.036 on ē = 0.11: 32%
    expect(karpFlattTrend(series([0.095, 0.105, 0.131])).trend).toBe('rising');
  });

  it('does not depend on the input order, and says when there is no trend to read', () => {
    const points = series([0.09, 0.13, 0.21]);
    expect(karpFlattTrend([...points].reverse())).toEqual(karpFlattTrend(points));
    const one = karpFlattTrend(series([0.1], [2]));
    expect(one.trend).toBe('unknown');
    expect(one.explanation).toMatch(/at least two worker counts above 1/);
  });
});
