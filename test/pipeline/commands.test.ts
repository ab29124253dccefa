import { describe, expect, it } from 'vitest';
import { chunkTask, wholeFileArgs } from '../../src/pipeline/commands.ts';
import { audioArgsFor, encoderArgs } from '../../src/pipeline/encode.ts';
import type { Segment } from '../../src/pipeline/types.ts';

const options = { codec: 'libx264' as const, preset: 'veryfast', crf: 23, filterGraph: 'gblur=sigma=2', filterKeepsFrames: true, threads: 1 };
const segment: Segment = { index: 3, startFrame: 90, frameCount: 30, startSeconds: 3, durationSeconds: 1, inputBytes: 10 };

/** The value after each occurrence of a flag, with its position. */
const occurrences = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [{ at: i, value: args[i + 1] }] : []));

describe('thread control', () => {
  it('limits decoder (before -i), filter graph and encoder (after -i) in a chunk command', () => {
    const { args } = chunkTask(segment, { path: '/src.mp4', seekSeconds: 2.98, limitFrames: true }, options, '/work', 2);
    const input = args.indexOf('-i');
    const threads = occurrences(args, '-threads');
    expect(threads.filter((t) => t.at < input).map((t) => t.value)).toEqual(['1']);
    expect(threads.filter((t) => t.at > input).map((t) => t.value)).toEqual(['1']);
    expect(occurrences(args, '-filter_threads')[0]?.value).toBe('1');
    expect(occurrences(args, '-filter_complex_threads')[0]?.value).toBe('1');
  });

  it('gives single the same limit and filter as the chunks, and single-mt none at all', () => {
    const single = wholeFileArgs('/src.mp4', 'aac', '/out.mp4', options, 1, 2);
    expect(occurrences(single, '-threads').map((t) => t.value)).toEqual(['1', '1']);
    expect(occurrences(single, '-vf')[0]?.value).toBe('gblur=sigma=2');
    const mt = wholeFileArgs('/src.mp4', 'aac', '/out.mp4', options, 'auto', 2);
    expect(mt).not.toContain('-threads');
    expect(mt).not.toContain('-filter_threads');
    expect(occurrences(mt, '-preset')[0]?.value).toBe('veryfast');
  });

  it('sizes x265 pools and libvpx row-mt from the limit', () => {
    expect(encoderArgs('libx265', 'fast', 28, 1, 2)).toEqual(['-c:v', 'libx265', '-preset', 'fast', '-crf', '28', '-x265-params', 'log-level=error:pools=1:frame-threads=1', '-threads', '1']);
    expect(encoderArgs('libvpx-vp9', 'veryfast', 33, 1, 2)).toEqual(['-c:v', 'libvpx-vp9', '-deadline', 'good', '-cpu-used', '5', '-crf', '33', '-b:v', '0', '-threads', '1', '-row-mt', '0']);
    expect(encoderArgs('libvpx-vp9', 'veryfast', 33, 'auto', 4)).toContain('-row-mt');
  });
});

describe('chunk command', () => {
  it('seeks to a keyframe without the accurate seek when the chunk starts on one, and with it otherwise', () => {
    const { args } = chunkTask(segment, { path: '/src.mp4', seekSeconds: 3.138768, seekToKeyframe: true, limitFrames: true }, options, '/work', 2);
    expect(args.slice(args.indexOf('-noaccurate_seek'), args.indexOf('-noaccurate_seek') + 5)).toEqual(['-noaccurate_seek', '-ss', '3.138768', '-i', '/src.mp4']);
    expect(chunkTask(segment, { path: '/src.mp4', seekSeconds: 2.98, limitFrames: true }, options, '/work', 2).args).not.toContain('-noaccurate_seek');
  });

  it('keeps a keyframe-seek chunk\'s frames by timestamp ahead of every other filter, and can skip the stream probe', () => {
    const input = { path: '/src.mp4', seekSeconds: 3.138768, seekToKeyframe: true, keep: { fromSeconds: -0.155435, beforeSeconds: 0.844565 }, skipStreamProbe: true, limitFrames: true };
    const { args } = chunkTask(segment, input, options, '/work', 2);
    expect(occurrences(args, '-vf')[0]?.value).toBe('select=gte(t\\,-0.155435)*lt(t\\,0.844565),setpts=PTS-STARTPTS,gblur=sigma=2');
    expect(args.indexOf('-nofind_stream_info')).toBe(args.indexOf('-i') - 1);
    const last = chunkTask(segment, { ...input, keep: { fromSeconds: -0.155435, beforeSeconds: null } }, options, '/work', 2).args;
    expect(occurrences(last, '-vf')[0]?.value).toBe('select=gte(t\\,-0.155435),setpts=PTS-STARTPTS,gblur=sigma=2');
  });

  it('seeks, takes exactly the planned frames, restarts timestamps, keeps every frame, and drops audio', () => {
    const task = chunkTask(segment, { path: '/src.mp4', seekSeconds: 2.983333, limitFrames: true }, options, '/work', 2);
    const { args } = task;
    expect(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 4)).toEqual(['-ss', '2.983333', '-i', '/src.mp4']);
    expect(occurrences(args, '-frames:v')[0]?.value).toBe('30');
    expect(occurrences(args, '-vf')[0]?.value).toBe('setpts=PTS-STARTPTS,gblur=sigma=2');
    expect(occurrences(args, '-vsync')[0]?.value).toBe('passthrough');
    expect(args).toContain('-an');
    expect(args).toContain('-benchmark');
    expect(task.outputPath).toBe('/work/chunk_00003.mp4');
    expect(task.expectedFrames).toBe(30);
  });

  it('does not check frame counts when a raw filter may change the rate', () => {
    expect(chunkTask(segment, { path: '/s', seekSeconds: null, limitFrames: true }, { ...options, filterKeepsFrames: false }, '/w', 2).expectedFrames).toBeNull();
  });
});

describe('audio at merge', () => {
  it('copies audio the container accepts and encodes it once otherwise', () => {
    expect(audioArgsFor('mp4', 'aac')).toEqual(['-c:a', 'copy']);
    expect(audioArgsFor('mp4', 'opus')).toEqual(['-c:a', 'aac', '-b:a', '192k']);
    expect(audioArgsFor('webm', 'aac')).toEqual(['-c:a', 'libopus', '-b:a', '128k']);
    expect(audioArgsFor('mkv', 'opus')).toEqual(['-c:a', 'copy']);
    expect(audioArgsFor('mp4', null)).toEqual([]);
  });
});
