// What a video's content costs to encode, from the run records of one ffmpeg doing the whole job (`single`):
// the ms of one core per frame (its ffmpeg CPU — decode and encode — over the source's frames) and the
// source's bits per pixel (its video packets over its pixels). The report's content section and
// bench:pipeline state both; they are defined once here. Pure.
import type { RunRecord } from '../pipeline/types.ts';
import { nonNegativeMean } from '../stats/describe.ts';

export interface ContentCost {
  msPerFrame: number;
  /** 95% t-interval of msPerFrame over the runs (the point itself with one run). */
  msPerFrameCi: { lo: number; hi: number };
  /** Null for records from before the probe summed the video packets. */
  bitsPerPixel: number | null;
}

/** The cost of the content behind `singleRecords` (successful runs of one single configuration); null without any. */
export function contentCost(singleRecords: readonly RunRecord[]): ContentCost | null {
  const source = singleRecords[0]?.source;
  if (!source || !source.frameCount) return null;
  const pixels = source.frameCount * source.width * source.height;
  const perFrame = nonNegativeMean(singleRecords.map((r) => r.ffmpegCpuMs / source.frameCount));
  return { msPerFrame: perFrame.value, msPerFrameCi: { lo: perFrame.lo, hi: perFrame.hi }, bitsPerPixel: source.videoBytes && pixels ? (source.videoBytes * 8) / pixels : null };
}
