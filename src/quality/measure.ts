// The quality of an output against its source: SSIM (Wang et al., IEEE TIP 13(4), 2004) and PSNR per frame,
// with ffmpeg's own `ssim` and `psnr` filters (built into every ffmpeg), and the video stream's bitrate.
// One ffmpeg decodes both files once; each filter writes its per-frame statistics to a file in a private
// temp directory that is removed afterwards. Timed on its own (qualityMs) and never part of a wall time.
//
// Alignment: both streams start at t = 0 (setpts=PTS-STARTPTS), so a source whose first frame is at
// 0.033 s lines up with an output that starts at 0, frame for frame. An output of another size (a scale
// filter) is scaled back to the source's with bicubic before comparing, and the record says so: its
// scores then measure the filter as well as the encode, and are comparable only with runs of that filter.
// VMAF is not measured: the bundled ffmpeg has the libvmaf filter but no model file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Binaries } from '../ffmpeg/binaries.ts';
import { describeFailure, runProcess, succeeded } from '../ffmpeg/exec.ts';
import { probeAll } from '../pipeline/probe.ts';

/** A per-frame score's mean and its worst frame (0-based). */
export interface ScoreSummary {
  mean: number;
  worst: number;
  worstFrame: number;
}

/** What the record keeps about an output's quality. */
export interface QualityRecord {
  /** SSIM over all planes (ffmpeg's "All"), 0–1. */
  ssim: ScoreSummary;
  /** PSNR over all planes in dB; the mean is ffmpeg's: from the mean squared error over frames. Infinity
   * is stored as null in JSON, so a lossless output has `lossless` true. */
  psnrDb: ScoreSummary;
  lossless: boolean;
  /** The video stream's bits per second (audio left out: it is copied whole and would dilute the cost). */
  videoKbps: number;
  videoBytes: number;
  frames: number;
  /** Per frame in presentation order (frame-exact outputs line up with the source and with each other):
   * SSIM rounded to 5 decimals (the timeline with the cuts marked), mean squared error rounded to 4, and the
   * video packet's bytes — what the cost per chunk is computed from (rateQuality.ts). */
  ssimPerFrame: number[];
  msePerFrame: number[];
  bytesPerFrame: number[];
  /** The output was scaled to the source's size before comparing. */
  scaled: boolean;
  qualityMs: number;
}

/** Per-frame values of one key in an ssim or psnr stats file ("n:1 Y:0.99 … All:0.98 (17.0)" lines). */
export function statsColumn(text: string, key: string): number[] {
  const values: number[] = [];
  const pattern = new RegExp(`(?:^|\\s)${key}:(\\S+)`);
  for (const line of text.split('\n')) {
    const match = pattern.exec(line);
    if (!match) continue;
    const raw = match[1] as string;
    values.push(raw === 'inf' ? Infinity : Number(raw));
  }
  return values;
}

/** Mean and worst (least) of per-frame scores. */
export function summarise(values: readonly number[]): ScoreSummary {
  let worst = Infinity;
  let worstFrame = 0;
  let sum = 0;
  values.forEach((v, i) => {
    sum += v;
    if (v < worst) {
      worst = v;
      worstFrame = i;
    }
  });
  return { mean: values.length ? sum / values.length : NaN, worst, worstFrame };
}

/** PSNR in dB from a mean squared error on 8-bit samples; Infinity for 0. */
export function psnrFromMse(mse: number): number {
  return mse <= 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

export interface QualityInput {
  output: string;
  source: string;
  /** The source's picture size: an output of another size is scaled to it. */
  sourceSize: { width: number; height: number };
  durationSeconds: number;
}

/** Measures `output` against `source`. Throws an Error naming the file when ffmpeg cannot compare them. */
export async function measureQuality(binaries: Binaries, input: QualityInput): Promise<QualityRecord> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'chunkbench-quality-'));
  try {
    const ssimFile = join(dir, 'ssim.log');
    const psnrFile = join(dir, 'psnr.log');
    const stream = await videoStream(binaries, input.output);
    const scaled = input.sourceSize.width !== stream.width || input.sourceSize.height !== stream.height;
    const toSource = scaled ? `,scale=${input.sourceSize.width}:${input.sourceSize.height}:flags=bicubic` : '';
    // the stats file option is a filter argument: escape ':' and '\' and quote it for the graph parser
    const arg = (path: string) => `'${path.replaceAll('\\', '\\\\').replaceAll(':', '\\:').replaceAll("'", "'\\''")}'`;
    const graph = [
      `[0:v:0]setpts=PTS-STARTPTS${toSource},format=yuv420p,split[o1][o2]`,
      `[1:v:0]setpts=PTS-STARTPTS,format=yuv420p,split[r1][r2]`,
      `[o1][r1]ssim=stats_file=${arg(ssimFile)}`,
      `[o2][r2]psnr=stats_file=${arg(psnrFile)}`,
    ].join(';');
    const outcome = await runProcess(binaries.ffmpeg.path, ['-hide_banner', '-nostdin', '-nostats', '-i', input.output, '-i', input.source, '-filter_complex', graph, '-an', '-f', 'null', '-'], { timeoutMs: 600_000 });
    if (!succeeded(outcome)) throw new Error(`quality of ${input.output}: ${describeFailure(outcome)}`);
    const ssim = statsColumn(readFileSync(ssimFile, 'utf8'), 'All');
    const mse = statsColumn(readFileSync(psnrFile, 'utf8'), 'mse_avg');
    if (!ssim.length || ssim.length !== mse.length) throw new Error(`quality of ${input.output}: ffmpeg compared ${ssim.length} frames by SSIM and ${mse.length} by PSNR`);
    const psnr = mse.map(psnrFromMse);
    const meanMse = mse.reduce((a, b) => a + b, 0) / mse.length;
    const videoBytes = stream.bytes;
    if (stream.frameBytes.length !== ssim.length) throw new Error(`quality of ${input.output}: ${stream.frameBytes.length} video packets but ${ssim.length} frames compared`);
    return {
      ssim: summarise(ssim),
      psnrDb: { ...summarise(psnr), mean: psnrFromMse(meanMse) },
      lossless: meanMse === 0,
      videoKbps: (videoBytes * 8) / 1000 / input.durationSeconds,
      videoBytes,
      frames: ssim.length,
      ssimPerFrame: ssim.map((v) => Math.round(v * 1e5) / 1e5),
      msePerFrame: mse.map((v) => Math.round(v * 1e4) / 1e4),
      bytesPerFrame: stream.frameBytes,
      scaled,
      qualityMs: performance.now() - started,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first video stream's picture size, Σ packet sizes and each packet's size in presentation order,
 * from the pipeline's own packet listing (one ffprobe). */
async function videoStream(binaries: Binaries, path: string): Promise<{ width: number; height: number; bytes: number; frameBytes: number[] }> {
  let listing: Awaited<ReturnType<typeof probeAll>>;
  try {
    listing = await probeAll(binaries, path, false);
  } catch (error) {
    throw new Error(`quality of ${path}: ${(error as Error).message}`);
  }
  const video = listing.streams.find((s) => s.codec_type === 'video');
  const frameBytes = video ? [...(listing.packets.get(video.index)?.sizesBytes ?? [])] : [];
  return { width: video?.width ?? 0, height: video?.height ?? 0, bytes: frameBytes.reduce((a, b) => a + b, 0), frameBytes };
}
