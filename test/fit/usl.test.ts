import { describe, expect, it } from 'vitest';
import { fitUsl, fitUslToTimes, linearisedUsl, uslCapacity } from '../../src/fit/index.ts';
import { mulberry32 } from '../../src/stats/index.ts';

// Known parameters: σ = 0.05, κ = 0.002 → N* = √(0.95/0.002) ≈ 21.79.
const SIGMA = 0.05;
const KAPPA = 0.002;
const PEAK = Math.sqrt((1 - SIGMA) / KAPPA);
const PAST_PEAK = [1, 2, 4, 8, 16, 32, 48];
const BEFORE_PEAK = [1, 2, 4, 8, 16];
const capacities = (ns: number[], sigma = SIGMA, kappa = KAPPA) => ns.map((n) => ({ workers: n, capacity: uslCapacity(sigma, kappa, n) }));
const wobble = (i: number) => 1 + 0.01 * (i % 2 === 0 ? 1 : -1);
const sse = (points: { workers: number; capacity: number }[], sigma: number, kappa: number) =>
  points.reduce((s, p) => s + (p.capacity - uslCapacity(sigma, kappa, p.workers)) ** 2, 0);

describe('uslCapacity', () => {
  it('is N / (1 + σ(N − 1) + κN(N − 1)): 1 at N = 1, 4/1.174 at N = 4', () => {
    expect(uslCapacity(SIGMA, KAPPA, 1)).toBe(1);
    expect(uslCapacity(SIGMA, KAPPA, 4)).toBeCloseTo(4 / (1 + 0.15 + 0.024), 12);
  });
});

describe('linearisedUsl', () => {
  it('recovers σ and κ exactly from exact data', () => {
    const start = linearisedUsl(capacities(PAST_PEAK));
    expect(start.sigma).toBeCloseTo(SIGMA, 9);
    expect(start.kappa).toBeCloseTo(KAPPA, 9);
  });

  it('clips a negative κ to 0 and refits σ alone', () => {
    // capacities a little better than Amdahl's at large N would need κ < 0
    const points = [{ workers: 2, capacity: 1.82 }, { workers: 4, capacity: 3.1 }, { workers: 8, capacity: 4.9 }];
    const start = linearisedUsl(points);
    expect(start.kappa).toBe(0);
    const rows = points.map((p) => ({ x: p.workers - 1, y: p.workers / p.capacity - 1 }));
    expect(start.sigma).toBeCloseTo(rows.reduce((s, r) => s + r.x * r.y, 0) / rows.reduce((s, r) => s + r.x * r.x, 0), 12);
  });
});

describe('fitUsl', () => {
  it('recovers σ = 0.05, κ = 0.002, N* ≈ 21.79 and R² = 1 from exact data, and flags retrograde past N*', () => {
    const fit = fitUsl(capacities(PAST_PEAK));
    expect(fit.sigma).toBeCloseTo(SIGMA, 9);
    expect(fit.kappa).toBeCloseTo(KAPPA, 9);
    expect(fit.peakWorkers).toBeCloseTo(PEAK, 6);
    expect(fit.peakWorkers).toBeCloseTo(21.794, 3);
    expect(fit.peakWorkersFloor).toBe(21);
    expect(fit.peakCapacity).toBeCloseTo(uslCapacity(SIGMA, KAPPA, PEAK), 6);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.retrograde).toBe(true); // 32 and 48 are past the peak
    expect(fit.sigmaCi95).toBeNull();
    expect(fit.kappaCi95).toBeNull();
  });

  it('is not retrograde when the grid stops before the peak', () => {
    const fit = fitUsl(capacities(BEFORE_PEAK));
    expect(fit.peakWorkers).toBeCloseTo(PEAK, 6);
    expect(fit.retrograde).toBe(false);
  });

  it('recovers σ and κ within 5% under ±1% noise, and improves on the linearised start', () => {
    const points = capacities(PAST_PEAK).map((p, i) => ({ ...p, capacity: p.capacity * wobble(i) }));
    const fit = fitUsl(points);
    expect(Math.abs(fit.sigma - SIGMA)).toBeLessThan(0.05 * SIGMA);
    expect(Math.abs(fit.kappa - KAPPA)).toBeLessThan(0.05 * KAPPA);
    expect(Math.abs(fit.peakWorkers - PEAK)).toBeLessThan(0.5);
    expect(fit.r2).toBeGreaterThan(0.999);
    expect(fit.retrograde).toBe(true);
    const start = linearisedUsl(points);
    expect(sse(points, fit.sigma, fit.kappa)).toBeLessThan(sse(points, start.sigma, start.kappa));
  });

  it('gives κ = 0, N* = ∞ and the asymptote 1/σ on Amdahl-like data (κ = 0)', () => {
    const fit = fitUsl(capacities([1, 2, 4, 8], 0.1, 0));
    expect(fit.kappa).toBe(0);
    expect(fit.sigma).toBeCloseTo(0.1, 9);
    expect(fit.peakWorkers).toBe(Infinity);
    expect(fit.peakWorkersFloor).toBe(Infinity);
    expect(fit.peakCapacity).toBeCloseTo(10, 9);
    expect(fit.retrograde).toBe(false);
  });

  it('stays within its bounds on small noisy data', () => {
    const rng = mulberry32(5);
    const fit = fitUsl([1, 2, 3, 4].map((n) => ({ workers: n, capacity: uslCapacity(0.08, 0.01, n) * (1 + 0.02 * (rng() - 0.5)) })));
    expect(fit.sigma).toBeGreaterThanOrEqual(0);
    expect(fit.sigma).toBeLessThanOrEqual(1);
    expect(fit.kappa).toBeGreaterThanOrEqual(0);
  });

  it('rejects too few worker counts and bad capacities', () => {
    expect(() => fitUsl(capacities([1, 2]))).toThrow('fitUsl: needs at least two distinct worker counts above 1; received 1');
    expect(() => fitUsl([{ workers: 1, capacity: 1 }, { workers: 2, capacity: NaN }, { workers: 4, capacity: 3 }])).toThrow('capacity must be a positive finite number; received NaN at workers = 2');
  });
});

describe('fitUslToTimes', () => {
  const T1_MS = 1000;
  // five rounds, each with a machine factor shared by every N, plus each run's own noise
  function withRounds(seed: number) {
    const rng = mulberry32(seed);
    const machine = Array.from({ length: 5 }, () => 1 + 0.04 * (rng() - 0.5));
    return PAST_PEAK.map((n) => {
      const samplesByRound = new Map(machine.map((m, r) => [r, (T1_MS / uslCapacity(SIGMA, KAPPA, n)) * m * (1 + 0.02 * (rng() - 0.5))]));
      return { workers: n, wallMs: [...samplesByRound.values()].reduce((a, b) => a + b, 0) / 5, samplesByRound };
    });
  }

  it('fits C(N) = T(1)/T(N) from exact times, with no interval without repeats', () => {
    const fit = fitUslToTimes(PAST_PEAK.map((n) => ({ workers: n, wallMs: T1_MS / uslCapacity(SIGMA, KAPPA, n) })));
    expect(fit.sigma).toBeCloseTo(SIGMA, 9);
    expect(fit.kappa).toBeCloseTo(KAPPA, 9);
    expect(fit.sigmaCi95).toBeNull();
    expect(fit.rounds).toBeNull();
  });

  it('bootstraps CIs of σ and κ over whole rounds that contain the true values, deterministically for a seed', () => {
    const points = withRounds(3);
    const fit = fitUslToTimes(points, { seed: 11, resamples: 300 });
    expect(fit.rounds).toBe(5);
    expect(Math.abs(fit.sigma - SIGMA)).toBeLessThan(0.005);
    expect(Math.abs(fit.kappa - KAPPA)).toBeLessThan(0.0001);
    expect(fit.sigmaCi95 && fit.sigmaCi95.lo <= SIGMA && SIGMA <= fit.sigmaCi95.hi).toBe(true);
    expect(fit.kappaCi95 && fit.kappaCi95.lo <= KAPPA && KAPPA <= fit.kappaCi95.hi).toBe(true);
    expect(fit.sigmaCi95 && fit.sigmaCi95.lo <= fit.sigma && fit.sigma <= fit.sigmaCi95.hi).toBe(true);
    expect(fitUslToTimes(points, { seed: 11, resamples: 300 })).toEqual(fit);
  });

  it('gives intervals of zero width when each round is the exact law times a factor shared by every N', () => {
    const factors = [0.8, 1.25, 1, 0.9, 1.15];
    const points = PAST_PEAK.map((n) => {
      const samplesByRound = new Map(factors.map((m, r) => [r, (T1_MS / uslCapacity(SIGMA, KAPPA, n)) * m]));
      return { workers: n, wallMs: [...samplesByRound.values()].reduce((a, b) => a + b, 0) / factors.length, samplesByRound };
    });
    const fit = fitUslToTimes(points, { resamples: 50 });
    expect((fit.sigmaCi95?.hi ?? NaN) - (fit.sigmaCi95?.lo ?? NaN)).toBeLessThan(1e-6);
    expect((fit.kappaCi95?.hi ?? NaN) - (fit.kappaCi95?.lo ?? NaN)).toBeLessThan(1e-7);
  });

  it('needs exactly one point at one worker for T(1)', () => {
    expect(() => fitUslToTimes([2, 4, 8].map((n) => ({ workers: n, wallMs: 100 / n })))).toThrow('fitUslToTimes: needs exactly one point at workers = 1 for T(1); received 0');
  });
});
