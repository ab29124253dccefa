import { describe, expect, it } from 'vitest';
import type { ResultLine } from '../../src/harness/store.ts';
import type { QualityRecord } from '../../src/quality/measure.ts';
import { rateQualityCosts } from '../../src/quality/rateQuality.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';

const FRAMES = 60;

/** A quality record whose frames all have `bytes` and SSIM/MSE that improve with the rate like x264's. */
function quality(bytesPerFrame: (frame: number) => number, ssimOf: (bytes: number) => number, mseOf: (bytes: number) => number): QualityRecord {
  const bytes = Array.from({ length: FRAMES }, (_, i) => bytesPerFrame(i));
  const ssim = bytes.map(ssimOf);
  const mse = bytes.map(mseOf);
  const total = bytes.reduce((a, b) => a + b, 0);
  const summary = (xs: number[]) => ({ mean: xs.reduce((a, b) => a + b, 0) / xs.length, worst: Math.min(...xs), worstFrame: 0 });
  return { ssim: summary(ssim), psnrDb: { ...summary(mse.map((m) => 10 * Math.log10(65025 / m))), mean: 10 * Math.log10(65025 / (mse.reduce((a, b) => a + b, 0) / FRAMES)) }, lossless: false, videoKbps: (total * 8) / 1000 / 2, videoBytes: total, frames: FRAMES, ssimPerFrame: ssim, msePerFrame: mse, bytesPerFrame: bytes, scaled: false, qualityMs: 1 };
}

// quality rises with the log of the bits: SSIM dB = 4 ln(bytes) − 12, MSE = 2e5 / bytes
const ssimOf = (bytes: number) => 1 - 10 ** (-(4 * Math.log(bytes) - 12) / 10);
const mseOf = (bytes: number) => 2e5 / bytes;

function line(configId: string, mode: string, crf: number, segmentSeconds: number, q: QualityRecord): ResultLine {
  const segments = mode === 'single' ? [] : Array.from({ length: FRAMES / (segmentSeconds * 30) }, (_, i) => ({ index: i, startFrame: i * segmentSeconds * 30, frameCount: segmentSeconds * 30, startSeconds: i * segmentSeconds, durationSeconds: segmentSeconds, inputBytes: 0 }));
  const record = { config: { mode, crf, segmentSeconds, split: 'exact', codec: 'libx264', preset: 'veryfast', filter: 'none' }, source: { path: '/v.mp4' }, segments, quality: q } as unknown as RunRecord;
  return { schema: 'chunkbench.result/1', seq: 0, round: 0, warmup: false, configId, label: configId, state: 'ok', wallMs: 1, record };
}

const crfBytes = { 20: 4000, 26: 2000, 32: 1000 } as Record<number, number>;

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
