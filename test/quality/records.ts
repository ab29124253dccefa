// Hand-built quality records for the rate–quality tests (test/quality/rateQuality.test.ts,
// test/report/compression.test.ts): frames whose SSIM and MSE improve with the bits as x264's do.
import type { ResultLine } from '../../src/harness/store.ts';
import type { QualityRecord } from '../../src/quality/measure.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';

export const FRAMES = 60;

/** A quality record whose frames all have `bytes` and SSIM/MSE that improve with the rate like x264's. */
export function quality(bytesPerFrame: (frame: number) => number, ssimOf: (bytes: number) => number, mseOf: (bytes: number) => number): QualityRecord {
  const bytes = Array.from({ length: FRAMES }, (_, i) => bytesPerFrame(i));
  const ssim = bytes.map(ssimOf);
  const mse = bytes.map(mseOf);
  const total = bytes.reduce((a, b) => a + b, 0);
  const summary = (xs: number[]) => ({ mean: xs.reduce((a, b) => a + b, 0) / xs.length, worst: Math.min(...xs), worstFrame: 0 });
  return { ssim: summary(ssim), psnrDb: { ...summary(mse.map((m) => 10 * Math.log10(65025 / m))), mean: 10 * Math.log10(65025 / (mse.reduce((a, b) => a + b, 0) / FRAMES)) }, lossless: false, videoKbps: (total * 8) / 1000 / 2, videoBytes: total, frames: FRAMES, ssimPerFrame: ssim, msePerFrame: mse, bytesPerFrame: bytes, scaled: false, qualityMs: 1 };
}

// quality rises with the log of the bits: SSIM dB = 4 ln(bytes) − 12, MSE = 2e5 / bytes
export const ssimOf = (bytes: number) => 1 - 10 ** (-(4 * Math.log(bytes) - 12) / 10);
export const mseOf = (bytes: number) => 2e5 / bytes;

export function line(configId: string, mode: string, crf: number, segmentSeconds: number, q: QualityRecord): ResultLine {
  const segments = mode === 'single' ? [] : Array.from({ length: FRAMES / (segmentSeconds * 30) }, (_, i) => ({ index: i, startFrame: i * segmentSeconds * 30, frameCount: segmentSeconds * 30, startSeconds: i * segmentSeconds, durationSeconds: segmentSeconds, inputBytes: 0 }));
  const record = { config: { mode, crf, segmentSeconds, split: 'exact', codec: 'libx264', preset: 'veryfast', filter: 'none' }, source: { path: '/v.mp4' }, segments, quality: q } as unknown as RunRecord;
  return { schema: 'chunkbench.result/1', seq: 0, round: 0, warmup: false, configId, label: configId, state: 'ok', wallMs: 1, record };
}

export const crfBytes = { 20: 4000, 26: 2000, 32: 1000 } as Record<number, number>;
