// The segments section's words for the compression cost (hand-built quality records, as in
// test/quality/rateQuality.test.ts): a length is said to cost bits only where its interval over the chunks
// excludes no change; a run without quality measurements says nothing; one with too few CRF points says why.
import { describe, expect, it } from 'vitest';
import type { ResultLine } from '../../src/harness/store.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';
import { compressionWords } from '../../src/report/sections/compression.ts';
import { crfBytes, line, mseOf, quality, ssimOf } from '../quality/records.ts';

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
    expect(compressionWords(lines)).toEqual({ sentences: [], table: null, shortest: null, charts: [] });
  });

  it('words a cost whose interval excludes no change as more bits, in the sentence, the table and the first-screen clause', () => {
    const w = compressionWords(runOf([20, 26, 32], () => 1.1));
    expect(w.sentences.map((s) => s.text)).toEqual(['Compression at equal quality, against one ffmpeg (the extra bitrate at equal SSIM, a Bjøntegaard delta rate over CRF 20–32, per chunk with a 95% CI over the chunks): 1 s +10.0% [+10.0%, +10.0%], more bits. Clearly more bits at 95%: 1 s.']);
    // no chunk of this hand-built plan needs a lead-in: all start on a source keyframe, none between
    expect(w.table?.rows.map((r) => r.cells)).toEqual([['1 s', '2', '+10.0% [+10.0%, +10.0%]', '+10.0% [+10.0%, +10.0%]', '+10.0% [+10.0%, +10.0%] (2)', '— (0)']]);
    expect(w.shortest).toEqual({ segmentSeconds: 1, clause: 'at equal quality +10.0% [+10.0%, +10.0%] bitrate against one ffmpeg (more bits)' });
  });

  it('does not call a cost whose interval includes no change more bits', () => {
    // the first chunk saves 20%, the second costs 30%: two chunks, an interval across 1
    const w = compressionWords(runOf([20, 26, 32], (f) => (f < 30 ? 0.8 : 1.3)));
    expect(w.sentences[0]?.text).toMatch(/: 1 s [+−][\d.]+% \[−[\d.]+%, \+[\d.]+%\], not clearly more or fewer\. No length clearly costs bits at 95% on average\.$/);
  });

  it('tells chunks that start on the source\'s keyframes from those that start between them, and says why the sign differs', () => {
    // 0.5 s chunks (15 frames): the 1st and 3rd start on a source keyframe and save 10%, the 2nd and 4th start
    // 15 frames after one and cost 20%
    const lines = runOf([20, 26, 32], (f) => (Math.floor(f / 15) % 2 ? 1.2 : 0.9)).map((l) => {
      const record = l.record as RunRecord;
      if (record.config.mode !== 'chunked') return l;
      const segments = Array.from({ length: 4 }, (_, i) => ({ index: i, startFrame: i * 15, frameCount: 15, startSeconds: i * 0.5, durationSeconds: 0.5, inputBytes: 0, leadInFrames: i % 2 ? 15 : 0 }));
      return { ...l, record: { ...record, config: { ...record.config, segmentSeconds: 0.5 }, segments } } as ResultLine;
    });
    const w = compressionWords(lines);
    expect(w.sentences[0]?.text).toContain("(chunks starting on the source's keyframes −10.0% [−10.0%, −10.0%], 2 of them; between them +20.0% [+20.0%, +20.0%], 2)");
    expect(w.sentences[1]?.text).toMatch(/^Where a chunk starts decides the sign\. This source is itself an encode/);
    expect(w.shortest?.clause).toBe("at equal quality +20.0% [+20.0%, +20.0%] bitrate against one ffmpeg where a chunk starts between the source's keyframes (more bits), −10.0% [−10.0%, −10.0%] where it starts on one");
  });

  it('draws the cost per length with its interval and the rate–quality curves, from the same figures', () => {
    const w = compressionWords(runOf([20, 26, 32], () => 1.1));
    expect(w.charts.map((c) => c.name)).toEqual(['compression-cost', 'rate-quality']);
    const [cost, rq] = w.charts as unknown as [{ spec: { data: { values: unknown[] } } }, { spec: { data: { values: { label: string; crf: number; kbps: number }[] } } }];
    // one row per length: every chunk of this plan starts on a source keyframe, so the dot is coloured as
    // theirs, +10% with its interval
    expect(cost.spec.data.values).toEqual([{ row: '1 s', length: '1 s', kind: "starting on the source's keyframes", value: expect.closeTo(0.1, 9), lo: expect.closeTo(0.1, 9), hi: expect.closeTo(0.1, 9) }]);
    // single's curve and the 1 s curve, each through the three CRF points; 1 s spends 10% more bits at every one
    const rows = rq.spec.data.values;
    expect(rows.map((r) => `${r.label}@${r.crf}`)).toEqual(['single (one ffmpeg, dashed)@20', 'single (one ffmpeg, dashed)@26', 'single (one ffmpeg, dashed)@32', '1 s@20', '1 s@26', '1 s@32']);
    for (const crf of [20, 26, 32]) {
      const at = (label: string) => rows.find((r) => r.label === label && r.crf === crf)?.kbps as number;
      expect(at('1 s') / at('single (one ffmpeg, dashed)')).toBeCloseTo(1.1, 6);
    }
  });

  it('says why there is no cost when single measured one CRF point', () => {
    expect(compressionWords(runOf([26], () => 1.1)).sentences.map((s) => s.text)).toEqual(['Compression at equal quality is not measured here: single measured its quality at 1 CRF point; a rate–quality curve needs at least 2 (3 or more to interpolate between).']);
  });
});
