import { describe, expect, it } from 'vitest';
import { rSquared } from '../../src/fit/index.ts';

describe('rSquared', () => {
  it('is 1 on an exact fit and 1 − SS_res/SS_tot otherwise', () => {
    expect(rSquared([1, 2, 3], [1, 2, 3])).toBe(1);
    // SS_tot = 2 (mean 2), SS_res = 1
    expect(rSquared([1, 2, 3], [1, 2, 4])).toBeCloseTo(0.5, 12);
    // predicting the mean explains nothing
    expect(rSquared([1, 2, 3], [2, 2, 2])).toBeCloseTo(0, 12);
  });

  it('handles constant observations: 1 when matched exactly, 0 when not', () => {
    expect(rSquared([5, 5, 5], [5, 5, 5])).toBe(1);
    expect(rSquared([5, 5, 5], [5, 5, 6])).toBe(0);
  });

  it('rejects arrays of different lengths', () => {
    expect(() => rSquared([1, 2], [1])).toThrow('rSquared: observed and predicted must be the same length; received 2 and 1');
  });
});
