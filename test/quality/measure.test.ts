import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBinaries, type Binaries } from '../../src/ffmpeg/binaries.ts';
import { runProcess, succeeded } from '../../src/ffmpeg/exec.ts';
import { ensureFixture } from '../../src/fixtures/index.ts';
import { measureQuality, psnrFromMse, statsColumn, summarise } from '../../src/quality/measure.ts';

describe('stats files', () => {
  it('reads a column of ffmpeg’s ssim and psnr stats lines, inf included', () => {
    const ssim = 'n:1 Y:0.990000 U:0.995000 V:0.996000 All:0.992000 (20.969100)\nn:2 Y:1.000000 U:1.000000 V:1.000000 All:1.000000 (inf)\n';
    expect(statsColumn(ssim, 'All')).toEqual([0.992, 1]);
    const psnr = 'n:1 mse_avg:6.50 mse_y:7.00 mse_u:5.00 mse_v:5.00 psnr_avg:39.99 psnr_y:39.68 psnr_u:41.14 psnr_v:41.14\nn:2 mse_avg:0.00 mse_y:0.00 mse_u:0.00 mse_v:0.00 psnr_avg:inf psnr_y:inf psnr_u:inf psnr_v:inf\n';
    expect(statsColumn(psnr, 'mse_avg')).toEqual([6.5, 0]);
    expect(statsColumn(psnr, 'psnr_avg')).toEqual([39.99, Infinity]);
  });

  it('summarises the mean and the worst frame; PSNR from MSE', () => {
    expect(summarise([0.99, 0.95, 0.98])).toEqual({ mean: (0.99 + 0.95 + 0.98) / 3, worst: 0.95, worstFrame: 1 });
    expect(psnrFromMse(0)).toBe(Infinity);
    expect(psnrFromMse(65.025)).toBeCloseTo(30, 10); // 255² / 65.025 = 1000
  });
});

describe('measureQuality on real ffmpeg', () => {
  let binaries: Binaries;
  let source: string;
  const dir = mkdtempSync(join(tmpdir(), 'cb-quality-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function encode(crf: number, out: string, extra: string[] = []): Promise<string> {
    const path = join(dir, out);
    const outcome = await runProcess(binaries.ffmpeg.path, ['-hide_banner', '-nostdin', '-y', '-i', source, ...extra, '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', String(crf), '-threads', '1', '-an', path]);
    expect(succeeded(outcome)).toBe(true);
    return path;
  }

  beforeAll(async () => {
    binaries = await resolveBinaries();
    source = await ensureFixture('tiny');
  });

  const size = { width: 320, height: 240 };

  it('scores a file against itself SSIM 1 and PSNR ∞ (lossless)', async () => {
    const q = await measureQuality(binaries, { output: source, source, sourceSize: size, durationSeconds: 4 });
    expect(q.ssim.mean).toBe(1);
    expect(q.ssim.worst).toBe(1);
    expect(q.psnrDb.mean).toBe(Infinity);
    expect(q.lossless).toBe(true);
    expect(q.frames).toBe(120);
    expect(q.ssimPerFrame).toHaveLength(120);
    expect(q.msePerFrame.every((m) => m === 0)).toBe(true);
    expect(q.bytesPerFrame).toHaveLength(120);
    expect(q.bytesPerFrame.reduce((a, b) => a + b, 0)).toBe(q.videoBytes);
    expect(q.videoBytes).toBeGreaterThan(0);
  });

  it('scores a degraded encode lower than a good one, and a good one high', async () => {
    const good = await measureQuality(binaries, { output: await encode(18, 'good.mp4'), source, sourceSize: size, durationSeconds: 4 });
    const bad = await measureQuality(binaries, { output: await encode(45, 'bad.mp4'), source, sourceSize: size, durationSeconds: 4 });
    expect(good.ssim.mean).toBeGreaterThan(0.95);
    expect(bad.ssim.mean).toBeLessThan(good.ssim.mean);
    expect(bad.psnrDb.mean).toBeLessThan(good.psnrDb.mean - 3);
    expect(bad.videoKbps).toBeLessThan(good.videoKbps);
    expect(bad.ssim.worst).toBeLessThanOrEqual(bad.ssim.mean);
    expect(good.lossless).toBe(false);
  });

  it('scales an output of another size back to the source’s and says so', async () => {
    const half = await encode(18, 'half.mp4', ['-vf', 'scale=160:120']);
    const q = await measureQuality(binaries, { output: half, source, sourceSize: size, durationSeconds: 4 });
    expect(q.scaled).toBe(true);
    expect(q.ssim.mean).toBeGreaterThan(0.5);
    expect(q.ssim.mean).toBeLessThan(0.99);
  });

  it('names the file when ffmpeg cannot read it', async () => {
    await expect(measureQuality(binaries, { output: join(dir, 'missing.mp4'), source, sourceSize: size, durationSeconds: 4 })).rejects.toThrow(/missing\.mp4/);
  });
});

describe('a pipeline run that measures its quality', () => {
  it('records SSIM, PSNR and per-frame bits of a chunked output, timed apart from the wall time', async () => {
    const { resolveOptions } = await import('../../src/pipeline/options.ts');
    const { runPipeline } = await import('../../src/pipeline/run.ts');
    const binaries = await resolveBinaries();
    const input = await ensureFixture('tiny');
    const record = await runPipeline(await resolveOptions({ input, mode: 'chunked', workers: 2, segmentSeconds: 1, threads: 1, quality: true }), { binaries });
    expect(record.state).toBe('ok');
    const q = record.quality;
    expect(q).toBeDefined();
    expect(q?.frames).toBe(record.source?.frameCount);
    expect(q?.bytesPerFrame).toHaveLength(record.source?.frameCount as number);
    expect(q?.ssim.mean).toBeGreaterThan(0.9);
    expect(q?.ssim.mean).toBeLessThan(1);
    expect(q?.qualityMs).toBeGreaterThan(0);
    // the wall time is the pipeline's phases; quality is measured after them and is not in it
    const p = record.phases;
    expect(record.wallMs).toBeCloseTo(p.probeMs + p.splitMs + p.processMs + p.mergeMs, 6);
    // the record's configuration does not carry the measurement flag (it is not a pipeline setting)
    expect('quality' in record.config).toBe(false);
  });
});
