// The pipeline CLI as a user meets it: the phase table, --json, and one-line errors for bad input that
// exit non-zero and leave nothing behind.
import { writeFileSync, chmodSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBinaries } from '../../src/ffmpeg/binaries.ts';
import { ensureFixture } from '../../src/fixtures/index.ts';
import { runCli, tempDir } from '../helpers.ts';

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

  it('prints one JSON record with --json', () => {
    const { status, stdout } = cli(['--input', tiny, '--mode', 'single', '--json']);
    expect(status).toBe(0);
    const record = JSON.parse(stdout);
    expect(record.schema).toBe('chunkbench.run/1');
    expect(record.config.mode).toBe('single');
    expect(record.verification.ok).toBe(true);
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
    ['segment 0', () => ['--input', tiny, '--segment', '0'], /^chunkbench: --segment must be a number of seconds > 0, got 0$/],
    ['negative segment', () => ['--input', tiny, '--segment', '-5'], /^chunkbench: --segment must be a number of seconds > 0, got -5$/],
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
    if (process.getuid?.() === 0) return; // root reads anything; covered where tests run unprivileged
    const path = `${scratch.dir}/locked.mp4`;
    writeFileSync(path, 'x');
    chmodSync(path, 0o000);
    const { status, stderr } = cli(['--input', path]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/not readable/);
  });
});
