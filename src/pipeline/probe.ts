// probe: what the source is. One ffprobe listing (no decoding) gives the streams, the format and every
// video frame's presentation time, size and keyframe flag, which the split plans and verification need.
// The frame count comes from the container where it can be trusted (MP4/MOV store a sample count, and it
// agrees with the presented packets) and is counted by decoding otherwise (Matroska/WebM have no count).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ChunkbenchError } from '../errors.ts';
import type { Binaries } from '../ffmpeg/binaries.ts';
import { ffmpegLines, runProcess, succeeded } from '../ffmpeg/exec.ts';
import { LISTING_FORMAT, parseListing, type ListedFormat, type ListedStream, type Listing } from './listing.ts';
import type { SourceSummary } from './types.ts';

/** MP4/MOV: the sample tables list every frame (count, times, sizes, keyframes) and the codec setup, so
 * the container's word needs no decoding to check (the frame count below; ffmpeg's stream probe in split). */
export function hasSampleTables(container: string): boolean {
  return /mov|mp4/.test(container);
}

/** One stream's packets in presentation order, times relative to the file's start. */
export interface StreamPackets {
  timesSeconds: number[];
  durationsSeconds: number[];
  sizesBytes: number[];
  keyframe: boolean[];
  /** Packets an MP4 edit list hides before the first presented frame (flag D): never frames of the video,
   * but a stream copy into another container carries them, and its decoder shows them. */
  hiddenBefore?: number;
  /** Per frame: a keyframe that opens an open GOP (frames stored after it are shown before it, and need
   * the GOP before to decode). Absent when there is none. A stream copy cannot cut there. */
  openGop?: boolean[];
}

/** The probe's full result: the record's summary plus the per-frame lists the planners use. */
export interface Probe {
  summary: SourceSummary;
  formatStartSeconds: number;
  video: StreamPackets;
  /** Span of the video stream (first frame to end of last frame), seconds. */
  videoDurationSeconds: number;
  /** Span of the first audio stream, seconds; null without audio. */
  audioDurationSeconds: number | null;
  /** First audio time, on the same clock as the video's times; null without audio. */
  audioStartSeconds?: number | null;
  /** Longest gap between consecutive frames: the "one frame" tolerance for VFR sources. */
  maxFrameIntervalSeconds: number;
}

/** ffprobe's JSON for `-show_format -show_streams` (readStreams). */
interface FfprobeJson {
  streams?: ListedStream[];
  format?: ListedFormat;
}

const num = (value: string | undefined): number => (value === undefined || value === 'N/A' ? NaN : Number(value));

/** First presentation time to the end of the last packet; a missing last duration is taken as the median gap. */
export function streamSpanSeconds(packets: StreamPackets): number {
  const times = packets.timesSeconds;
  const n = times.length;
  if (n === 0) return 0;
  // a typed array sorts numerically without a comparator call per pair (times are finite: NaN never gets here)
  const gaps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) gaps[i - 1] = (times[i] as number) - (times[i - 1] as number);
  gaps.sort();
  const medianGap = gaps.length ? (gaps[Math.floor(gaps.length / 2)] ?? 0) : 0;
  const lastDuration = packets.durationsSeconds[n - 1];
  const tail = lastDuration !== undefined && Number.isFinite(lastDuration) && lastDuration > 0 ? lastDuration : medianGap;
  return (times[n - 1] ?? 0) + tail - (times[0] ?? 0);
}

// What ffprobe says of a file whose end is missing: packets past the end, or an MP4 without its index (but
// a text file named .mp4 gets "moov atom not found" too, so that one needs the MP4 signature as well).
const TRUNCATED = /partial file|End of file/;
const MP4_WITHOUT_INDEX = /moov atom not found/;

/** True when the file starts as an ISO-BMFF (MP4/MOV) file does: a box of type 'ftyp'. */
function startsAsMp4(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(8);
      readSync(fd, head, 0, 8, 0);
      return head.subarray(4, 8).toString('latin1') === 'ftyp';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** ffprobe's error lines as one clause, without the path and component prefixes. */
function ffprobeSays(tail: string, input: string): string {
  return [...new Set(ffmpegLines(tail, input))].slice(-3).join('; ');
}

async function ffprobe(binaries: Binaries, args: string[], input: string): Promise<string> {
  const outcome = await runProcess(binaries.ffprobe.path, ['-v', 'error', ...args, input], { keepStdout: true, timeoutMs: 600_000 });
  const says = ffprobeSays(outcome.stderrTail, input);
  if (TRUNCATED.test(outcome.stderrTail) || (MP4_WITHOUT_INDEX.test(outcome.stderrTail) && startsAsMp4(input))) {
    throw new ChunkbenchError(`--input ${input}: the file is truncated (ffprobe: ${says}); give the complete file`);
  }
  if (!succeeded(outcome)) {
    throw new ChunkbenchError(`--input ${input}: not a media file ffprobe can read (${says || `ffprobe exit code ${outcome.exitCode}`})`);
  }
  return outcome.stdout;
}

const ENTRIES = 'packet=stream_index,pts_time,dts_time,duration_time,size,flags:stream=index,codec_type,codec_name,width,height,nb_frames,nb_read_frames,avg_frame_rate:stream_tags=rotate:stream_side_data_list:format=format_name,start_time,duration';

/** Streams, format and every packet in one ffprobe process (each spawn costs the harness CPU); with
 * `countFrames`, also the decoded frame count of each stream (nb_read_frames). */
export async function probeAll(binaries: Binaries, input: string, countFrames: boolean): Promise<Listing> {
  return parseListing(await ffprobe(binaries, [...(countFrames ? ['-count_frames'] : []), '-show_entries', ENTRIES, '-of', LISTING_FORMAT], input));
}

/** Counts the frames of the first video stream by decoding it. */
export async function countDecodedFrames(binaries: Binaries, input: string): Promise<number> {
  const text = await ffprobe(binaries, ['-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0'], input);
  // parseInt: ffprobe ≥ 5 prints "330," for a stream with side data (a rotated phone clip)
  return Number.parseInt(text.trim().split('\n')[0] ?? '', 10);
}

/** Reads the streams and format as JSON (no packets). */
export async function readStreams(binaries: Binaries, input: string): Promise<FfprobeJson> {
  return JSON.parse(await ffprobe(binaries, ['-print_format', 'json', '-show_format', '-show_streams'], input)) as FfprobeJson;
}

/** Probes a source file; throws a one-line ChunkbenchError for anything that is not a usable video. */
export async function probe(binaries: Binaries, input: string): Promise<Probe> {
  const listing = await probeAll(binaries, input, false);
  const { streams, packets } = listing;
  const video = streams.find((s) => s.codec_type === 'video');
  const audio = streams.filter((s) => s.codec_type === 'audio');
  if (streams.length === 0 && !(num(listing.format.duration) > 0)) {
    throw new ChunkbenchError(`--input ${input}: zero duration: the container holds no streams; expected a video with at least one frame`);
  }
  if (!video) {
    const found = streams.map((s) => `${s.codec_type} ${s.codec_name}`).join(', ') || 'no streams';
    throw new ChunkbenchError(`--input ${input}: no video stream (found: ${found}); expected a file with a video stream`);
  }
  const formatStartSeconds = Number.isFinite(num(listing.format.start_time)) ? num(listing.format.start_time) : 0;
  const videoPackets = packets.get(video.index);
  if (!videoPackets || videoPackets.timesSeconds.length === 0) {
    throw new ChunkbenchError(`--input ${input}: the video stream has no frames (zero duration); expected a video with at least one frame`);
  }
  const container = listing.format.format_name ?? 'unknown';
  const containerCount = Number(video.nb_frames);
  // MP4's sample count includes samples an edit list cuts off (seen: a VFR file with 90 samples decodes to
  // 89 frames), so it is trusted only when it agrees with the packets that are actually presented
  const trusted = hasSampleTables(container) && containerCount === videoPackets.timesSeconds.length;
  const frameCount = trusted ? containerCount : await countDecodedFrames(binaries, input);
  if (!(frameCount > 0)) {
    throw new ChunkbenchError(`--input ${input}: no decodable video frames; expected a video with at least one frame`);
  }
  const times = videoPackets.timesSeconds;
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
  const maxGap = gaps.length ? Math.max(...gaps) : 0;
  const minGap = gaps.length ? Math.min(...gaps) : 0;
  const videoDurationSeconds = streamSpanSeconds(videoPackets);
  const firstAudio = audio[0] ? packets.get(audio[0].index) : undefined;
  // a phone's display rotation (ffmpeg exports the display matrix as this tag too); 0–359
  const rotationDegrees = listedRotation(video);
  return {
    formatStartSeconds,
    video: videoPackets,
    videoDurationSeconds,
    audioDurationSeconds: firstAudio ? streamSpanSeconds(firstAudio) : null,
    audioStartSeconds: firstAudio?.timesSeconds[0] ?? null,
    maxFrameIntervalSeconds: maxGap || videoDurationSeconds,
    summary: {
      path: input,
      sizeBytes: statSync(input).size,
      videoBytes: videoPackets.sizesBytes.reduce((sum, b) => sum + b, 0),
      container,
      durationSeconds: num(listing.format.duration) || videoDurationSeconds,
      videoCodec: video.codec_name ?? 'unknown',
      width: video.width ?? 0,
      height: video.height ?? 0,
      fps: frameCount / (videoDurationSeconds || 1),
      // a tolerance of 1 ms absorbs millisecond-rounded container timestamps (Matroska)
      variableFrameRate: maxGap - minGap > 0.0015,
      frameCount,
      frameCountFrom: trusted ? 'container' : 'decoded',
      keyframeCount: videoPackets.keyframe.filter(Boolean).length,
      audioStreams: audio.length,
      audioCodec: audio[0]?.codec_name ?? null,
      ...(rotationDegrees ? { rotationDegrees } : {}),
    },
  };
}

/** A listed stream's display rotation, 0–359. */
export function listedRotation(video: ListedStream): number {
  return rotationOf({
    ...(video['tag:rotate'] === undefined ? {} : { tags: { rotate: video['tag:rotate'] } }),
    // ffprobe ≥ 5 exports only the display matrix (side data): the listing asks for `stream_side_data_list`,
    // which ffprobe 4.0 also accepts (it refuses `stream_side_data`)
    ...(video.rotation === undefined ? {} : { side_data_list: [{ rotation: Number(video.rotation) }] }),
  });
}

/** Display rotation in degrees, 0–359: the `rotate` tag, or the display matrix (which ffprobe gives
 * turned the other way: a `rotate` of 90 is a matrix rotation of -90). */
export function rotationOf(stream: { tags?: { rotate?: string }; side_data_list?: { rotation?: number }[] } | undefined): number {
  const tag = Number(stream?.tags?.rotate);
  const matrix = stream?.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  const degrees = Number.isFinite(tag) && stream?.tags?.rotate !== undefined ? tag : matrix === undefined ? 0 : -matrix;
  return ((Math.round(degrees) % 360) + 360) % 360;
}
