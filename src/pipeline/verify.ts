// verify: the output must be the source, processed — no frame lost or doubled at a chunk boundary.
//   frame-count    decoded video frames of the output = the source's (skipped for rate-changing raw filters)
//   video-duration output video span within one frame of the source's (the longest frame gap, for VFR)
//   audio-duration output audio span within 50 ms of the source's
//   stream-layout  one video stream and as many audio streams as the source
//   av-offset      where the audio starts relative to the video, as in the source within 50 ms (camera files
//                  start their audio and video at different times; a shift is lost lip sync)
//   display-size   the picture as a viewer sees it (width × height after the display rotation) is the
//                  source's: a phone video must not come out lying on its side, whether the output turned
//                  the pixels upright or kept the rotation as a tag (skipped for filters that resize)
// Spans are measured the same way on both sides (packet times, no decoding), so the checks compare like with like.
import { ChunkbenchError } from '../errors.ts';
import type { Binaries } from '../ffmpeg/binaries.ts';
import { listedRotation, probeAll, streamSpanSeconds, type Probe } from './probe.ts';
import type { Verification, VerifyCheck } from './types.ts';

const AUDIO_TOLERANCE_SECONDS = 0.05;
// Matroska/WebM store millisecond timestamps: allow that rounding on top of one frame.
const TIMESTAMP_ROUNDING_SECONDS = 0.0015;

/** What was measured on the output, so the checks themselves are a pure function. */
export interface OutputFacts {
  decodedFrames: number;
  videoStreams: number;
  audioStreams: number;
  videoDurationSeconds: number;
  audioDurationSeconds: number | null;
  /** First video and audio times, same clock (absent: not checked). */
  videoStartSeconds?: number;
  audioStartSeconds?: number | null;
  /** The picture as displayed: stored size turned by the display rotation (absent: not checked). */
  displaySize?: DisplaySize;
}

export interface DisplaySize {
  width: number;
  height: number;
}

/** Stored width × height as a viewer sees it: a quarter turn swaps them. */
export function displaySizeOf(width: number, height: number, rotationDegrees: number): DisplaySize {
  return rotationDegrees % 180 === 90 ? { width: height, height: width } : { width, height };
}

const AV_OFFSET_TOLERANCE_SECONDS = 0.05;

/** Compares the output's facts with the source's probe. */
export function checkOutput(source: Probe, out: OutputFacts, filterKeepsFrames: boolean, filterKeepsSize = filterKeepsFrames): Verification {
  const checks: VerifyCheck[] = [];
  const expectedFrames = source.summary.frameCount;
  checks.push(
    filterKeepsFrames
      ? {
          name: 'frame-count',
          ok: out.decodedFrames === expectedFrames,
          expected: expectedFrames,
          actual: out.decodedFrames,
          tolerance: 0,
          message: out.decodedFrames === expectedFrames ? `${out.decodedFrames} frames, as the source` : `frame count ${out.decodedFrames}, expected ${expectedFrames} (${out.decodedFrames - expectedFrames > 0 ? '+' : ''}${out.decodedFrames - expectedFrames})`,
        }
      : { name: 'frame-count', ok: true, skipped: true, expected: expectedFrames, actual: out.decodedFrames, tolerance: 'n/a', message: 'skipped: the raw filter may change the frame rate' },
  );
  const frameTolerance = source.maxFrameIntervalSeconds + TIMESTAMP_ROUNDING_SECONDS;
  const videoDiff = out.videoDurationSeconds - source.videoDurationSeconds;
  checks.push({
    name: 'video-duration',
    ok: !filterKeepsFrames || Math.abs(videoDiff) <= frameTolerance,
    expected: round(source.videoDurationSeconds),
    actual: round(out.videoDurationSeconds),
    tolerance: round(frameTolerance),
    message: `video ${round(out.videoDurationSeconds)} s vs ${round(source.videoDurationSeconds)} s (${videoDiff >= 0 ? '+' : ''}${round(videoDiff * 1000)} ms; one frame = ${round(frameTolerance * 1000)} ms)`,
  });
  if (source.audioDurationSeconds !== null) {
    const audioDiff = (out.audioDurationSeconds ?? 0) - source.audioDurationSeconds;
    checks.push({
      name: 'audio-duration',
      ok: out.audioDurationSeconds !== null && Math.abs(audioDiff) <= AUDIO_TOLERANCE_SECONDS,
      expected: round(source.audioDurationSeconds),
      actual: out.audioDurationSeconds === null ? 'none' : round(out.audioDurationSeconds),
      tolerance: AUDIO_TOLERANCE_SECONDS,
      message: out.audioDurationSeconds === null ? 'audio missing from the output' : `audio ${round(out.audioDurationSeconds)} s vs ${round(source.audioDurationSeconds)} s (${audioDiff >= 0 ? '+' : ''}${round(audioDiff * 1000)} ms; ±50 ms allowed)`,
    });
  }
  const sourceAudio = source.audioStartSeconds;
  if (sourceAudio !== null && sourceAudio !== undefined && out.videoStartSeconds !== undefined && out.audioStartSeconds !== undefined && out.audioStartSeconds !== null) {
    const expected = sourceAudio - (source.video.timesSeconds[0] ?? 0);
    const actual = out.audioStartSeconds - out.videoStartSeconds;
    checks.push({
      name: 'av-offset',
      ok: Math.abs(actual - expected) <= AV_OFFSET_TOLERANCE_SECONDS,
      expected: round(expected),
      actual: round(actual),
      tolerance: AV_OFFSET_TOLERANCE_SECONDS,
      message: `audio starts ${round(actual * 1000)} ms after the video (source: ${round(expected * 1000)} ms; ±50 ms allowed)`,
    });
  }
  if (out.displaySize && !filterKeepsSize) {
    checks.push({ name: 'display-size', ok: true, skipped: true, expected: 'n/a', actual: `${out.displaySize.width}x${out.displaySize.height}`, tolerance: 'n/a', message: 'skipped: the filter may change the picture size' });
  } else if (out.displaySize) {
    const want = displaySizeOf(source.summary.width, source.summary.height, source.summary.rotationDegrees ?? 0);
    const got = out.displaySize;
    const ok = got.width === want.width && got.height === want.height;
    checks.push({
      name: 'display-size',
      ok,
      expected: `${want.width}x${want.height}`,
      actual: `${got.width}x${got.height}`,
      tolerance: 'exact',
      message: ok ? `displayed ${got.width}x${got.height}, as the source` : `displayed ${got.width}x${got.height}, the source displays ${want.width}x${want.height}${got.width === want.height && got.height === want.width ? ' (turned a quarter: the display rotation was lost or applied twice)' : ''}`,
    });
  }
  const expectedLayout = `video:1 audio:${source.summary.audioStreams}`;
  const actualLayout = `video:${out.videoStreams} audio:${out.audioStreams}`;
  checks.push({ name: 'stream-layout', ok: expectedLayout === actualLayout, expected: expectedLayout, actual: actualLayout, tolerance: 'exact', message: `streams ${actualLayout}` });
  return { ok: checks.every((c) => c.ok), checks };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Measures the output with ffprobe and checks it against the source. */
export async function verifyOutput(binaries: Binaries, source: Probe, output: string, filterKeepsFrames: boolean, filterKeepsSize = filterKeepsFrames): Promise<Verification> {
  // one ffprobe process: streams, packets and decoded frame counts together
  let listing: Awaited<ReturnType<typeof probeAll>>;
  try {
    listing = await probeAll(binaries, output, true);
  } catch (error) {
    // the output, not the user's input, is what ffprobe could not read
    if (!(error instanceof ChunkbenchError)) throw error;
    return { ok: false, checks: [{ name: 'stream-layout', ok: false, expected: 'a readable output', actual: 'unreadable', tolerance: 'none', message: `the output cannot be read: ${error.message.replace(/^--input \S+: /, '')}` }] };
  }
  const { streams, packets } = listing;
  const video = streams.find((s) => s.codec_type === 'video');
  const audio = streams.find((s) => s.codec_type === 'audio');
  const videoPackets = video ? packets.get(video.index) : undefined;
  const audioPackets = audio ? packets.get(audio.index) : undefined;
  return checkOutput(
    source,
    {
      decodedFrames: Number(video?.nb_read_frames) || 0,
      videoStreams: streams.filter((s) => s.codec_type === 'video').length,
      audioStreams: streams.filter((s) => s.codec_type === 'audio').length,
      videoDurationSeconds: videoPackets ? streamSpanSeconds(videoPackets) : 0,
      audioDurationSeconds: audioPackets ? streamSpanSeconds(audioPackets) : null,
      ...(video?.width && video.height ? { displaySize: displaySizeOf(video.width, video.height, listedRotation(video)) } : {}),
      ...(videoPackets?.timesSeconds.length ? { videoStartSeconds: videoPackets.timesSeconds[0] as number, audioStartSeconds: audioPackets?.timesSeconds[0] ?? null } : {}),
    },
    filterKeepsFrames,
    filterKeepsSize,
  );
}

/** "frame-count: frame count 1799, expected 1800 (-1)" for the first failed check, for run errors. */
export function firstFailure(verification: Verification): string | null {
  const failed = verification.checks.find((c) => !c.ok);
  return failed ? `${failed.name}: ${failed.message}` : null;
}
