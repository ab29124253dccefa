// The pipeline on real ffmpeg: every mode and both split strategies are frame-exact.
// With lossless x264 (crf 0) the decoded output must be bit-identical, frame by frame, to the decoded
// source — a shifted chunk boundary (one frame doubled, one lost) changes the hashes even when counts match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBinaries } from '../../src/ffmpeg/binaries.ts';
import { localExecutor } from '../../src/executors/local.ts';
import type { ChunkExecutor } from '../../src/executors/types.ts';
import { ensureFixture } from '../../src/fixtures/index.ts';
import { runProcess } from '../../src/ffmpeg/exec.ts';
import { chunkTask, type ChunkInput } from '../../src/pipeline/commands.ts';
import { probe } from '../../src/pipeline/probe.ts';
import { pipeline } from '../../src/pipeline/run.ts';
import { exactChunkInput, keepWindow } from '../../src/pipeline/split.ts';
import type { Mode, SplitStrategy } from '../../src/pipeline/types.ts';
import { frameHashes, minFramePsnr, tempDir } from '../helpers.ts';

const work = tempDir();
let tiny = '';
let sourceHashes: string[] = [];

beforeAll(async () => {
  tiny = await ensureFixture('tiny');
  sourceHashes = await frameHashes(tiny);
});
afterAll(() => work.remove());

describe('every mode and split strategy on the tiny fixture', () => {
  const cases: [Mode, SplitStrategy][] = [
    ['chunked', 'exact'],
    ['chunked', 'copy'],
    ['sequential', 'exact'],
    ['sequential', 'copy'],
    ['single', 'exact'],
    ['single-mt', 'exact'],
  ];
  it.each(cases)('%s with %s split: verified and frame-identical to the source', async (mode, split) => {
    const out = `${work.dir}/${mode}-${split}.mp4`;
    const record = await pipeline({ input: tiny, mode, split, workers: 2, segmentSeconds: 1.5, crf: 0, out, workDir: work.dir });
    expect(record.state, record.error?.message).toBe('ok');
    expect(record.verification?.ok).toBe(true);
    expect(record.verification?.checks.map((c) => c.name)).toEqual(['frame-count', 'video-duration', 'audio-duration', 'av-offset', 'display-size', 'stream-layout']);
    expect(await frameHashes(out)).toEqual(sourceHashes);
    // every frame is in exactly one chunk, and the chunks wrote what was planned
    expect(record.chunks.reduce((sum, c) => sum + (c.framesOut ?? 0), 0)).toBe(sourceHashes.length);
    expect(record.output?.bytes).toBeGreaterThan(0);
    expect(record.binaries.ffmpeg.version).toMatch(/^ffmpeg version/);
    // the per-run temp directory is gone; only the output is left
    expect(work.entries().filter((name) => name.startsWith('chunkbench-'))).toEqual([]);
  });

  it('records per-chunk worker, timing, CPU and bytes for a chunked run', async () => {
    const record = await pipeline({ input: tiny, mode: 'chunked', split: 'exact', workers: 2, segmentSeconds: 1, workDir: work.dir });
    expect(record.state).toBe('ok');
    expect(record.segments.map((s) => s.frameCount)).toEqual([30, 30, 30, 30]);
    expect(new Set(record.chunks.map((c) => c.workerId))).toEqual(new Set([0, 1]));
    for (const chunk of record.chunks) {
      expect(chunk.endMs).toBeGreaterThan(chunk.startMs);
      expect(chunk.utimeMs).toBeGreaterThan(0);
      expect(chunk.rtimeMs).toBeGreaterThan(0);
      expect(chunk.maxrssKb).toBeGreaterThan(0);
      expect(chunk.inputBytes).toBeGreaterThan(0);
      expect(chunk.outputBytes).toBeGreaterThan(0);
      expect(chunk.exitCode).toBe(0);
      expect(chunk.spawnToExitMs).toBeGreaterThanOrEqual(chunk.rtimeMs ?? Infinity);
    }
    expect(record.ffmpegCpuMs).toBeGreaterThan(0);
    expect(record.wallMs).toBeCloseTo(record.phases.probeMs + record.phases.splitMs + record.phases.processMs + record.phases.mergeMs, 6);
    // the record is plain data: it survives a JSON round trip unchanged
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('makes one chunk when the segment is longer than the video', async () => {
    const record = await pipeline({ input: tiny, segmentSeconds: 600, workDir: work.dir });
    expect(record.state).toBe('ok');
    expect(record.segments).toHaveLength(1);
  });

  it('applies a named filter to every chunk and still verifies', async () => {
    const record = await pipeline({ input: tiny, filter: 'scale', segmentSeconds: 1, workDir: work.dir, out: `${work.dir}/scaled.mp4` });
    expect(record.state, record.error?.message).toBe('ok');
    const hashes = await frameHashes(`${work.dir}/scaled.mp4`);
    expect(hashes).toHaveLength(sourceHashes.length);
  });
});

describe('--segment auto', () => {
  it('chooses after the probe, records its choice, and is frame-identical to the source', async () => {
    const out = `${work.dir}/auto.mp4`;
    const record = await pipeline({ input: tiny, mode: 'chunked', split: 'exact', workers: 2, segmentSeconds: 'auto', crf: 0, out, workDir: work.dir });
    expect(record.state, record.error?.message).toBe('ok');
    expect(record.config.segmentSeconds).toBe('auto');
    const choice = record.segmentChoice;
    expect(choice).toMatchObject({ chunks: 2, waves: 1, bound: 'model' });
    // the video stream's span: 120 frames at 30 fps
    expect(choice?.inputs.durationSeconds).toBeCloseTo(4, 6);
    expect(choice?.segmentSeconds).toBeCloseTo(2, 6);
    expect(choice?.inputs).toMatchObject({ workers: 2, workSecondsPerVideoSecond: 0.083, perChunkSeconds: 0.052, chunkCv: 0.092 });
    expect(choice?.reason).toMatch(/^2 chunks of 2 s: one wave on 2 workers; a second wave would add [\d.]+ s of per-chunk cost and save [\d.]+ s of imbalance\.$/);
    // the planner cut where the chooser said, on the fixture's 1 s keyframe grid
    expect(record.segments.map((s) => [s.startFrame, s.frameCount])).toEqual([[0, 60], [60, 60]]);
    expect(record.verification?.ok).toBe(true);
    expect(await frameHashes(out)).toEqual(sourceHashes);
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('one wave of 1 s chunks on 4 workers (the floor), and one chunk on one worker', async () => {
    const four = await pipeline({ input: tiny, workers: 4, segmentSeconds: 'auto', workDir: work.dir });
    expect(four.state, four.error?.message).toBe('ok');
    expect(four.segmentChoice).toMatchObject({ chunks: 4, waves: 1 });
    expect(four.segments.map((s) => s.frameCount)).toEqual([30, 30, 30, 30]);
    const sequential = await pipeline({ input: tiny, mode: 'sequential', segmentSeconds: 'auto', workDir: work.dir });
    expect(sequential.state, sequential.error?.message).toBe('ok');
    expect(sequential.segmentChoice).toMatchObject({ chunks: 1, bound: 'one-worker' });
    expect(sequential.segments).toHaveLength(1);
  });

  it.each(['exact', 'copy'] as const)('a long-GOP camera clip with B-frames and open GOPs (cam-ntsc24), %s split: verified frame-exact', async (split) => {
    const input = await ensureFixture('cam-ntsc24');
    const record = await pipeline({ input, split, workers: 2, segmentSeconds: 'auto', workDir: work.dir });
    expect(record.state, record.error?.message).toBe('ok');
    expect(record.segmentChoice?.chunks).toBe(2);
    // the chooser decides a length; the planner cuts where the source allows: a copy split cannot cut at an
    // open GOP, and this clip has no closed one after its first, so it stays one chunk (and says why)
    if (split === 'exact') expect(record.segments).toHaveLength(2);
    else expect(record.segments.length === 2 || record.splitNote !== undefined).toBe(true);
    expect(record.verification?.checks.find((c) => c.name === 'frame-count')?.ok).toBe(true);
    expect(record.chunks.reduce((sum, c) => sum + (c.framesOut ?? 0), 0)).toBe(record.source?.frameCount);
  });
});

describe('keyframe seeks', () => {
  // segments as long as each fixture's GOP: every cut is on a keyframe, reached by a keyframe seek (after
  // ffmpeg's 3/23 s back-off for B-frame streams), with nothing decoded twice — and still frame-exact
  const cases: [string, number][] = [['tiny', 1], ['vfr', 1], ['longgop', 10], ['webm', 1]];
  it.each(cases)('%s, %s s segments: chunks start on keyframes, decode no lead-in, and the output is frame-identical', async (name, segmentSeconds) => {
    const input = await ensureFixture(name);
    const out = `${work.dir}/keyframes-${name}.mp4`;
    const record = await pipeline({ input, split: 'exact', workers: 2, segmentSeconds, crf: 0, codec: 'libx264', out, workDir: work.dir });
    expect(record.state, `${record.error?.message}`).toBe('ok');
    expect(record.segments.length).toBeGreaterThan(1);
    expect(record.segments.map((s) => s.leadInFrames)).toEqual(record.segments.map(() => 0));
    expect(await frameHashes(out)).toEqual(await frameHashes(input));
  });
});

describe('a keyframe seek that lands elsewhere cannot pass off other frames as the chunk\'s', () => {
  // tiny: 30 fps, a keyframe every second. The chunk is frames 60..89 (2 s to 3 s), lossless, so its
  // decoded frames must hash exactly like the source's frames 60..89
  const segment = { index: 2, startFrame: 60, frameCount: 30, startSeconds: 2, durationSeconds: 1, inputBytes: 0 };
  const encode = { codec: 'libx264' as const, preset: 'veryfast', crf: 0, filterGraph: '', filterKeepsFrames: true, threads: 1 };
  async function runChunk(name: string, input: ChunkInput) {
    const task = chunkTask(segment, input, encode, work.dir, 2);
    const outcome = await runProcess((await resolveBinaries()).ffmpeg.path, task.args);
    return { outcome, hashes: outcome.exitCode === 0 && outcome.framesOut ? await frameHashes(task.outputPath) : [], name };
  }

  it('lands on its keyframe when planned, and keeps exactly the chunk\'s frames when it lands a keyframe early', async () => {
    const source = await probe(await resolveBinaries(), tiny);
    const planned = exactChunkInput(tiny, source.video, source.summary.container, segment);
    expect(planned.seekToKeyframe).toBe(true);
    const want = sourceHashes.slice(60, 90);
    expect((await runChunk('planned', planned)).hashes).toEqual(want);
    // asking for 1.5 s: ffmpeg backs off to 1.37 s and lands on the keyframe at 1 s, 30 frames early
    const early: ChunkInput = { ...planned, seekSeconds: 1.5, keep: keepWindow(source.video, segment, 1.5) };
    expect((await runChunk('early', early)).hashes).toEqual(want);
    // the guard is what saves it: without it the chunk would start a second early and still have 30 frames
    const unguarded = await runChunk('unguarded', { ...early, keep: undefined });
    expect(unguarded.outcome.framesOut).toBe(30);
    expect(unguarded.hashes).toEqual(sourceHashes.slice(30, 60));
  });

  it('comes up short, and so fails its frame count, when it lands a keyframe late', async () => {
    const source = await probe(await resolveBinaries(), tiny);
    const planned = exactChunkInput(tiny, source.video, source.summary.container, segment);
    // asking for 3.2 s lands on the keyframe at 3 s, past the chunk's last frame
    const late = await runChunk('late', { ...planned, seekSeconds: 3.2, keep: keepWindow(source.video, segment, 3.2) });
    expect(late.outcome.framesOut ?? 0).toBe(0);
  });
});

describe('a chunk whose ffmpeg fails', () => {
  it('fails the run in the process stage, naming the chunk, and leaves no partial output or temp dir', async () => {
    const local = localExecutor(await resolveBinaries());
    // real ffmpeg, given an option it does not know for chunk 2 only
    const broken: ChunkExecutor = {
      name: 'local',
      run: (task, context) => local.run(task.index === 2 ? { ...task, args: ['-no_such_option', '1', ...task.args] } : task, context),
    };
    const out = `${work.dir}/broken.mp4`;
    const record = await pipeline({ input: tiny, segmentSeconds: 1, out, workDir: work.dir }, { executor: broken });
    expect(record.state).toBe('failed');
    expect(record.error?.stage).toBe('process');
    expect(record.error?.message).toMatch(/^chunk 2 \(2\.000–3\.000 s\) failed after 3 attempts: exit code \d+; ffmpeg said: .*no_such_option/);
    // retried twice (the default), each time on the other worker
    expect(record.chunks.find((c) => c.index === 2)?.attempts?.map((a) => a.workerId)).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
    expect(record.chunks.find((c) => c.index === 2)?.retries).toBe(2);
    expect(record.chunks.find((c) => c.index === 2)?.state).toBe('failed');
    expect(work.entries().filter((name) => name.includes('broken') || name.startsWith('chunkbench-'))).toEqual([]);
  });
});

describe('edge-case fixtures through chunked, both strategies', () => {
  const fixtures = ['noaudio', 'vfr', 'longgop', 'odd', 'webm'];
  const strategies: SplitStrategy[] = ['exact', 'copy'];
  it.each(fixtures.flatMap((f) => strategies.map((s) => [f, s] as const)))('%s with %s split', async (name, split) => {
    const input = await ensureFixture(name);
    // MP4 out for all: the WebM source's Opus audio is then encoded once to AAC at merge
    const out = `${work.dir}/${name}-${split}.mp4`;
    const record = await pipeline({ input, split, workers: 2, segmentSeconds: 1, crf: 0, codec: 'libx264', out, workDir: work.dir });
    expect(record.state, `${record.error?.message}`).toBe('ok');
    expect(record.verification?.checks.filter((c) => !c.ok)).toEqual([]);
    if (name === 'odd') {
      // x264's lossless mode is not bit-exact at odd widths (P-frames read padding beyond the picture, even
      // in a plain ffmpeg re-encode), so alignment is shown by PSNR: every frame > 60 dB, where a frame
      // shifted by one scores ~22 dB on this fixture
      expect(await frameHashes(out)).toHaveLength((await frameHashes(input)).length);
      expect(await minFramePsnr(out, input)).toBeGreaterThan(60);
    } else {
      expect(await frameHashes(out)).toEqual(await frameHashes(input));
    }
    if (name === 'longgop' && split === 'copy') {
      // keyframes only every 10 s: the copy split cannot cut inside, whatever the nominal 1 s says
      expect(record.segments.every((s) => s.durationSeconds >= 9.9 || s.index === record.segments.length - 1)).toBe(true);
    }
    if (name === 'noaudio') expect(record.verification?.checks.map((c) => c.name)).not.toContain('audio-duration');
  });
});
