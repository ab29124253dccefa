// The ffmpeg command lines of the process stage, as pure functions of the plan and options, so tests can
// check that every mode gets the same filter, preset and thread limit without running anything.
import { join } from 'node:path';
import type { ChunkTask } from '../executors/types.ts';
import {
  audioArgsFor,
  COMMON_ARGS,
  containerOf,
  decoderThreadArgs,
  defaultExtension,
  encoderArgs,
  filterThreadArgs,
  PASSTHROUGH_ARGS,
  type ThreadLimit,
} from './encode.ts';
import type { ResolvedPipelineOptions, Segment } from './types.ts';

/** Where one chunk reads its frames from: a copy-split segment file, or the source with a seek. */
export interface ChunkInput {
  path: string;
  /** Input seek for exact chunks (null: read from the start). */
  seekSeconds: number | null;
  /** The seek lands on the chunk's first frame, a keyframe: decode from there, drop nothing. */
  seekToKeyframe?: boolean;
  /** For a keyframe seek, the chunk's frames by timestamp, in seconds relative to the seek: frames before
   * `fromSeconds` (a seek that landed on an earlier keyframe) are dropped, frames from `beforeSeconds` on
   * (a seek that landed on a later one) are too, so the chunk comes up short and fails its frame count
   * instead of holding the wrong frames. Null `beforeSeconds`: the last chunk. */
  keep?: { fromSeconds: number; beforeSeconds: number | null };
  /** The container's own tables describe the stream fully (MP4/MOV): skip ffmpeg's probing by decoding,
   * which decodes the file's first frames only to throw them away (~8 ms of a 720p chunk's start). */
  skipStreamProbe?: boolean;
  /** Stop after the chunk's planned frame count. */
  limitFrames: boolean;
  /** Decoded frames to drop first: the first copy segment of a source whose edit list hides frames holds
   * them, and nothing in the segment says so. */
  dropFirstFrames?: number;
  /** Turns the pictures upright: a copy segment in Matroska has lost the source's display rotation, which
   * ffmpeg applies itself when it decodes the source (see `uprightFilter`). */
  upright?: string;
}

/** The filters ffmpeg's autorotate inserts for a display rotation of `degrees` (fftools, get_rotation):
 * the same pictures, whether a chunk reads the source or a copy segment. Empty for 0 or an odd angle. */
export function uprightFilter(degrees: number): string {
  return degrees === 90 ? 'transpose=clock' : degrees === 180 ? 'hflip,vflip' : degrees === 270 ? 'transpose=cclock' : '';
}

/** The select expression that keeps a chunk's frames by timestamp (commas escaped for the filter graph). */
export function keepFilter(keep: NonNullable<ChunkInput['keep']>): string {
  const from = `gte(t\\,${keep.fromSeconds.toFixed(6)})`;
  return keep.beforeSeconds === null ? `select=${from}` : `select=${from}*lt(t\\,${keep.beforeSeconds.toFixed(6)})`;
}

type EncodeOptions = Pick<ResolvedPipelineOptions, 'codec' | 'preset' | 'crf' | 'filterGraph' | 'filterKeepsFrames' | 'threads'>;

function videoFilterArgs(graph: string): string[] {
  return graph ? ['-vf', graph] : [];
}

/** The ffmpeg command that turns one chunk's frames into one chunk file (video only). */
export function chunkTask(segment: Segment, input: ChunkInput, options: EncodeOptions, chunkDir: string, cores: number): ChunkTask {
  const outputPath = join(chunkDir, `chunk_${String(segment.index).padStart(5, '0')}.${defaultExtension(options.codec)}`);
  // timestamps restart at 0 in every chunk so that the concat demuxer lays them end to end
  const graph = [input.dropFirstFrames ? `select=gte(n\\,${input.dropFirstFrames})` : '', input.keep ? keepFilter(input.keep) : '', input.upright ?? '', 'setpts=PTS-STARTPTS', options.filterGraph].filter(Boolean).join(',');
  const args = [
    ...COMMON_ARGS,
    ...decoderThreadArgs(options.threads),
    ...(input.seekSeconds === null ? [] : [...(input.seekToKeyframe ? ['-noaccurate_seek'] : []), '-ss', input.seekSeconds.toFixed(6)]),
    ...(input.skipStreamProbe ? ['-nofind_stream_info'] : []),
    '-i', input.path,
    '-map', '0:v:0', '-an', '-sn', '-dn',
    ...(input.limitFrames ? ['-frames:v', String(segment.frameCount)] : []),
    ...videoFilterArgs(graph),
    ...filterThreadArgs(options.threads),
    ...encoderArgs(options.codec, options.preset, options.crf, options.threads, cores),
    ...PASSTHROUGH_ARGS,
    '-map_metadata', '-1',
    outputPath,
  ];
  return { index: segment.index, args, outputPath, expectedFrames: options.filterKeepsFrames ? segment.frameCount : null, durationSeconds: segment.durationSeconds };
}

/** One ffmpeg over the whole file, audio included: `single` (thread limit) or `single-mt` ('auto'). */
export function wholeFileArgs(source: string, sourceAudioCodec: string | null, output: string, options: EncodeOptions, threads: ThreadLimit, cores: number): string[] {
  return [
    ...COMMON_ARGS,
    ...decoderThreadArgs(threads),
    '-i', source,
    '-map', '0:v:0', '-map', '0:a?',
    ...videoFilterArgs(options.filterGraph),
    ...filterThreadArgs(threads),
    ...encoderArgs(options.codec, options.preset, options.crf, threads, cores),
    ...audioArgsFor(containerOf(output), sourceAudioCodec),
    ...PASSTHROUGH_ARGS,
    '-map_metadata', '-1',
    output,
  ];
}
