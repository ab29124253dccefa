// The pipeline CLI as a user meets it: the phase table, --json, and one-line errors for bad input that
// exit non-zero and leave nothing behind.
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBinaries } from '../../src/ffmpeg/binaries.ts';
import { ensureFixture } from '../../src/fixtures/index.ts';
import { runCli, tempDir, tinyDisk, UNPRIVILEGED_UID } from '../helpers.ts';

const work = tempDir();
const scratch = tempDir('cb-inputs-');
let tiny = '';
const cli = (args: string[]) => runCli('src/cli/pipeline.ts', [...args, '--work-dir', work.dir]);

beforeAll(async () => {
  tiny = await ensureFixture('tiny');
});
afterAll(() => {
  work.remove();
  scratch.remove();
});

describe('pipeline CLI', () => {
  it('prints the phase table and the verification result', () => {
    const { status, stdout } = cli(['--input', tiny, '--workers', '2', '--segment', '1']);
    expect(status).toBe(0);
    for (const phase of ['probe', 'split', 'process', 'merge', 'verify', 'wall']) expect(stdout).toMatch(new RegExp(`^${phase}\\s+\\d+`, 'm'));
    expect(stdout).toMatch(/verification: OK/);
    expect(stdout).toMatch(/✓ frame-count: 120 frames, as the source/);
    expect(stdout).toMatch(/chunked: 2 worker\(s\), 4 chunk\(s\) \(exact split, 1 s\)/);
    expect(work.entries()).toEqual([]);
  });

  it('prints what --segment auto chose and why', () => {
    const { status, stdout } = cli(['--input', tiny, '--workers', '2', '--segment', 'auto']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/chunked: 2 worker\(s\), 2 chunk\(s\) \(exact split, auto: 2 s\)/);
    expect(stdout).toMatch(/^segment auto: 2 chunks of 2 s: one wave on 2 workers; a second wave would add [\d.]+ s of per-chunk cost and save [\d.]+ s of imbalance\.$/m);
    expect(stdout).toMatch(/^  model: D = 4\.00 s, W = 2, c = 0\.083 .* optimum [\d.]+ waves \(defaults: /m);
    expect(stdout).toMatch(/verification: OK/);
  });

  it('prints one JSON record with --json', () => {
    const { status, stdout } = cli(['--input', tiny, '--mode', 'single', '--json']);
    expect(status).toBe(0);
    const record = JSON.parse(stdout);
    expect(record.schema).toBe('chunkbench.run/1');
    expect(record.config.mode).toBe('single');
    expect(record.verification.ok).toBe(true);
  });

  it('a failed run shows what ran and for how long, no shares, and its error last', () => {
    // a crop twice as wide as the 320x240 input: the filter check (on a 64x64 source) passes, every chunk fails
    const { status, stdout } = cli(['--input', tiny, '--workers', '2', '--segment', '1', '--retries', '0', '--filter', 'vf:crop=w=if(gt(iw\\,100)\\,2*iw\\,iw)']);
    expect(status).toBe(1);
    expect(stdout).not.toMatch(/%|^wall\s|cores busy/m);
    expect(stdout).toMatch(/^phase\s+wall ms$/m);
    for (const phase of ['probe', 'split']) expect(stdout).toMatch(new RegExp(`^${phase}\\s+\\d+$`, 'm'));
    expect(stdout).toMatch(/^process\s+\d+   failed here$/m);
    expect(stdout).toMatch(/^total\s+\d+   \(until the failure/m);
    expect(stdout).toMatch(/^chunks: \d of 4 done, [1-4] failed, \d stopped/m);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^run FAILED in process: chunk \d \(.*\) failed: /);
    expect(work.entries()).toEqual([]);
  });

  it('documents every flag with its default in --help', () => {
    const { status, stdout } = cli(['--help']);
    expect(status).toBe(0);
    for (const flag of ['--input', '--workers', '--segment', '--split', '--preset', '--codec', '--filter', '--threads', '--mode', '--out', '--json', '--keep', '--work-dir']) expect(stdout).toContain(flag);
    expect(stdout).toMatch(/--workers.*\[default: 2\]/);
    expect(stdout).toMatch(/--segment.*\[default: 10\]/);
  });
});

describe('bad input: one line naming the file or flag, non-zero exit, nothing left behind', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['missing file', () => ['--input', `${scratch.dir}/nope.mp4`], /^chunkbench: --input .*nope\.mp4: no such file/],
    ['zero-length file', () => { writeFileSync(`${scratch.dir}/empty.mp4`, ''); return ['--input', `${scratch.dir}/empty.mp4`]; }, /^chunkbench: --input .*empty\.mp4: empty file \(0 bytes\)/],
    ['text file named .mp4', () => { writeFileSync(`${scratch.dir}/text.mp4`, 'hello, not a video\n'); return ['--input', `${scratch.dir}/text.mp4`]; }, /^chunkbench: --input .*text\.mp4: not a media file ffprobe can read/],
    ['workers < 1', () => ['--input', tiny, '--workers', '0'], /^chunkbench: --workers must be a whole number ≥ 1, got 0$/],
    ['segment 0', () => ['--input', tiny, '--segment', '0'], /^chunkbench: --segment must be a number of seconds > 0 or 'auto', got 0$/],
    ['negative segment', () => ['--input', tiny, '--segment', '-5'], /^chunkbench: --segment must be a number of seconds > 0 or 'auto', got -5$/],
    ['segment neither a number nor auto', () => ['--input', tiny, '--segment', 'automatic'], /^chunkbench: --segment must be a number of seconds > 0 or 'auto', got automatic$/],
    ['unknown filter', () => ['--input', tiny, '--filter', 'blurr'], /^chunkbench: --filter: unknown filter 'blurr'; accepted: none, scale, blur, denoise, sharpen, grayscale, or a raw -vf graph as vf:<graph>$/],
    ['unknown preset', () => ['--input', tiny, '--preset', 'warp9'], /^chunkbench: --preset: unknown value 'warp9'; accepted: ultrafast, .*veryslow$/],
    ['raw filter ffmpeg rejects', () => ['--input', tiny, '--filter', 'vf:nosuchfilter=1'], /^chunkbench: --filter vf:nosuchfilter=1: ffmpeg rejects this filter graph \(.*No such filter.*\)/],
    ['unknown mode', () => ['--input', tiny, '--mode', 'turbo'], /^chunkbench: .*mode.*turbo/],
  ];
  it.each(cases)('%s', (_name, args, message) => {
    const { status, stderr } = cli(args());
    expect(status).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(work.entries()).toEqual([]);
  });

  it('no video stream (audio-only file)', async () => {
    const { ffmpeg } = await resolveBinaries();
    const audioOnly = `${scratch.dir}/audio.m4a`;
    execFileSync(ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac', audioOnly]);
    const { status, stderr } = cli(['--input', audioOnly]);
    expect(status).toBe(2);
    expect(stderr.trim()).toMatch(/^chunkbench: --input .*audio\.m4a: no video stream \(found: audio aac\); expected a file with a video stream$/);
    expect(work.entries()).toEqual([]);
  });

  it('unreadable file', () => {
    const path = `${scratch.dir}/locked.mp4`;
    writeFileSync(path, 'x');
    chmodSync(path, 0o000);
    chmodSync(scratch.dir, 0o755);
    chmodSync(work.dir, 0o777);
    const { status, stderr } = runCli('src/cli/pipeline.ts', ['--input', path, '--work-dir', work.dir], { uid: UNPRIVILEGED_UID });
    expect(status).toBe(2);
    expect(stderr.trim()).toMatch(/^chunkbench: --input .*locked\.mp4: not readable \(permission denied\); give a readable video file$/);
    expect(work.entries()).toEqual([]);
  });

  it('output directory not writable', () => {
    const outDir = `${scratch.dir}/readonly`;
    mkdirSync(outDir);
    chmodSync(outDir, 0o555);
    chmodSync(tiny, 0o644);
    chmodSync(work.dir, 0o777);
    const { status, stderr } = runCli('src/cli/pipeline.ts', ['--input', tiny, '--out', `${outDir}/out.mp4`, '--work-dir', work.dir], { uid: UNPRIVILEGED_UID });
    expect(status).toBe(2);
    expect(stderr.trim()).toMatch(/^chunkbench: --out .*readonly\/out\.mp4: directory .*readonly is not writable$/);
    expect(readdirSync(outDir)).toEqual([]);
    expect(work.entries()).toEqual([]);
  });

  it('truncated MP4: the index (moov) is missing', () => {
    const path = `${scratch.dir}/cut.mp4`;
    writeFileSync(path, readFileSync(tiny).subarray(0, 100_000));
    const { status, stderr } = cli(['--input', path]);
    expect(status).toBe(2);
    expect(stderr.trim()).toMatch(/^chunkbench: --input .*cut\.mp4: the file is truncated \(ffprobe: moov atom not found.*\); give the complete file$/);
    expect(work.entries()).toEqual([]);
  });

  it('truncated MP4: the index is there, the end of the data is not', async () => {
    const { ffmpeg } = await resolveBinaries();
    const whole = `${scratch.dir}/faststart.mp4`;
    execFileSync(ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-y', '-i', tiny, '-c', 'copy', '-movflags', '+faststart', whole]);
    const path = `${scratch.dir}/cut-end.mp4`;
    writeFileSync(path, readFileSync(whole).subarray(0, Math.floor(statSync(whole).size * 0.7)));
    const { status, stderr } = cli(['--input', path]);
    expect(status).toBe(2);
    expect(stderr.trim()).toMatch(/^chunkbench: --input .*cut-end\.mp4: the file is truncated \(ffprobe: .*partial file\); give the complete file$/);
    expect(work.entries()).toEqual([]);
  });

  it('zero duration: a container with no frames', async () => {
    const { ffmpeg } = await resolveBinaries();
    const path = `${scratch.dir}/zero.mp4`;
    execFileSync(ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-y', '-i', tiny, '-frames:v', '0', '-c', 'copy', path]);
    const { status, stderr } = cli(['--input', path]);
    expect(status).toBe(2);
    expect(stderr.trim()).toMatch(/^chunkbench: --input .*zero\.mp4: zero duration: the container holds no streams; expected a video with at least one frame$/);
    expect(work.entries()).toEqual([]);
  });
});

describe('disk full (a 64 KiB tmpfs)', () => {
  const disk = tinyDisk('64k');
  afterAll(() => disk?.unmount());

  it.skipIf(!disk)('in the work directory: one line naming it, exit 1, nothing left, no pointless retries', () => {
    const dir = disk?.dir ?? '';
    const { status, stdout, stderr } = runCli('src/cli/pipeline.ts', ['--input', tiny, '--segment', '1', '--work-dir', dir]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(`chunkbench: --work-dir ${dir}: disk full (No space left on device) during process; free space there or choose another work directory (--work-dir)`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(!disk)('in the output directory: names --out, leaves no partial file', () => {
    const dir = disk?.dir ?? '';
    const out = `${dir}/out.mp4`;
    const { status, stderr } = cli(['--input', tiny, '--segment', '1', '--out', out]);
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(`chunkbench: --out ${out}: directory ${dir}: disk full (No space left on device) during merge; free space there or choose another output path`);
    expect(readdirSync(dir)).toEqual([]);
    expect(work.entries()).toEqual([]);
  });
});
