import { describe, expect, it } from 'vitest';
import type { Probe } from '../../src/pipeline/probe.ts';
import { checkOutput, firstFailure, type OutputFacts } from '../../src/pipeline/verify.ts';

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
});

