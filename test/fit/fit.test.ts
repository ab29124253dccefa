import { describe, expect, it } from 'vitest';
import { amdahlSpeedup, fitAmdahl, fitUsl, karpFlatt, karpFlattSeries, karpFlattTrend, linearisedUsl, uslCapacity } from '../../src/fit/index.ts';
import { mulberry32 } from '../../src/stats/index.ts';

const NS = [1, 2, 3, 4, 6, 8];

describe('Amdahl', () => {
  it('recovers Ts and Tp from exact data: Ts = 2, Tp = 30 → f = 2/32, ceiling 16', () => {
    const fit = fitAmdahl(NS.map((n) => ({ workers: n, wallMs: 2 + 30 / n })));
    expect(fit.serialMs).toBeCloseTo(2, 9);
    expect(fit.parallelMs).toBeCloseTo(30, 9);
    expect(fit.serialFraction).toBeCloseTo(2 / 32, 9);
    expect(fit.ceiling).toBeCloseTo(16, 6);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(amdahlSpeedup(2 / 32, 2)).toBeCloseTo(32 / 17, 12);
  });

  it('covers the true f with its 95% bootstrap CI in most synthetic data sets, deterministically', () => {
    let covered = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = mulberry32(seed);
      const points = NS.map((n) => {
        const samplesMs = Array.from({ length: 5 }, () => (2 + 30 / n) * (1 + 0.04 * (rng() - 0.5)));
        return { workers: n, wallMs: samplesMs.reduce((a, b) => a + b, 0) / 5, samplesMs };
      });
      const fit = fitAmdahl(points, seed, 500);
      expect(fit.serialFraction).toBeCloseTo(2 / 32, 1);
      if ((fit.serialFractionCi95?.lo ?? 1) <= 2 / 32 && 2 / 32 <= (fit.serialFractionCi95?.hi ?? 0)) covered++;
      if (seed === 1) expect(fitAmdahl(points, seed, 500)).toEqual(fit);
    }
    // a 95% interval should miss about 1 time in 20; 16 is a loose floor for 20 draws
    expect(covered).toBeGreaterThanOrEqual(16);
  });

  it('clamps a negative serial time to 0 (superlinear data)', () => {
    const fit = fitAmdahl([{ workers: 1, wallMs: 10 }, { workers: 2, wallMs: 4.5 }, { workers: 4, wallMs: 2 }]);
    expect(fit.serialMs).toBe(0);
    expect(fit.serialFraction).toBe(0);
    expect(fit.ceiling).toBe(Infinity);
  });
});

describe('USL', () => {
  it('recovers σ = 0.05, κ = 0.002 and N* = √(0.95/0.002) ≈ 21.79', () => {
    const points = [1, 2, 4, 8, 16, 32, 48].map((n) => ({ workers: n, capacity: uslCapacity(0.05, 0.002, n) }));
    expect(linearisedUsl(points).sigma).toBeCloseTo(0.05, 9);
    const fit = fitUsl(points);
    expect(fit.sigma).toBeCloseTo(0.05, 4);
    expect(fit.kappa).toBeCloseTo(0.002, 5);
    expect(fit.peakWorkers).toBeCloseTo(Math.sqrt(0.95 / 0.002), 1);
    expect(fit.r2).toBeCloseTo(1, 6);
    expect(fit.retrograde).toBe(true); // 32 and 48 are past the peak
  });

  it('is not retrograde when the grid stops before the peak, and κ = 0 gives N* = ∞', () => {
    const before = fitUsl([1, 2, 4, 8].map((n) => ({ workers: n, capacity: uslCapacity(0.05, 0.002, n) })));
    expect(before.retrograde).toBe(false);
    const pure = fitUsl([1, 2, 4, 8].map((n) => ({ workers: n, capacity: uslCapacity(0.1, 0, n) })));
    expect(pure.kappa).toBeCloseTo(0, 6);
    expect(pure.sigma).toBeCloseTo(0.1, 4);
    expect(pure.peakWorkers).toBe(Infinity);
  });

  it('stays within its bounds on small noisy data', () => {
    const rng = mulberry32(5);
    const fit = fitUsl([1, 2, 3, 4].map((n) => ({ workers: n, capacity: uslCapacity(0.08, 0.01, n) * (1 + 0.02 * (rng() - 0.5)) })));
    expect(fit.sigma).toBeGreaterThanOrEqual(0);
    expect(fit.kappa).toBeGreaterThanOrEqual(0);
  });
});

describe('Karp–Flatt', () => {
  it('matches hand-computed values: S = 1.8 at N = 2 → e = (1/1.8 − 0.5)/0.5 = 0.1111', () => {
    expect(karpFlatt(1.8, 2)).toBeCloseTo(0.11111, 5);
    const [p] = karpFlattSeries([{ workers: 1, speedup: 1 }, { workers: 2, speedup: 1.8, lo: 1.7, hi: 1.9 }]);
    expect(p?.workers).toBe(2);
    expect(p?.ci95?.lo).toBeCloseTo(karpFlatt(1.9, 2), 12); // bounds swap: more speedup, less serial
    expect(p?.ci95?.hi).toBeCloseTo(karpFlatt(1.7, 2), 12);
  });

  it('reads a flat series as inherent serial work and a rising one as growing overhead', () => {
    const amdahl = [2, 4, 8].map((n) => ({ workers: n, speedup: amdahlSpeedup(0.1, n) }));
    expect(karpFlattTrend(karpFlattSeries(amdahl)).trend).toBe('flat');
    const usl = [2, 4, 8].map((n) => ({ workers: n, speedup: uslCapacity(0.05, 0.02, n) }));
    const rising = karpFlattTrend(karpFlattSeries(usl));
    expect(rising.trend).toBe('rising');
    expect(rising.explanation).toMatch(/^The serial fraction rises from e\(2\) = /);
  });
});
