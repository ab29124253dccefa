// split: where the chunks begin and end. Both plans are pure functions of the probe's frame list, so the
// record says exactly which frames each chunk holds before any ffmpeg runs.
//   exact: a chunk starts at the keyframe nearest to k × segment when one lies within a quarter of a
//          segment of it, else at the first frame at or after k × segment; each chunk later decodes its
//          own frame range from the source (no intermediate files). A chunk that starts on a keyframe is
//          reached by a keyframe seek and decodes nothing it throws away; one that starts between
//          keyframes must decode from the keyframe before and drop those frames. On the default fixture
//          (5 s segments, 2 s GOP) the old plan decoded 45 frames per chunk in vain, 3-7% more ffmpeg CPU
//          than one ffmpeg over the file; the snapped plan decodes none.
//   copy : the segment muxer with stream copy can only cut at keyframes, so a chunk starts at the first
//          keyframe at or after k × segment and the real lengths differ from the nominal one.
import { join } from 'node:path';
import type { Binaries } from '../ffmpeg/binaries.ts';
import { describeFailure, runProcess, succeeded, type ProcessOutcome } from '../ffmpeg/exec.ts';
import { COMMON_ARGS } from './encode.ts';
import type { ChunkInput } from './commands.ts';
import { hasSampleTables, type StreamPackets } from './probe.ts';
import type { Segment, SplitStrategy } from './types.ts';

/** First index i ≥ from with times[i] ≥ target (times sorted), or times.length. */
function firstAtOrAfter(times: number[], target: number, from: number, accept: (i: number) => boolean = () => true): number {
  for (let i = from; i < times.length; i++) if ((times[i] ?? 0) >= target - 1e-6 && accept(i)) return i;
  return times.length;
}

/** Index of the keyframe (from `from` on) nearest to `target` within ± `window` seconds, or null. Ties go
 * to the earlier one. */
export function nearestKeyframe(video: StreamPackets, target: number, window: number, from: number): number | null {
  let best: number | null = null;
  for (let i = from; i < video.timesSeconds.length; i++) {
    const t = video.timesSeconds[i] ?? 0;
    if (t > target + window + 1e-6) break;
    if (!video.keyframe[i] || t < target - window - 1e-6) continue;
    if (best === null || Math.abs(t - target) < Math.abs((video.timesSeconds[best] ?? 0) - target) - 1e-9) best = i;
  }
  return best;
}

/** Start frames of every chunk for a strategy and nominal segment length. */
export function planStartFrames(video: StreamPackets, segmentSeconds: number, strategy: SplitStrategy): number[] {
  const times = video.timesSeconds;
  const t0 = times[0] ?? 0;
  const starts = [0];
  // a stream copy cuts at a keyframe, and only at one whose GOP is closed: an open GOP's first frames are
  // stored after its keyframe but shown before it, so a cut there takes them from the chunk they belong to
  const accept = strategy === 'copy' ? (i: number) => video.keyframe[i] === true && video.openGop?.[i] !== true : undefined;
  for (let k = 1; ; k++) {
    const previous = starts[starts.length - 1] ?? 0;
    const target = t0 + k * segmentSeconds;
    const nominal = firstAtOrAfter(times, target, previous + 1, accept);
    // past the last frame there is no cut to move: a keyframe just before the end must not start a chunk
    if (nominal >= times.length) break;
    const snapped = strategy === 'exact' ? nearestKeyframe(video, target, segmentSeconds / 4, previous + 1) : null;
    const next = snapped ?? nominal;
    // a long frame gap (VFR) or a long GOP can map several k to one frame: skip the duplicates
    if (next > previous) starts.push(next);
    // jump k past the chosen frame so a long GOP does not produce empty iterations forever
    k = Math.max(k, Math.floor(((times[next] ?? 0) - t0) / segmentSeconds + 1e-6));
  }
  return starts;
}

/** Containers whose demuxer seeks through an index of keyframes (MP4/MOV sample tables, Matroska cues),
 * so that a seek lands on the keyframe asked for. Others (MPEG-TS, raw streams) search by timestamps and
 * only ever get the accurate seek. */
export function seeksByIndex(container: string): boolean {
  return /mov|mp4|matroska|webm/.test(container);
}

/** How an exact chunk reaches its first frame. */
export interface ExactSeek {
  seconds: number;
  /** true: the first frame is a keyframe and the container is indexed, so ffmpeg seeks to it and decodes
   * from it without dropping anything (`-noaccurate_seek`); false: ffmpeg decodes from the keyframe
   * before and drops frames up to `seconds` (its default accurate seek). */
  keyframe: boolean;
}

/** ffmpeg's own back-off: for a container that does not seek by PTS, with a stream that has B-frames, it
 * seeks to the asked time minus 3/23 s (fftools: `seek_timestamp -= 3*AV_TIME_BASE / 23`), so that the DTS
 * of the wanted frame is not missed. A keyframe seek must ask for that much later to land on its keyframe
 * rather than the one before. */
export const FFMPEG_SEEK_BACKOFF_SECONDS = 3 / 23;

/** Seek for an exact chunk, null for the first. On an indexed keyframe: ffmpeg's back-off plus a quarter
 * of a frame after it, so the backward seek lands on it whether or not ffmpeg backs off (the next keyframe
 * must be further on than that, else the accurate seek is used). Otherwise halfway between the chunk's
 * first frame and the one before, so rounding of timestamps can never keep the previous frame or drop the
 * first one. */
export function exactSeek(video: StreamPackets, startFrame: number, indexed: boolean): ExactSeek | null {
  if (startFrame === 0) return null;
  const times = video.timesSeconds;
  const first = times[startFrame] ?? 0;
  if (indexed && video.keyframe[startFrame]) {
    const next = times[startFrame + 1];
    const seconds = first + FFMPEG_SEEK_BACKOFF_SECONDS + (next === undefined ? 0.001 : (next - first) / 4);
    let nextKeyframe = startFrame + 1;
    while (nextKeyframe < times.length && !video.keyframe[nextKeyframe]) nextKeyframe++;
    // the next keyframe's DTS may precede its PTS by a few frames: keep a margin of 0.1 s beyond the seek
    const clear = nextKeyframe >= times.length || (times[nextKeyframe] ?? 0) > seconds + 0.1;
    if (clear) return { seconds, keyframe: true };
  }
  const before = times[startFrame - 1] ?? 0;
  return { seconds: (before + first) / 2, keyframe: false };
}

/** The chunks, with their frame ranges, times, the bytes each one reads and the frames it decodes only to
 * reach its start. `container` (the probe's format name) says whether exact chunks can seek to a keyframe. */
export function planSegments(video: StreamPackets, segmentSeconds: number, strategy: SplitStrategy, container: string): Segment[] {
  const times = video.timesSeconds;
  const n = times.length;
  const starts = planStartFrames(video, segmentSeconds, strategy);
  const lastEnd = (times[n - 1] ?? 0) + (Number.isFinite(video.durationsSeconds[n - 1]) ? (video.durationsSeconds[n - 1] ?? 0) : 0);
  return starts.map((startFrame, index) => {
    const endFrame = starts[index + 1] ?? n;
    const startSeconds = times[startFrame] ?? 0;
    const endSeconds = endFrame < n ? (times[endFrame] ?? 0) : lastEnd;
    // an exact chunk decodes from the keyframe its seek lands on: its own first frame after a keyframe
    // seek, else the last keyframe before the accurate seek's time less ffmpeg's back-off (an estimate:
    // the back-off applies only to streams with B-frames, and demuxers compare DTS)
    let from = startFrame;
    const seek = strategy === 'exact' ? exactSeek(video, startFrame, seeksByIndex(container)) : null;
    if (seek && !seek.keyframe) {
      while (from > 0 && (!video.keyframe[from] || (times[from] ?? 0) > seek.seconds - FFMPEG_SEEK_BACKOFF_SECONDS)) from--;
    }
    let inputBytes = 0;
    for (let i = from; i < endFrame; i++) inputBytes += video.sizesBytes[i] ?? 0;
    return { index, startFrame, frameCount: endFrame - startFrame, startSeconds, durationSeconds: endSeconds - startSeconds, inputBytes, leadInFrames: startFrame - from };
  });
}

/** What an exact chunk reads: the source, from its seek, for its planned frame count. A keyframe seek
 * replaces ffmpeg's accurate seek, so the chunk also keeps its own frames by timestamp (see `keep`): a
 * seek that lands elsewhere than planned cannot pass off other frames as the chunk's.
 *
 * Where the seek is measured from. The plan's times count from the file's start (the format's start_time,
 * `formatStartSeconds`), and ffmpeg adds that start to `-ss` — but only when it has probed the streams:
 * with `-nofind_stream_info` (MP4/MOV, whose tables make the probe unneeded) it does not know the start
 * and takes `-ss` on the file's own clock. Camera files rarely start at 0 (a first frame at 0.033 s, AAC
 * priming before it): there the chunk began one frame early, with the right count and the wrong frames.
 * So without the probe the seek is given on the file's own clock; the keep window is relative to the seek
 * either way. */
export function exactChunkInput(path: string, video: StreamPackets, container: string, segment: Pick<Segment, 'startFrame' | 'frameCount'>, formatStartSeconds = 0): ChunkInput {
  const seek = exactSeek(video, segment.startFrame, seeksByIndex(container));
  const skipStreamProbe = hasSampleTables(container);
  return {
    path,
    seekSeconds: seek ? seek.seconds + (skipStreamProbe ? formatStartSeconds : 0) : null,
    seekToKeyframe: seek?.keyframe ?? false,
    ...(seek?.keyframe ? { keep: keepWindow(video, segment, seek.seconds) } : {}),
    skipStreamProbe,
    limitFrames: true,
  };
}

/** The chunk's frames as a window of timestamps relative to `seekSeconds`, cut halfway between frames. */
export function keepWindow(video: StreamPackets, segment: Pick<Segment, 'startFrame' | 'frameCount'>, seekSeconds: number): { fromSeconds: number; beforeSeconds: number | null } {
  const times = video.timesSeconds;
  const first = times[segment.startFrame] ?? 0;
  const before = times[segment.startFrame - 1];
  const end = segment.startFrame + segment.frameCount;
  const last = times[end - 1] ?? first;
  const next = times[end];
  return {
    fromSeconds: (before === undefined ? first - 0.001 : (before + first) / 2) - seekSeconds,
    beforeSeconds: next === undefined ? null : (last + next) / 2 - seekSeconds,
  };
}

/** Segment file name for a copy split. */
export function segmentFile(dir: string, index: number): string {
  return join(dir, `seg_${String(index).padStart(5, '0')}.mkv`);
}

/** Runs the segment muxer with stream copy at the planned keyframes; Matroska holds any codec. */
export async function runCopySplit(
  binaries: Binaries,
  input: string,
  segments: Segment[],
  video: StreamPackets,
  dir: string,
  signal?: AbortSignal,
): Promise<{ outcome: ProcessOutcome; files: string[]; error?: string }> {
  // Cut a quarter of the shortest gap before each planned keyframe: the muxer cuts at the first keyframe at
  // or after each time, which is then exactly the planned one.
  const gaps = video.timesSeconds.slice(1).map((t, i) => t - (video.timesSeconds[i] ?? t));
  const margin = (gaps.length ? Math.min(...gaps) : 0.001) / 4;
  const cutTimes = segments.slice(1).map((s) => (s.startSeconds - margin).toFixed(6));
  const args = [
    ...COMMON_ARGS,
    '-i', input,
    '-map', '0:v:0', '-c', 'copy', '-an', '-sn', '-dn',
    '-f', 'segment', '-segment_format', 'matroska', '-reset_timestamps', '1',
    ...(cutTimes.length ? ['-segment_times', cutTimes.join(',')] : ['-segment_time', '1000000000']),
    join(dir, 'seg_%05d.mkv'),
  ];
  const outcome = await runProcess(binaries.ffmpeg.path, args, { signal });
  const files = segments.map((s) => segmentFile(dir, s.index));
  if (!succeeded(outcome)) return { outcome, files, error: `split failed (${describeFailure(outcome)}): ${outcome.stderrTail.split('\n').pop() ?? ''}` };
  return { outcome, files };
}

/** One line when a copy split had to leave keyframes out (open GOPs), null otherwise. */
export function copySplitNote(video: StreamPackets): string | null {
  const open = video.openGop?.filter(Boolean).length ?? 0;
  if (!open) return null;
  const keyframes = video.keyframe.filter(Boolean).length;
  return `copy split: ${open} of ${keyframes} keyframes open a GOP (frames shown before them are stored after them), so no chunk starts there and chunks may be longer than --segment; --split exact cuts anywhere`;
}
