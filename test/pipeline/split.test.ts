import { describe, expect, it } from 'vitest';
import type { StreamPackets } from '../../src/pipeline/probe.ts';
import { exactSeekSeconds, planSegments, planStartFrames } from '../../src/pipeline/split.ts';

/** Packets of a constant-rate stream: `frames` frames at `fps`, a keyframe every `gop` frames, 100 bytes each. */
function cfr(frames: number, fps: number, gop: number): StreamPackets {
  return {
    timesSeconds: Array.from({ length: frames }, (_, i) => i / fps),
    durationsSeconds: Array.from({ length: frames }, () => 1 / fps),
    sizesBytes: Array.from({ length: frames }, (_, i) => (i % gop === 0 ? 1000 : 100)),
    keyframe: Array.from({ length: frames }, (_, i) => i % gop === 0),
  };
}

describe('planSegments (exact)', () => {
  it('cuts at the first frame at or after each multiple of the segment length', () => {
    const segments = planSegments(cfr(120, 30, 30), 1.5, 'exact');
    expect(segments.map((s) => [s.startFrame, s.frameCount])).toEqual([[0, 45], [45, 45], [90, 30]]);
    expect(segments[1]?.startSeconds).toBeCloseTo(1.5, 9);
    expect(segments[2]?.durationSeconds).toBeCloseTo(1.0, 9);
  });

  it('covers every frame exactly once', () => {
    const segments = planSegments(cfr(1799, 29.97, 60), 2.3, 'exact');
    expect(segments.reduce((sum, s) => sum + s.frameCount, 0)).toBe(1799);
    segments.forEach((s, i) => i > 0 && expect(s.startFrame).toBe((segments[i - 1]?.startFrame ?? 0) + (segments[i - 1]?.frameCount ?? 0)));
  });

  it('makes one chunk when the segment is longer than the video', () => {
    expect(planSegments(cfr(120, 30, 30), 60, 'exact').map((s) => s.frameCount)).toEqual([120]);
  });

  it('counts the bytes a chunk demuxes from the keyframe before its start', () => {
    // chunk 1 starts at frame 45, mid-GOP: it reads frames 30..89, keyframes 30 and 60: 2 × 1000 + 58 × 100
    const [, second] = planSegments(cfr(120, 30, 30), 1.5, 'exact');
    expect(second?.inputBytes).toBe(2 * 1000 + 58 * 100);
  });

  it('follows variable frame intervals', () => {
    const times = [0, 0.04, 0.08, 0.5, 0.9, 1.0, 1.04, 1.5, 2.1];
    const video: StreamPackets = { timesSeconds: times, durationsSeconds: times.map(() => 0.04), sizesBytes: times.map(() => 1), keyframe: times.map((_, i) => i === 0) };
    expect(planStartFrames(video, 1, 'exact')).toEqual([0, 5, 8]);
    // a gap longer than the segment maps several multiples to one frame: no empty chunk
    // multiples 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1 → frames 3, 4, 4, 7, 7, 8, 8
    expect(planStartFrames(video, 0.3, 'exact')).toEqual([0, 3, 4, 7, 8]);
  });
});

describe('planSegments (copy)', () => {
  it('snaps cuts to the next keyframe and records the real lengths', () => {
    // keyframes at 0, 2, 4, 6, 8 s; targets 3 → 4 s, 6 → 6 s, 9 → none (no keyframe before the end)
    const segments = planSegments(cfr(300, 30, 60), 3, 'copy');
    expect(segments.map((s) => s.startSeconds)).toEqual([0, 4, 6]);
    expect(segments.map((s) => s.frameCount)).toEqual([120, 60, 120]);
  });

  it('makes one chunk when the only keyframe is the first', () => {
    expect(planSegments(cfr(600, 30, 600), 5, 'copy').map((s) => s.frameCount)).toEqual([600]);
  });

  it('does not loop or make empty chunks with a long GOP and short segments', () => {
    const segments = planSegments(cfr(600, 30, 300), 1, 'copy'); // keyframes at 0 s and 10 s
    expect(segments.map((s) => [s.startFrame, s.frameCount])).toEqual([[0, 300], [300, 300]]);
  });
});

describe('exactSeekSeconds', () => {
  it('seeks halfway between the previous frame and the first, and not at all for chunk 0', () => {
    const video = cfr(120, 30, 30);
    expect(exactSeekSeconds(video, 0)).toBeNull();
    expect(exactSeekSeconds(video, 45)).toBeCloseTo((44 / 30 + 45 / 30) / 2, 9);
  });
});
