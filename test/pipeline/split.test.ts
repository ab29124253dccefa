import { describe, expect, it } from 'vitest';
import type { StreamPackets } from '../../src/pipeline/probe.ts';
import { copySplitNote, exactChunkInput, exactSeek, FFMPEG_SEEK_BACKOFF_SECONDS, nearestKeyframe, planSegments, planStartFrames, seeksByIndex } from '../../src/pipeline/split.ts';

const MP4 = 'mov,mp4,m4a,3gp,3g2,mj2';

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
  it('cuts at the first frame at or after each multiple of the segment length (no keyframe near)', () => {
    const segments = planSegments(cfr(120, 30, 30), 1.5, 'exact', MP4);
    expect(segments.map((s) => [s.startFrame, s.frameCount])).toEqual([[0, 45], [45, 45], [90, 30]]);
    expect(segments[1]?.startSeconds).toBeCloseTo(1.5, 9);
    expect(segments[2]?.durationSeconds).toBeCloseTo(1.0, 9);
  });

  it('covers every frame exactly once', () => {
    const segments = planSegments(cfr(1799, 29.97, 60), 2.3, 'exact', MP4);
    expect(segments.reduce((sum, s) => sum + s.frameCount, 0)).toBe(1799);
    segments.forEach((s, i) => i > 0 && expect(s.startFrame).toBe((segments[i - 1]?.startFrame ?? 0) + (segments[i - 1]?.frameCount ?? 0)));
  });

  it('makes one chunk when the segment is longer than the video', () => {
    expect(planSegments(cfr(120, 30, 30), 60, 'exact', MP4).map((s) => s.frameCount)).toEqual([120]);
  });

  it('cuts on a keyframe within a quarter segment of the nominal cut, so no chunk decodes frames it throws away', () => {
    // 60 s at 30 fps, keyframe every 2 s, 5 s segments: every nominal cut (5, 10, 15 …) has a keyframe within
    // 1.25 s; ties (5 s: 4 or 6) go to the earlier one
    const video = cfr(1800, 30, 60);
    const segments = planSegments(video, 5, 'exact', MP4);
    expect(segments.map((s) => s.startFrame / 30)).toEqual([0, 4, 10, 14, 20, 24, 30, 34, 40, 44, 50, 54]);
    expect(segments.every((s) => video.keyframe[s.startFrame])).toBe(true);
    expect(segments.every((s) => s.leadInFrames === 0)).toBe(true);
    expect(segments.reduce((sum, s) => sum + s.frameCount, 0)).toBe(1800);
  });

  it('does not move the end of the video onto a keyframe before it (no extra tail chunk)', () => {
    // 60 s, keyframe every 2 s: the nominal cut at 60 s is past the last frame; the keyframe at 58 s is
    // within a quarter segment of it but must not start a 2 s chunk
    const video = cfr(1800, 30, 60);
    expect(planSegments(video, 10, 'exact', MP4).map((s) => s.startFrame / 30)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(planSegments(video, 30, 'exact', MP4).map((s) => s.startFrame / 30)).toEqual([0, 30]);
  });

  it('keeps a mid-GOP cut where no keyframe is near', () => {
    // 1 s segments on a 2 s GOP: the cut at 1 s has its nearest keyframes 1 s away, beyond 0.25 s
    expect(planStartFrames(cfr(120, 30, 60), 1, 'exact')).toEqual([0, 30, 60, 90]);
  });

  it('nearestKeyframe: nearest within the window, earlier on a tie, null when none', () => {
    const video = cfr(300, 30, 60); // keyframes at 0, 2, 4, 6, 8 s
    expect(nearestKeyframe(video, 4.9, 1, 1)).toBe(120);
    expect(nearestKeyframe(video, 5, 1.25, 1)).toBe(120);
    expect(nearestKeyframe(video, 5.2, 1.25, 1)).toBe(180);
    expect(nearestKeyframe(video, 5, 0.5, 1)).toBeNull();
  });

  it('counts the bytes and the lead-in frames a chunk decodes from the keyframe its seek lands on', () => {
    // chunk 1 starts at frame 45, mid-GOP: it reads frames 30..89, keyframes 30 and 60: 2 × 1000 + 58 × 100,
    // and decodes 15 frames only to throw them away; chunk 2 starts on the keyframe at frame 90: no lead-in
    const [, second, third] = planSegments(cfr(120, 30, 30), 1.5, 'exact', MP4);
    expect(second?.inputBytes).toBe(2 * 1000 + 58 * 100);
    expect(second?.leadInFrames).toBe(15);
    expect(third?.leadInFrames).toBe(0);
    expect(third?.inputBytes).toBe(1000 + 29 * 100);
  });

  it('counts a lead-in from the keyframe before ffmpeg\'s back-off when the cut is just after a keyframe', () => {
    // keyframes every 1 s, 0.37 s segments: the cut at 1.11 s (too far from the keyframe at 1 s to snap) starts
    // at frame 34 and seeks to 1.117 s, which ffmpeg backs off to 0.986 s: it decodes from the keyframe at 0 s
    const segments = planSegments(cfr(120, 30, 30), 0.37, 'exact', 'matroska,webm');
    const chunk = segments.find((s) => s.startFrame === 34);
    expect(chunk?.leadInFrames).toBe(34);
    // the next cut, 1.48 s → frame 45, backs off to 1.35 s: from the keyframe at 1 s
    expect(segments.find((s) => s.startFrame === 45)?.leadInFrames).toBe(15);
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
    const segments = planSegments(cfr(300, 30, 60), 3, 'copy', MP4);
    expect(segments.map((s) => s.startSeconds)).toEqual([0, 4, 6]);
    expect(segments.map((s) => s.frameCount)).toEqual([120, 60, 120]);
  });

  it('makes one chunk when the only keyframe is the first', () => {
    expect(planSegments(cfr(600, 30, 600), 5, 'copy', MP4).map((s) => s.frameCount)).toEqual([600]);
  });

  it('does not loop or make empty chunks with a long GOP and short segments', () => {
    const segments = planSegments(cfr(600, 30, 300), 1, 'copy', MP4); // keyframes at 0 s and 10 s
    expect(segments.map((s) => [s.startFrame, s.frameCount])).toEqual([[0, 300], [300, 300]]);
  });
});

describe('exactSeek', () => {
  it('does not seek for chunk 0', () => {
    expect(exactSeek(cfr(120, 30, 30), 0, true)).toBeNull();
  });

  it('seeks halfway between the previous frame and the first for a mid-GOP start (accurate seek)', () => {
    const seek = exactSeek(cfr(120, 30, 30), 45, true);
    expect(seek?.keyframe).toBe(false);
    expect(seek?.seconds).toBeCloseTo((44 / 30 + 45 / 30) / 2, 9);
  });

  it('seeks past ffmpeg\'s back-off onto a keyframe start, so nothing is decoded twice', () => {
    const seek = exactSeek(cfr(300, 30, 60), 120, true);
    expect(seek?.keyframe).toBe(true);
    // after the keyframe by the back-off plus a quarter frame, still before the next frame once backed off
    expect(seek?.seconds).toBeCloseTo(4 + FFMPEG_SEEK_BACKOFF_SECONDS + 1 / 120, 9);
    expect((seek?.seconds ?? 0) - FFMPEG_SEEK_BACKOFF_SECONDS).toBeLessThan(121 / 30);
  });

  it('uses the accurate seek on a keyframe when the next keyframe is too close, or the container has no index', () => {
    // keyframes every 5 frames (0.167 s): the next one is nearer than back-off + margin
    expect(exactSeek(cfr(120, 30, 5), 60, true)?.keyframe).toBe(false);
    expect(exactSeek(cfr(300, 30, 60), 120, false)?.keyframe).toBe(false);
  });

  it('knows which containers seek by an index', () => {
    expect(seeksByIndex('mov,mp4,m4a,3gp,3g2,mj2')).toBe(true);
    expect(seeksByIndex('matroska,webm')).toBe(true);
    expect(seeksByIndex('mpegts')).toBe(false);
  });

  it('exactChunkInput carries the seek, whether it lands on a keyframe, and the frames to keep by timestamp', () => {
    const video = cfr(300, 30, 60);
    const onKeyframe = exactChunkInput('/s.mp4', video, 'mov,mp4', { startFrame: 120, frameCount: 60 });
    expect(onKeyframe).toMatchObject({ path: '/s.mp4', seekToKeyframe: true, skipStreamProbe: true, limitFrames: true });
    const seek = onKeyframe.seekSeconds ?? 0;
    // keep from halfway between frames 119 and 120 to halfway between 179 and 180, relative to the seek
    expect(onKeyframe.keep?.fromSeconds).toBeCloseTo(119.5 / 30 - seek, 9);
    expect(onKeyframe.keep?.beforeSeconds).toBeCloseTo(179.5 / 30 - seek, 9);
    expect(exactChunkInput('/s.mp4', video, 'mov,mp4', { startFrame: 240, frameCount: 60 }).keep?.beforeSeconds).toBeNull();
    const ts = exactChunkInput('/s.ts', video, 'mpegts', { startFrame: 120, frameCount: 60 });
    expect(ts).toMatchObject({ seekToKeyframe: false, seekSeconds: (119 / 30 + 4) / 2, skipStreamProbe: false });
    expect(ts.keep).toBeUndefined();
    expect(exactChunkInput('/s.mkv', video, 'matroska,webm', { startFrame: 120, frameCount: 60 })).toMatchObject({ seekToKeyframe: true, skipStreamProbe: false });
    expect(exactChunkInput('/s.mp4', video, 'mov,mp4', { startFrame: 0, frameCount: 60 })).toMatchObject({ seekSeconds: null, seekToKeyframe: false });
  });

  it('gives the seek on the file\'s own clock where ffmpeg does not probe the streams (it then does not add the start)', () => {
    const video = cfr(300, 30, 60);
    const fromZero = exactChunkInput('/s.mp4', video, 'mov,mp4', { startFrame: 120, frameCount: 60 });
    const late = exactChunkInput('/s.mp4', video, 'mov,mp4', { startFrame: 120, frameCount: 60 }, 0.02);
    expect(late.seekSeconds).toBeCloseTo((fromZero.seekSeconds ?? 0) + 0.02, 12);
    // the keep window is relative to the seek either way
    expect(late.keep).toEqual(fromZero.keep);
    // a probed input (MPEG-TS): ffmpeg adds the start itself
    expect(exactChunkInput('/s.ts', video, 'mpegts', { startFrame: 121, frameCount: 60 }, 1.4).seekSeconds).toBeCloseTo((120 / 30 + 121 / 30) / 2, 12);
  });

  it('cuts a stream copy only at keyframes whose GOP is closed', () => {
    const video = { ...cfr(300, 30, 60), openGop: Array.from({ length: 300 }, (_, i) => i === 120) };
    expect(planStartFrames(video, 2, 'copy')).toEqual([0, 60, 180, 240]);
    // the exact split may start there: its chunks decode from the source and keep their frames by time
    expect(planStartFrames(video, 2, 'exact')).toEqual([0, 60, 120, 180, 240]);
    expect(copySplitNote(video)).toBe('copy split: 1 of 5 keyframes open a GOP (frames shown before them are stored after them), so no chunk starts there and chunks may be longer than --segment; --split exact cuts anywhere');
    expect(copySplitNote(cfr(300, 30, 60))).toBeNull();
  });
});
