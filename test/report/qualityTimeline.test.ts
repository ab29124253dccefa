// The quality timeline (hand-built records): the first frame after each cut against one ffmpeg's at the
// same frame, split by where the chunk starts, and the chart with the cuts marked.
import { describe, expect, it } from 'vitest';
import type { ResultLine } from '../../src/harness/store.ts';
import { pairedDifference, qualityTimeline } from '../../src/report/sections/qualityTimeline.ts';

const FRAMES = 240;
/** A record with per-frame SSIM, and 10-frame chunks (every other starting between keyframes). */
function line(configId: string, ssim: (frame: number) => number, chunked: boolean): ResultLine {
  const segments = chunked ? Array.from({ length: FRAMES / 10 }, (_, i) => ({ index: i, startFrame: i * 10, frameCount: 10, leadInFrames: i % 2 ? 5 : 0 })) : [{ index: 0, startFrame: 0, frameCount: FRAMES, leadInFrames: 0 }];
  const record = { config: {}, source: { frameCount: FRAMES, durationSeconds: 4 }, segments, quality: { ssimPerFrame: Array.from({ length: FRAMES }, (_, f) => ssim(f)) } };
  return { schema: 'chunkbench.result/1', seq: 0, round: 0, warmup: true, configId, label: configId, state: 'ok', wallMs: 1, record } as unknown as ResultLine;
}

describe('the quality timeline', () => {
  it('compares the first frame after each cut with one ffmpeg\'s, on keyframes and between them, with intervals', () => {
    // single 0.95 everywhere; the 1 s chunks' first frames +0.03 on keyframes and −0.01 between, ±0.002 by cut
    const jitter = (f: number) => 0.002 * Math.sin(f);
    const results = [
      line('single', () => 0.95, false),
      line('short', (f) => (f % 10 === 0 && f > 0 ? 0.95 + (f % 20 === 0 ? 0.03 : -0.01) + jitter(f) : 0.95), true),
    ];
    const t = qualityTimeline(results, { singleId: 'single', shortest: { id: 'short', label: '1 s' }, centre: undefined });
    expect(t.sentences[0]?.text).toMatch(/^At the cuts, at the same CRF \(each frame's SSIM minus one ffmpeg's at that frame, paired over the cuts: the median and its distribution-free 95% interval\): the first frame of each 1 s chunk, its own keyframe, scores \+0\.0[23]\d\d \[\+0\.0\d+, \+0\.0\d+\] where the chunk starts on one of the source's keyframes \(11 cuts, higher\) and −0\.0\d+ \[−0\.0\d+, −0\.0\d+\] where it starts between two \(12 cuts, lower\)\. The last frame of the chunk before is not clearly different from one ffmpeg's\. So at equal CRF the first frame after some cuts is worse than one ffmpeg's, and the keyframe costs bits/);
    expect(t.charts.map((c) => c.name)).toEqual(['quality-timeline']);
    const spec = JSON.stringify(t.charts[0]?.spec);
    // 23 cuts marked, one line per compared output
    expect([...spec.matchAll(/\{"t":[\d.]+\}/g)]).toHaveLength(23);
    expect(spec).toContain('"series":"1 s"');
  });

  it('draws nothing without per-frame SSIM for single', () => {
    expect(qualityTimeline([line('short', () => 0.9, true)], { singleId: 'single', shortest: { id: 'short', label: '1 s' }, centre: undefined })).toEqual({ sentences: [], charts: [] });
  });

  it('gives the median paired difference with its sign-test interval, and none under 6 pairs', () => {
    // differences 1..7: median 4; n = 7 gives k = 1, [x(1), x(7)] = [1, 7]
    expect(pairedDifference([2, 4, 6, 8, 10, 12, 14], [1, 2, 3, 4, 5, 6, 7])).toEqual({ median: 4, lo: 1, hi: 7, n: 7 });
    expect(pairedDifference([1, 2, 3, 4, 5], [0, 0, 0, 0, 0])).toBeNull();
  });
});
