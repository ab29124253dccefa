// The segments section's words for the compression cost (hand-built quality records, as in
// test/quality/rateQuality.test.ts): a length is said to cost bits only where its interval over the chunks
// excludes no change; a run without quality measurements says nothing; one with too few CRF points says why.
import { describe, expect, it } from 'vitest';
import type { ResultLine } from '../../src/harness/store.ts';
import type { QualityRecord } from '../../src/quality/measure.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';
import { compressionWords } from '../../src/report/sections/compression.ts';

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


/** single at `crfs`, and 1 s chunks whose two chunks write `factor(frame)` × single's bits for the same pictures. */
function runOf(crfs: number[], factor: (frame: number) => number): ResultLine[] {
  return crfs.flatMap((crf) => {
    const b = crfBytes[crf] as number;
    const chunked = quality((f) => b * factor(f), (x) => ssimOf(x / factorAt(x, b)), (x) => mseOf(x / factorAt(x, b)));
    return [line(`single-${crf}`, 'single', crf, 10, quality(() => b, ssimOf, mseOf)), line(`c1-${crf}`, 'chunked', crf, 1, chunked)];
  });
}
/** The factor a frame of `bytes` was written with, against single's `b`. */
const factorAt = (bytes: number, b: number) => bytes / b;

describe('compressionWords', () => {
  it('says nothing for a run that measured no quality', () => {
    const lines = runOf([20, 26, 32], () => 1.1).map((l) => ({ ...l, record: { ...l.record, quality: undefined } }) as ResultLine);
    expect(compressionWords(lines)).toEqual({ sentences: [], table: null, shortest: null });
  });

  it('words a cost whose interval excludes no change as more bits, in the sentence, the table and the first-screen clause', () => {
    const w = compressionWords(runOf([20, 26, 32], () => 1.1));
    expect(w.sentences.map((s) => s.text)).toEqual(['Compression at equal quality, against one ffmpeg (the extra bitrate at equal SSIM, a Bjøntegaard delta rate over CRF 20–32, per chunk with a 95% CI over the chunks): 1 s +10.0% [+10.0%, +10.0%], more bits. Clearly more bits at 95%: 1 s.']);
    expect(w.table?.rows.map((r) => r.cells)).toEqual([['1 s', '2', '+10.0% [+10.0%, +10.0%]', '+10.0% [+10.0%, +10.0%]']]);
    expect(w.shortest).toEqual({ segmentSeconds: 1, clause: 'at equal quality +10.0% [+10.0%, +10.0%] bitrate against one ffmpeg (more bits)' });
  });

  it('does not call a cost whose interval includes no change more bits', () => {
    // the first chunk saves 20%, the second costs 30%: two chunks, an interval across 1
    const w = compressionWords(runOf([20, 26, 32], (f) => (f < 30 ? 0.8 : 1.3)));
    expect(w.sentences[0]?.text).toMatch(/: 1 s [+−][\d.]+% \[−[\d.]+%, \+[\d.]+%\], not clearly more or fewer\. No length clearly costs bits at 95%\.$/);
  });

  it('says why there is no cost when single measured one CRF point', () => {
    expect(compressionWords(runOf([26], () => 1.1)).sentences.map((s) => s.text)).toEqual(['Compression at equal quality is not measured here: single measured its quality at 1 CRF point; a rate–quality curve needs at least 2 (3 or more to interpolate between).']);
  });
});
