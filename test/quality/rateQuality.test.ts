import { describe, expect, it } from 'vitest';
import type { ResultLine } from '../../src/harness/store.ts';
import { rateQualityCosts } from '../../src/quality/rateQuality.ts';
import { crfBytes, FRAMES, line, mseOf, quality, ssimOf } from './records.ts';

describe('rateQualityCosts', () => {
  it('finds a cost of exactly +10% when every chunk writes 1.1× the bits for the same quality', () => {
    const lines: ResultLine[] = [];
    for (const crf of [20, 26, 32]) {
      const b = crfBytes[crf] as number;
      lines.push(line(`single-${crf}`, 'single', crf, 10, quality(() => b, ssimOf, mseOf)));
      // same pictures (same quality per frame) at 1.1× the bytes
      lines.push(line(`c1-${crf}`, 'chunked', crf, 1, quality(() => b * 1.1, (x) => ssimOf(x / 1.1), (x) => mseOf(x / 1.1))));
    }
    const answer = rateQualityCosts(lines);
    expect(answer.note).toBeNull();
    expect(answer.crfs).toEqual([20, 26, 32]);
    const cost = answer.costs[0];
    expect(cost?.segmentSeconds).toBe(1);
    expect(cost?.chunks).toBe(2);
    expect(cost?.costSsim?.point).toBeCloseTo(1.1, 9);
    expect(cost?.costPsnr?.point).toBeCloseTo(1.1, 9);
    expect(cost?.wholeSsim).toBeCloseTo(0.1, 9);
  });

  it('gives a per-chunk interval that contains the chunks’ costs, and the whole video’s BD-rate beside it', () => {
    const lines: ResultLine[] = [];
    // 1 s chunks (30 frames): the first chunk costs +5%, the second +25%
    const factor = (frame: number) => (frame < 30 ? 1.05 : 1.25);
    for (const crf of [20, 26, 32]) {
      const b = crfBytes[crf] as number;
      lines.push(line(`single-${crf}`, 'single', crf, 10, quality(() => b, ssimOf, mseOf)));
      const bytes = (frame: number) => b * factor(frame);
      const q = quality(bytes, ssimOf, mseOf);
      // same quality as single frame by frame: recompute quality from the single's bytes
      q.ssimPerFrame = q.bytesPerFrame.map((x, i) => ssimOf(x / factor(i)));
      q.msePerFrame = q.bytesPerFrame.map((x, i) => mseOf(x / factor(i)));
      q.ssim.mean = q.ssimPerFrame.reduce((a, c) => a + c, 0) / FRAMES;
      q.psnrDb.mean = 10 * Math.log10(65025 / (q.msePerFrame.reduce((a, c) => a + c, 0) / FRAMES));
      lines.push(line(`c1-${crf}`, 'chunked', crf, 1, q));
    }
    const cost = rateQualityCosts(lines).costs[0];
    expect(cost?.costSsim?.point).toBeCloseTo(Math.sqrt(1.05 * 1.25), 6);
    expect(cost?.costSsim?.lo).toBeLessThan(1.05);
    expect(cost?.costSsim?.hi).toBeGreaterThan(1.25);
    expect(cost?.costSsim?.n).toBe(2);
    expect(cost?.wholeSsim).toBeGreaterThan(0.05);
    expect(cost?.wholeSsim).toBeLessThan(0.25);
  });

  it('says why when there is nothing to compare', () => {
    expect(rateQualityCosts([]).note).toMatch(/"quality": true/);
    const onlyOne = [line('single-20', 'single', 20, 10, quality(() => 4000, ssimOf, mseOf))];
    expect(rateQualityCosts(onlyOne).note).toMatch(/at least 2/);
  });
});
