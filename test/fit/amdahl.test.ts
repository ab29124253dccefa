import { describe, expect, it } from 'vitest';
import { amdahlSpeedup, fitAmdahl, fitAmdahlToSpeedups, karpFlatt } from '../../src/fit/index.ts';
import { mulberry32 } from '../../src/stats/index.ts';

// Known parameters: Ts = 2 ms serial, Tp = 30 ms parallel → f = 2/32 = 0.0625, ceiling 16×.
const TS = 2;
const TP = 30;
const F = TS / (TS + TP);
const NS = [1, 2, 3, 4, 6, 8];
const exact = NS.map((n) => ({ workers: n, wallMs: TS + TP / n }));
// ±1% alternating: deterministic, and not itself of the form a + b/N
const wobble = (i: number) => 1 + 0.01 * (i % 2 === 0 ? 1 : -1);

/** Five rounds: each round's wall times share a machine factor (as on a shared VM), plus their own noise. */
function withRounds(seed: number, rounds = 5, spread = 0.04) {
  const rng = mulberry32(seed);
  const machine = Array.from({ length: rounds }, () => 1 + spread * (rng() - 0.5));
  return NS.map((n) => {
    const samplesByRound = new Map(machine.map((m, r) => [r, (TS + TP / n) * m * (1 + (spread / 2) * (rng() - 0.5))]));
    return { workers: n, wallMs: [...samplesByRound.values()].reduce((a, b) => a + b, 0) / rounds, samplesByRound };
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

  it('bootstraps the CI over whole rounds: deterministic for a seed, and it covers the true f', () => {
    const points = withRounds(1);
    const fit = fitAmdahl(points, { seed: 7, resamples: 500 });
    expect(fit.ciMethod).toBe('round-bootstrap');
    expect(fit.rounds).toBe(5);
    expect(Math.abs(fit.serialFraction - F)).toBeLessThan(0.01);
    const ci = fit.serialFractionCi95;
    expect(ci && ci.lo <= F && F <= ci.hi).toBe(true);
    expect(fitAmdahl(points, { seed: 7, resamples: 500 })).toEqual(fit);
    expect(fitAmdahl(points, { seed: 8, resamples: 500 }).serialFractionCi95).not.toEqual(ci);
  });

  it('keeps the pairing: a machine factor shared by every point of a round does not widen the interval', () => {
    // f is the same in every round (each round is the exact law times its own factor), so every
    // replicate of whole rounds gives the same f; resampling each N on its own would not
    const factors = [0.8, 1.25, 1, 0.9, 1.15];
    const points = NS.map((n) => {
      const samplesByRound = new Map(factors.map((m, r) => [r, (TS + TP / n) * m]));
      return { workers: n, wallMs: [...samplesByRound.values()].reduce((a, b) => a + b, 0) / factors.length, samplesByRound };
    });
    const ci = fitAmdahl(points, { resamples: 300 }).serialFractionCi95;
    expect(ci?.lo).toBeCloseTo(F, 9);
    expect(ci?.hi).toBeCloseTo(F, 9);
  });

  it('uses only the rounds every point has (a failed run), for the estimate and its interval alike', () => {
    const points = withRounds(2);
    const [one, ...rest] = points;
    // round 3 failed at N = 1: its N = 1 entry is missing, and an outlying round 3 elsewhere must not count
    const failed = [
      { ...one, samplesByRound: new Map([...(one?.samplesByRound ?? [])].filter(([r]) => r !== 3)) },
      ...rest.map((p) => ({ ...p, samplesByRound: new Map([...p.samplesByRound].map(([r, ms]) => [r, r === 3 ? ms * 3 : ms])) })),
    ] as typeof points;
    const fit = fitAmdahl(failed, { resamples: 300 });
    expect(fit.rounds).toBe(4);
    const without3 = points.map((p) => ({ ...p, samplesByRound: new Map([...p.samplesByRound].filter(([r]) => r !== 3)) }));
    expect(fit).toEqual(fitAmdahl(without3, { resamples: 300 }));
  });

  it('equals Karp–Flatt on two worker counts, and fits the means over the common rounds', () => {
    const points = withRounds(3).filter((p) => p.workers <= 2);
    const fit = fitAmdahl(points, { resamples: 300 });
    const [t1 = NaN, t2 = NaN] = points.map((p) => p.wallMs);
    expect(fit.serialFraction).toBeCloseTo(karpFlatt(t1 / t2, 2), 12);
    expect(fit.r2).toBeCloseTo(1, 12);
    // two points, no residual degrees of freedom, but the rounds still give an interval
    expect(fit.ciMethod).toBe('round-bootstrap');
    expect(fit.serialFractionCi95?.lo).toBeLessThan(fit.serialFraction);
  });

  it('falls back to the delta method when rounds are missing on some point or fewer than two are shared', () => {
    const [one, ...rest] = withRounds(4);
    const noRounds = [{ workers: one?.workers ?? 1, wallMs: one?.wallMs ?? NaN }, ...rest];
    expect(fitAmdahl(noRounds).ciMethod).toBe('delta');
    const single = withRounds(4).map((p) => ({ ...p, samplesByRound: new Map([...p.samplesByRound].slice(0, 1)) }));
    expect(fitAmdahl(single)).toMatchObject({ ciMethod: 'delta', rounds: null });
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
    expect(() => fitAmdahl([{ workers: 1, wallMs: 10, samplesByRound: new Map([[0, 10], [1, -1]]) }, { workers: 2, wallMs: 6 }])).toThrow('fitAmdahl: samplesByRound must all be positive finite numbers; received -1 in round 1 at workers = 1');
  });
});
