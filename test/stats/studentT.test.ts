import { describe as group, expect, it } from 'vitest';
import { tCritical95 } from '../../src/stats/index.ts';

group('tCritical95', () => {
  it('returns the table values for small df', () => {
    expect(tCritical95(1)).toBe(12.706);
    expect(tCritical95(2)).toBe(4.303);
    expect(tCritical95(4)).toBe(2.776);
    expect(tCritical95(9)).toBe(2.262);
    expect(tCritical95(30)).toBe(2.042);
  });

  it('interpolates in 1/df between rows', () => {
    // df 35 between 30 (2.042) and 40 (2.021): w = (1/35 − 1/40) / (1/30 − 1/40) = (1/280) / (1/120) = 3/7
    // t = 2.021 + 3/7 · 0.021 = 2.021 + 0.009 = 2.030 (exact quantile 2.0301)
    expect(tCritical95(35)).toBeCloseTo(2.03, 12);
  });

  it('tends to the normal quantile past the table', () => {
    // 1.959964 + (1.980 − 1.959964) · 120 / 1000 = 1.959964 + 0.00240432 = 1.96236832 (exact 1.9623)
    expect(tCritical95(1000)).toBeCloseTo(1.96236832, 8);
    expect(tCritical95(1e12)).toBeCloseTo(1.959964, 6);
  });

  it('has no value below one degree of freedom', () => {
    expect(tCritical95(0)).toBeNaN();
    expect(tCritical95(NaN)).toBeNaN();
  });
});
