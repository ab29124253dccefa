import { describe, expect, it } from 'vitest';
import { crippleFraction, serialSectionMs } from '../../src/pipeline/cripple.ts';

describe('CHUNKBENCH_CRIPPLE', () => {
  it('reads the fraction, and names the variable and what it accepts when it is wrong', () => {
    expect(crippleFraction({})).toBe(0);
    expect(crippleFraction({ CHUNKBENCH_CRIPPLE: '0.15' })).toBe(0.15);
    expect(() => crippleFraction({ CHUNKBENCH_CRIPPLE: '1.5' })).toThrow('CHUNKBENCH_CRIPPLE=1.5: expected the fraction of the speedup to remove, a number in [0, 1) such as 0.15');
  });

  it('adds the serial time that makes the run lose exactly that fraction of its speed', () => {
    // a run of 4 s so far; 15% slower in speed means 4 / 0.85 = 4.706 s: 0.706 s more
    const extra = serialSectionMs(0.15, 4000);
    expect(extra).toBeCloseTo(4000 * (0.15 / 0.85), 9);
    expect(4000 / (4000 + extra)).toBeCloseTo(0.85, 12);
    expect(serialSectionMs(0, 4000)).toBe(0);
  });
});
