import { describe, expect, it } from 'vitest';
import { bdRate, curveProblem, pchip, ssimDb, type RatePoint } from '../../src/quality/bdRate.ts';

const curve = (pairs: [number, number][]): RatePoint[] => pairs.map(([rate, quality]) => ({ rate, quality }));

describe('pchip', () => {
  it('passes through its points and reproduces a straight line exactly', () => {
    const f = pchip([30, 34, 38, 42], [3, 3.4, 3.8, 4.2]);
    for (const x of [30, 31.5, 34, 36.2, 41.9, 42]) expect(f(x)).toBeCloseTo(x / 10, 12);
  });

  it('keeps monotone data monotone and does not overshoot (where a cubic polynomial would)', () => {
    const xs = [0, 1, 2, 3];
    const ys = [0, 0.1, 0.2, 3]; // a sharp bend at the last piece
    const f = pchip(xs, ys);
    let previous = -Infinity;
    for (let x = 0; x <= 3; x += 0.01) {
      const y = f(x);
      expect(y).toBeGreaterThanOrEqual(previous - 1e-12);
      expect(y).toBeLessThanOrEqual(3 + 1e-12);
      previous = y;
    }
    // between 1 and 2 the data rise by 0.1: the interpolant stays within them
    for (let x = 1; x <= 2; x += 0.05) expect(f(x)).toBeGreaterThanOrEqual(0.1 - 1e-12);
  });
});

describe('BD-rate (worked examples)', () => {
  it('is exactly +10% when the test needs 1.1× the anchor rate at every quality', () => {
    const anchor = curve([[1000, 34.1], [1600, 36.3], [2600, 38.2], [4200, 40.0]]);
    const test = anchor.map((p) => ({ rate: p.rate * 1.1, quality: p.quality }));
    const r = bdRate(anchor, test);
    expect(r?.fraction).toBeCloseTo(0.1, 12);
    expect(bdRate(test, anchor)?.fraction).toBeCloseTo(1 / 1.1 - 1, 12);
  });

  it('integrates only over the shared quality range, worked by hand', () => {
    // anchor: ln R = q / 10 on q ∈ [30, 42]; test: ln R = q / 8 − 0.8 on q ∈ [32, 44] (both straight, so
    // PCHIP is exact). Shared range [32, 42]; mean of (q/8 − 0.8 − q/10) = mean(q)/40 − 0.8 = 37/40 − 0.8
    // = 0.125, so BD-rate = e^0.125 − 1 = 13.3148%.
    const anchor = [30, 34, 38, 42].map((q) => ({ rate: Math.exp(q / 10), quality: q }));
    const test = [32, 36, 40, 44].map((q) => ({ rate: Math.exp(q / 8 - 0.8), quality: q }));
    const r = bdRate(anchor, test);
    expect(r).not.toBeNull();
    expect(r?.qualityLo).toBe(32);
    expect(r?.qualityHi).toBe(42);
    expect(r?.fraction).toBeCloseTo(Math.exp(0.125) - 1, 10);
  });

  it('gives the same answer whatever order the points come in, with three points a curve', () => {
    const anchor = curve([[800, 33], [1500, 36], [3000, 39]]);
    const test = curve([[3500, 39.2], [900, 32.8], [1750, 36.1]]);
    const a = bdRate(anchor, test);
    const b = bdRate([...anchor].reverse(), [...test].reverse());
    expect(a?.fraction).toBeGreaterThan(0);
    expect(a?.fraction).toBeCloseTo(b?.fraction as number, 14);
  });

  it('is null when the curves share no quality, and refuses what is not a rate–quality curve', () => {
    expect(bdRate(curve([[1, 30], [2, 32]]), curve([[3, 33], [4, 35]]))).toBeNull();
    expect(curveProblem(curve([[1, 30]]))).toMatch(/at least 2 points/);
    expect(curveProblem(curve([[1, 30], [2, 29]]))).toMatch(/does not rise/);
    expect(() => bdRate(curve([[1, 30], [0, 31]]), curve([[1, 30], [2, 31]]))).toThrow(/positive/);
  });
});

describe('SSIM in dB', () => {
  it('maps 0.99 to 20 dB and 1 to infinity', () => {
    expect(ssimDb(0.99)).toBeCloseTo(20, 10);
    expect(ssimDb(1)).toBe(Infinity);
  });
});
