import { describe, expect, it } from 'vitest';
import type { Probe } from '../../src/pipeline/probe.ts';
import { checkOutput, displaySizeOf, firstFailure, type OutputFacts } from '../../src/pipeline/verify.ts';

const source = {
  summary: { frameCount: 1800, audioStreams: 1 },
  videoDurationSeconds: 60,
  audioDurationSeconds: 60.021,
  maxFrameIntervalSeconds: 1 / 30,
} as Probe;
const good: OutputFacts = { decodedFrames: 1800, videoStreams: 1, audioStreams: 1, videoDurationSeconds: 60, audioDurationSeconds: 60.021 };

describe('checkOutput', () => {
  it('passes a faithful output', () => {
    const v = checkOutput(source, good, true);
    expect(v.ok).toBe(true);
    expect(firstFailure(v)).toBeNull();
  });
  it('fails on one frame lost, saying by how much', () => {
    const v = checkOutput(source, { ...good, decodedFrames: 1799 }, true);
    expect(v.ok).toBe(false);
    expect(firstFailure(v)).toBe('frame-count: frame count 1799, expected 1800 (-1)');
  });
  it('allows one frame of video duration and 50 ms of audio, no more', () => {
    expect(checkOutput(source, { ...good, videoDurationSeconds: 60.034 }, true).ok).toBe(true);
    expect(checkOutput(source, { ...good, videoDurationSeconds: 60.07 }, true).ok).toBe(false);
    expect(checkOutput(source, { ...good, audioDurationSeconds: 60.07 }, true).ok).toBe(true);
    const late = checkOutput(source, { ...good, audioDurationSeconds: 60.09 }, true);
    expect(firstFailure(late)).toBe('audio-duration: audio 60.09 s vs 60.021 s (+69 ms; ±50 ms allowed)');
  });
  it('fails when the audio or stream layout is lost', () => {
    expect(firstFailure(checkOutput(source, { ...good, audioStreams: 0, audioDurationSeconds: null }, true))).toBe('audio-duration: audio missing from the output');
  });
  it('skips the frame check for rate-changing filters, and says so', () => {
    const v = checkOutput(source, { ...good, decodedFrames: 900, videoDurationSeconds: 60 }, false);
    expect(v.ok).toBe(true);
    expect(v.checks[0]).toMatchObject({ name: 'frame-count', skipped: true });
  });

  it('checks where the audio starts against the video, as in the source, within 50 ms', () => {
    const offset = { ...source, video: { timesSeconds: [0.013] }, audioStartSeconds: 0 } as unknown as Probe;
    const kept = checkOutput(offset, { ...good, videoStartSeconds: 0.013, audioStartSeconds: 0 }, true);
    expect(kept.checks.find((c) => c.name === 'av-offset')).toMatchObject({ ok: true, expected: -0.013, actual: -0.013 });
    const shifted = checkOutput(offset, { ...good, videoStartSeconds: 0, audioStartSeconds: 0.06 }, true);
    expect(firstFailure(shifted)).toBe('av-offset: audio starts 60 ms after the video (source: -13 ms; ±50 ms allowed)');
    // without start times (or without audio) there is nothing to compare
    expect(checkOutput(source, good, true).checks.map((c) => c.name)).not.toContain('av-offset');
  });

  it('checks the picture as displayed: a phone video stays upright, by pixels or by its rotation tag', () => {
    const phone = { ...source, summary: { ...source.summary, width: 1280, height: 720, rotationDegrees: 90 } } as Probe;
    // turned upright in the pixels, or kept lying with the tag: both display 720x1280
    expect(checkOutput(phone, { ...good, displaySize: displaySizeOf(720, 1280, 0) }, true).checks.find((c) => c.name === 'display-size')).toMatchObject({ ok: true, expected: '720x1280' });
    expect(checkOutput(phone, { ...good, displaySize: displaySizeOf(1280, 720, 90) }, true).ok).toBe(true);
    // the tag lost: the picture lies on its side
    expect(firstFailure(checkOutput(phone, { ...good, displaySize: displaySizeOf(1280, 720, 0) }, true))).toBe('display-size: displayed 1280x720, the source displays 720x1280 (turned a quarter: the display rotation was lost or applied twice)');
    // a filter that resizes: skipped, and said so
    const scaled = checkOutput(phone, { ...good, displaySize: { width: 360, height: 640 } }, true, false);
    expect(scaled.ok).toBe(true);
    expect(scaled.checks.find((c) => c.name === 'display-size')).toMatchObject({ skipped: true });
  });
  it('reads a half turn as the same size and a quarter turn as swapped', () => {
    expect(displaySizeOf(640, 360, 180)).toEqual({ width: 640, height: 360 });
    expect(displaySizeOf(640, 360, 270)).toEqual({ width: 360, height: 640 });
  });
});
