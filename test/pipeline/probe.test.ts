import { describe, expect, it } from 'vitest';
import { streamSpanSeconds } from '../../src/pipeline/probe.ts';

describe('streamSpanSeconds', () => {
  it('runs from the first presentation time to the end of the last packet', () => {
    expect(streamSpanSeconds({ timesSeconds: [0, 0.1], durationsSeconds: [0.1, 0.1], sizesBytes: [1, 1], keyframe: [true, false] })).toBeCloseTo(0.2, 12);
  });
  it('takes the median gap for a last packet without a duration', () => {
    expect(streamSpanSeconds({ timesSeconds: [0, 0.1, 0.2], durationsSeconds: [0.1, 0.1, NaN], sizesBytes: [1, 1, 1], keyframe: [true, false, false] })).toBeCloseTo(0.3, 12);
  });
});
