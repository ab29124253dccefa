import { describe, expect, it } from 'vitest';
import { amdahlSpeedup, fitAmdahl, fitAmdahlToSpeedups } from '../../src/fit/index.ts';
import { mulberry32 } from '../../src/stats/index.ts';

// Known parameters: Ts = 2 ms serial, Tp = 30 ms parallel → f = 2/32 = 0.0625, ceiling 16×.
const TS = 2;
const TP = 30;
const F = TS / (TS + TP);
const NS = [1, 2, 3, 4, 6, 8];
const exact = NS.map((n) => ({ workers: n, wallMs: TS + TP / n }));
// ±1% alternating: deterministic, and not itself of the form a + b/N
const wobble = (i: number) => 1 + 0.01 * (i % 2 === 0 ? 1 : -1);

function withRepeats(seed: number, repeats = 5, spread = 0.04) {
  const rng = mulberry32(seed);
  return NS.map((n) => {
    const samplesMs = Array.from({ length: repeats }, () => (TS + TP / n) * (1 + spread * (rng() - 0.5)));
    return { workers: n, wallMs: samplesMs.reduce((a, b) => a + b, 0) / repeats, samplesMs };
  });
}

describe('amdahlSpeedup', () => {
  it('is 1/(f + (1 − f)/N): 32/17 at f = 2/32, N = 2; N when f = 0; 1 when f = 1', () => {
    expect(amdahlSpeedup(F, 2)).toBeCloseTo(32 / 17, 12);
    expect(amdahlSpeedup(0, 7)).toBeCloseTo(7, 12);
    expect(amdahlSpeedup(1, 7)).toBeCloseTo(1, 12);
  });
});

describe('fitAmdahl', () => {
  it('recovers Ts = 2, Tp = 30, f = 2/32 and a 16× ceiling from exact data, with R² = 1', () => {
    const fit = fitAmdahl(exact);
    expect(fit.serialMs).toBeCloseTo(TS, 9);
    expect(fit.parallelMs).toBeCloseTo(TP, 9);
    expect(fit.serialFraction).toBeCloseTo(F, 9);
    expect(fit.ceiling).toBeCloseTo(16, 6);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.clamped).toBeNull();
    // no repeats: the delta-method interval, which collapses onto f when the residuals are 0
    expect(fit.ciMethod).toBe('delta');
    expect(fit.serialFractionCi95?.lo).toBeCloseTo(F, 9);
    expect(fit.serialFractionCi95?.hi).toBeCloseTo(F, 9);
  });

  it('recovers f within 0.005 under ±1% noise, and the delta-method CI covers it', () => {
    const fit = fitAmdahl(exact.map((p, i) => ({ ...p, wallMs: p.wallMs * wobble(i) })));
    expect(Math.abs(fit.serialMs - TS)).toBeLessThan(0.2);
    expect(Math.abs(fit.parallelMs - TP)).toBeLessThan(0.5);
    expect(Math.abs(fit.serialFraction - F)).toBeLessThan(0.005);
    expect(fit.r2).toBeGreaterThan(0.999);
    expect(fit.ciMethod).toBe('delta');
    const ci = fit.serialFractionCi95;
    expect(ci && ci.lo < F && F < ci.hi).toBe(true);
    expect(ci && ci.lo <= fit.serialFraction && fit.serialFraction <= ci.hi).toBe(true);
  });

  it('gives no interval from two points (no residual degrees of freedom)', () => {
    const fit = fitAmdahl(exact.slice(0, 2));
    expect(fit.serialFraction).toBeCloseTo(F, 9);
    expect(fit.serialFractionCi95).toBeNull();
    expect(fit.ciMethod).toBeNull();
  });

  it('bootstraps the CI from the repeats: deterministic for a seed, and it covers the true f', () => {
    const points = withRepeats(1);
    const fit = fitAmdahl(points, { seed: 7, resamples: 500 });
    expect(fit.ciMethod).toBe('bootstrap');
    expect(Math.abs(fit.serialFraction - F)).toBeLessThan(0.01);
    const ci = fit.serialFractionCi95;
    expect(ci && ci.lo <= F && F <= ci.hi).toBe(true);
    expect(fitAmdahl(points, { seed: 7, resamples: 500 })).toEqual(fit);
    expect(fitAmdahl(points, { seed: 8, resamples: 500 }).serialFractionCi95).not.toEqual(ci);
  });

  it('covers the true f in at least 16 of 20 synthetic data sets', () => {
    let covered = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const ci = fitAmdahl(withRepeats(seed), { seed, resamples: 400 }).serialFractionCi95;
      if (ci && ci.lo <= F && F <= ci.hi) covered++;
    }
    // a percentile bootstrap over 5 repeats under-covers a little (it resamples with the plug-in spread,
    // no t correction): 182 of 200 such data sets (91%) were covered, 17 of these 20
    expect(covered).toBeGreaterThanOrEqual(16);
  });

  it('clamps a negative serial time to 0 and refits through the origin (superlinear data)', () => {
    const fit = fitAmdahl([{ workers: 1, wallMs: 10 }, { workers: 2, wallMs: 4.5 }, { workers: 4, wallMs: 2 }]);
    expect(fit.clamped).toBe('serial');
    expect(fit.serialMs).toBe(0);
    // Tp = Σxy / Σx² on x = 1/N: (10 + 2.25 + 0.5) / (1 + 0.25 + 0.0625)
    expect(fit.parallelMs).toBeCloseTo(12.75 / 1.3125, 12);
    expect(fit.serialFraction).toBe(0);
    expect(fit.ceiling).toBe(Infinity);
  });

  it('clamps a negative parallel time to 0 when more workers make it slower: f = 1, no speedup', () => {
    const fit = fitAmdahl([{ workers: 1, wallMs: 10 }, { workers: 2, wallMs: 11 }, { workers: 4, wallMs: 12 }]);
    expect(fit.clamped).toBe('parallel');
    expect(fit.parallelMs).toBe(0);
    expect(fit.serialMs).toBeCloseTo(11, 12);
    expect(fit.serialFraction).toBe(1);
    expect(fit.ceiling).toBe(1);
  });

  it('fits speedups over a one-worker time the same way', () => {
    const fit = fitAmdahlToSpeedups(NS.map((n) => ({ workers: n, speedup: amdahlSpeedup(0.1, n) })), 100);
    expect(fit.serialFraction).toBeCloseTo(0.1, 9);
    expect(fit.serialMs).toBeCloseTo(10, 9);
    expect(fit.parallelMs).toBeCloseTo(90, 9);
  });

  it('rejects bad input with the field and the value received', () => {
    expect(() => fitAmdahl([{ workers: 1, wallMs: 10 }, { workers: 2, wallMs: NaN }])).toThrow('fitAmdahl: wallMs must be a positive finite number; received NaN at workers = 2');
    expect(() => fitAmdahl([{ workers: 2, wallMs: 10 }, { workers: 2, wallMs: 9 }])).toThrow('needs at least 2 distinct worker counts; received 1');
    expect(() => fitAmdahl([{ workers: 0, wallMs: 10 }, { workers: 2, wallMs: 9 }])).toThrow('workers must be a finite number ≥ 1; received 0');
    expect(() => fitAmdahlToSpeedups([{ workers: 2, speedup: 0 }], 10)).toThrow('speedup must be a positive finite number; received 0');
  });
});
