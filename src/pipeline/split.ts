// split: where the chunks begin and end. Both plans are pure functions of the probe's frame list, so the
// record says exactly which frames each chunk holds before any ffmpeg runs.
//   exact: a chunk starts at the first frame at or after k × segment; each chunk later decodes its own
//          frame range from the source (no intermediate files).
//   copy : the segment muxer with stream copy can only cut at keyframes, so a chunk starts at the first
//          keyframe at or after k × segment and the real lengths differ from the nominal one.
import { join } from 'node:path';
import type { Binaries } from '../ffmpeg/binaries.ts';
import { describeFailure, runProcess, succeeded, type ProcessOutcome } from '../ffmpeg/exec.ts';
import { COMMON_ARGS } from './encode.ts';
import type { StreamPackets } from './probe.ts';
import type { Segment, SplitStrategy } from './types.ts';

/** First index i ≥ from with times[i] ≥ target (times sorted), or times.length. */
function firstAtOrAfter(times: number[], target: number, from: number, accept: (i: number) => boolean = () => true): number {
  for (let i = from; i < times.length; i++) if ((times[i] ?? 0) >= target - 1e-6 && accept(i)) return i;
  return times.length;
}

/** Start frames of every chunk for a strategy and nominal segment length. */
export function planStartFrames(video: StreamPackets, segmentSeconds: number, strategy: SplitStrategy): number[] {
  const times = video.timesSeconds;
  const t0 = times[0] ?? 0;
  const starts = [0];
  const accept = strategy === 'copy' ? (i: number) => video.keyframe[i] === true : undefined;
  for (let k = 1; ; k++) {
    const previous = starts[starts.length - 1] ?? 0;
    const next = firstAtOrAfter(times, t0 + k * segmentSeconds, previous + 1, accept);
    if (next >= times.length) break;
    // a long frame gap (VFR) or a long GOP can map several k to one frame: skip the duplicates
    if (next > previous) starts.push(next);
    // jump k past the chosen frame so a long GOP does not produce empty iterations forever
    k = Math.max(k, Math.floor(((times[next] ?? 0) - t0) / segmentSeconds + 1e-6));
  }
  return starts;
}

/** The chunks, with their frame ranges, times and the bytes each one reads. */
export function planSegments(video: StreamPackets, segmentSeconds: number, strategy: SplitStrategy): Segment[] {
  const times = video.timesSeconds;
  const n = times.length;
  const starts = planStartFrames(video, segmentSeconds, strategy);
  const lastEnd = (times[n - 1] ?? 0) + (Number.isFinite(video.durationsSeconds[n - 1]) ? (video.durationsSeconds[n - 1] ?? 0) : 0);
  return starts.map((startFrame, index) => {
    const endFrame = starts[index + 1] ?? n;
    const startSeconds = times[startFrame] ?? 0;
    const endSeconds = endFrame < n ? (times[endFrame] ?? 0) : lastEnd;
    // decoding starts at the keyframe at or before the chunk's first frame
    let from = startFrame;
    while (from > 0 && !video.keyframe[from]) from--;
    let inputBytes = 0;
    for (let i = from; i < endFrame; i++) inputBytes += video.sizesBytes[i] ?? 0;
    return { index, startFrame, frameCount: endFrame - startFrame, startSeconds, durationSeconds: endSeconds - startSeconds, inputBytes };
  });
}

/** Seek position for an exact chunk: halfway between its first frame and the one before, so rounding of
 * timestamps can never keep the previous frame or drop the first one. Null for the first chunk. */
export function exactSeekSeconds(video: StreamPackets, startFrame: number): number | null {
  if (startFrame === 0) return null;
  const before = video.timesSeconds[startFrame - 1] ?? 0;
  const first = video.timesSeconds[startFrame] ?? 0;
  return (before + first) / 2;
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
