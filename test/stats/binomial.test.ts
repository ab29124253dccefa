import { describe, expect, it } from 'vitest';
import { binomialCdf, clopperPearson } from '../../src/stats/binomial.ts';

describe('Clopper–Pearson', () => {
  it('gives the closed forms at the edges: 0 of n → [0, 1 − 0.025^(1/n)], n of n → [0.025^(1/n), 1]', () => {
    expect(clopperPearson(0, 20).lo).toBe(0);
    expect(clopperPearson(0, 20).hi).toBeCloseTo(1 - 0.025 ** (1 / 20), 9); // 0.16843
    expect(clopperPearson(10, 10).lo).toBeCloseTo(0.025 ** (1 / 10), 9); // 0.69150
    expect(clopperPearson(10, 10).hi).toBe(1);
  });

  it('matches published values: 18 of 20 → [0.6830, 0.9877]', () => {
    // the beta quantiles Beta⁻¹(0.025; 18, 3) and Beta⁻¹(0.975; 19, 2) (scipy.stats.beta.ppf)
    const { lo, hi } = clopperPearson(18, 20);
    expect(lo).toBeCloseTo(0.6830173, 6);
    expect(hi).toBeCloseTo(0.9876515, 6);
  });

  it('binomialCdf sums the mass', () => {
    expect(binomialCdf(1, 2, 0.5)).toBeCloseTo(0.75, 12);
    expect(binomialCdf(2, 2, 0.3)).toBe(1);
    expect(() => clopperPearson(3, 2)).toThrow('need integers 0 ≤ x ≤ n');
  });
});
