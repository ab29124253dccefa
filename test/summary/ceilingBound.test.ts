// A w-way ceiling cannot exceed w (each of w copies is at best as fast as one alone): its interval is cut
// there, never its point, and an interval that respects the bound is left alone.
import { describe, expect, it } from 'vitest';
import { boundedAbove } from '../../src/summary/summarize.ts';

describe('boundedAbove', () => {
  const e = { point: 1.78, lo: 1.35, hi: 2.34, n: 4, method: 'paired-t-log' as const };
  it('cuts the upper end at the bound', () => {
    expect(boundedAbove(e, 2)).toEqual({ ...e, hi: 2 });
  });
  it('leaves an interval within the bound, and one whose point is past it, as computed', () => {
    expect(boundedAbove({ ...e, hi: 1.9 }, 2)).toEqual({ ...e, hi: 1.9 });
    expect(boundedAbove({ ...e, point: 2.05 }, 2)).toEqual({ ...e, point: 2.05 });
  });
});
