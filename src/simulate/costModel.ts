// The cost model behind the cluster projection: what one configuration's chunks, probe, split and merge
// cost, fitted from the stored run records alone. Pure; a model, not a measurement.
//
// Calibration set. A configuration's *family* is every chunked or sequential configuration doing the same
// work per frame (input, codec, preset, filter, crf, thread limit, work dir and split strategy): they differ
// only in workers and segment length, so they share one cost per second of video. Chunk times are taken only
// from runs with workers × threads ≤ cores: there every ffmpeg had its cores to itself, as a cluster worker
// (one machine slot with `threads` cores) would. Runs past the core count time-share the cores; they are
// kept out of the fit and predicted by the simulation's time-sharing instead (validate.ts).
//
// Per chunk, by ordinary least squares over every calibration chunk (Legendre 1805; Gauss 1809):
//   rtime(d) = a + b·d                 d = chunk length in seconds of video, rtime = ffmpeg's own real time;
//     b / 1000 = work seconds per second of video, a = per-chunk startup inside ffmpeg (process init, and for
//     the exact split the decoding from the keyframe before a mid-GOP cut, averaged over the cuts measured);
//     a < 0 is refitted through the origin. When the family has one chunk length only (a ≈ const d), a and b
//     cannot be told apart: a is borrowed from a reference family (the run's family with the most distinct
//     lengths) and b = (mean rtime − a) / mean d; `borrowed` names every parameter taken that way.
//   overhead = mean(spawn→exit − rtime) + mean(end − start − spawn→exit): the harness's per-chunk cost
//     (fork/exec, reading ffmpeg's report) that does not scale with length.
//   noise: chunkCv = sd of (rtime − fit) / fit, the chunk-to-chunk coefficient of variation.
// Per run, from the phase times of every family run (they run alone, so the core count does not matter):
//   merge = m0 + m1·chunks by least squares (m1 borrowed as above when the chunk count never varies);
//   probe = mean probeMs; split = mean splitMs.
//   Every run here has one source, so a cost per second of video cannot be told from a fixed cost. The model
//   states its split: a fixed part equal to the measured cost of starting one process (the overhead above;
//   ffprobe, the copy-split and the merge each start one) and the rest proportional to the video's length
//   (ffprobe lists every packet, the copy split and the merge copy every byte). For a longer video this
//   is the pessimistic reading: it makes the serial part grow with the video.
// Transfer: bytes in (the chunk's demuxed range) and out (the encoded chunk) per second of video, as the
//   ratio of sums over the family's chunks; container headers and keyframe lead-ins are folded into the ratio.
// Queue latency: the mean queueWaitMs when chunks record one (an executor with a queue), else null; the
//   local dispatch gap (a worker's next start − its previous end) is kept separately for the validation.
import type { GridConfig } from '../grid/expand.ts';
import type { RunRecord } from '../pipeline/types.ts';
import { contentOf } from '../fixtures/manifest.ts';

/** A line y = intercept + slope·x, and how well it fits. */
export interface LineFit {
  intercept: number;
  slope: number;
  r2: number;
  n: number;
  /** False when the x values do not vary enough to tell slope from intercept. */
  identified: boolean;
}

/** Everything the simulation needs to know about one configuration's costs. Plain data. */
export interface CostModel {
  configId: string;
  label: string;
  /** Configuration ids of the family the model was fitted on. */
  familyIds: string[];
  /** Runs and chunks behind the per-chunk fit (workers × threads ≤ cores). */
  calibrationRuns: number;
  calibrationChunks: number;
  /** All family runs behind the per-run (probe, split, merge) fits. */
  phaseRuns: number;
  cores: number;
  threadsPerWorker: number;
  split: 'copy' | 'exact';
  sourceDurationSeconds: number;
  /** The distinct source lengths of the family's runs, seconds (more than one where a fixture's longer cut
   * of the same pictures was measured too); absent in models stored before it was recorded. */
  sourceLengthsSeconds?: number[];
  /** b: seconds of ffmpeg real time per second of video. */
  workSecondsPerVideoSecond: number;
  /** a: per-chunk startup inside ffmpeg, ms. */
  chunkStartupMs: number;
  /** Harness per-chunk cost outside ffmpeg (spawn, bookkeeping), ms. */
  chunkOverheadMs: number;
  chunkFitR2: number;
  /** Relative sd of chunk times around the fit. */
  chunkCv: number;
  probeFixedMs: number;
  probeMsPerVideoSecond: number;
  splitFixedMs: number;
  splitMsPerVideoSecond: number;
  mergeFixedMs: number;
  mergeMsPerChunk: number;
  mergeMsPerVideoSecond: number;
  inputBytesPerVideoSecond: number;
  outputBytesPerVideoSecond: number;
  /** Mean measured queueWaitMs, or null when no chunk recorded one. */
  queueWaitMs: number | null;
  /** Mean gap between a worker's consecutive chunks on the measuring machine, ms. */
  localDispatchMs: number;
  /** Parameters taken from the reference family because this family's data could not identify them. */
  borrowed: string[];
}

/** One stored run as the model sees it. */
export interface CalibrationRun {
  configId: string;
  record: RunRecord;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]) => (xs.length ? sum(xs) / xs.length : 0);

/** Ordinary least squares of y on x; `identified` is false when x barely varies (CV of x < 5%). */
export function fitLine(points: readonly { x: number; y: number }[]): LineFit {
  const n = points.length;
  const mx = mean(points.map((p) => p.x));
  const my = mean(points.map((p) => p.y));
  const sxx = sum(points.map((p) => (p.x - mx) ** 2));
  const sxy = sum(points.map((p) => (p.x - mx) * (p.y - my)));
  const syy = sum(points.map((p) => (p.y - my) ** 2));
  const identified = n >= 2 && mx !== 0 && Math.sqrt(sxx / n) / Math.abs(mx) >= 0.05;
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  const ssr = sum(points.map((p) => (p.y - intercept - slope * p.x) ** 2));
  return { intercept, slope, r2: syy === 0 ? 1 : 1 - ssr / syy, n, identified };
}

/** Least squares with the intercept fixed: slope = Σx(y − a) / Σx². */
function slopeThrough(points: readonly { x: number; y: number }[], intercept: number): number {
  const sxx = sum(points.map((p) => p.x * p.x));
  return sxx === 0 ? 0 : sum(points.map((p) => p.x * (p.y - intercept))) / sxx;
}

/** The work key a family shares: everything but mode, workers and segment length. */
export function familyKey(c: Pick<GridConfig, 'input' | 'codec' | 'preset' | 'filter' | 'crf' | 'threads' | 'workDir' | 'split'>): string {
  // a longer cut of the same pictures (a fixture's `content`) is the same work per second of video
  return JSON.stringify([contentOf(c.input), c.codec, c.preset, c.filter, c.crf, c.threads, c.workDir, c.split]);
}

/** The chunked and sequential configurations doing the same work as `config` (itself included). */
export function familyOf(config: GridConfig, configs: readonly GridConfig[]): GridConfig[] {
  const key = familyKey(config);
  return configs.filter((c) => (c.mode === 'chunked' || c.mode === 'sequential') && familyKey(c) === key);
}

/** Mean gap between consecutive chunks of the same worker (local dispatch), or 0 when there is none. */
function dispatchGapsMs(record: RunRecord): number[] {
  const byWorker = new Map<number, { startMs: number; endMs: number }[]>();
  for (const c of record.chunks) byWorker.set(c.workerId, [...(byWorker.get(c.workerId) ?? []), c]);
  const gaps: number[] = [];
  for (const chunks of byWorker.values()) {
    chunks.sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < chunks.length; i++) gaps.push(Math.max(0, (chunks[i]?.startMs ?? 0) - (chunks[i - 1]?.endMs ?? 0)));
  }
  return gaps;
}

export interface FitOptions {
  configId: string;
  label: string;
  familyIds: string[];
  cores: number;
  /** A model of a better-identified family to borrow unidentifiable parameters from. */
  reference?: CostModel | undefined;
}

/** Fits the cost model from the successful runs of one family. Throws when no run has timed chunks. */
export function fitCostModel(runs: readonly CalibrationRun[], options: FitOptions): CostModel {
  const ok = runs.filter((r) => r.record.state === 'ok' && r.record.chunks.length > 0 && r.record.source);
  const first = ok[0]?.record;
  if (!first?.source) throw new RangeError(`fitCostModel: no successful run with chunks for ${options.label}`);
  const threads = Math.max(1, first.config.threads);
  const calibration = ok.filter((r) => r.record.config.workers * threads <= options.cores);
  // with no run inside the core count, fall back to the least oversubscribed ones (and say so)
  const minWorkers = Math.min(...ok.map((r) => r.record.config.workers));
  const chunkRuns = calibration.length ? calibration : ok.filter((r) => r.record.config.workers === minWorkers);
  const borrowed: string[] = calibration.length ? [] : ['calibrated-past-core-count'];
  const chunks = chunkRuns.flatMap((r) => r.record.chunks).filter((c) => c.state === 'ok' && c.rtimeMs !== null);
  if (!chunks.length) throw new RangeError(`fitCostModel: no chunk with ffmpeg's rtime for ${options.label}`);

  const points = chunks.map((c) => ({ x: c.durationSeconds, y: c.rtimeMs ?? 0 }));
  const line = fitLine(points);
  let chunkStartupMs: number;
  let slopeMs: number;
  if (line.identified && line.intercept >= 0) {
    chunkStartupMs = line.intercept;
    slopeMs = line.slope;
  } else if (line.identified) {
    chunkStartupMs = 0;
    slopeMs = slopeThrough(points, 0);
  } else {
    chunkStartupMs = options.reference?.chunkStartupMs ?? 0;
    if (options.reference) borrowed.push('chunkStartupMs');
    slopeMs = Math.max(0, (mean(points.map((p) => p.y)) - chunkStartupMs) / mean(points.map((p) => p.x)));
  }
  const fitted = (d: number) => chunkStartupMs + slopeMs * d;
  const meanY = mean(points.map((p) => p.y));
  const ssy = sum(points.map((p) => (p.y - meanY) ** 2));
  const chunkFitR2 = ssy === 0 ? 1 : 1 - sum(points.map((p) => (p.y - fitted(p.x)) ** 2)) / ssy;
  const relative = points.map((p) => (p.y - fitted(p.x)) / fitted(p.x));
  const chunkCv = Math.sqrt(sum(relative.map((r) => (r - mean(relative)) ** 2)) / Math.max(1, relative.length - 1));
  const chunkOverheadMs = mean(chunks.map((c) => Math.max(0, c.spawnToExitMs - (c.rtimeMs ?? 0)) + Math.max(0, c.endMs - c.startMs - c.spawnToExitMs)));

  const records = ok.map((r) => r.record);
  const sourceDurationSeconds = mean(records.map((r) => r.source?.durationSeconds ?? 0));
  const merge = fitLine(records.map((r) => ({ x: r.chunks.length, y: r.phases.mergeMs })));
  let mergeMsPerChunk: number;
  let mergeInterceptMs: number;
  if (merge.identified && merge.slope >= 0 && merge.intercept >= 0) {
    mergeMsPerChunk = merge.slope;
    mergeInterceptMs = merge.intercept;
  } else {
    mergeMsPerChunk = merge.identified ? Math.max(0, merge.slope) : (options.reference?.mergeMsPerChunk ?? 0);
    if (!merge.identified && options.reference) borrowed.push('mergeMsPerChunk');
    mergeInterceptMs = Math.max(0, mean(records.map((r) => r.phases.mergeMs - mergeMsPerChunk * r.chunks.length)));
  }
  // the fixed/per-second split of a one-source measurement (see the header)
  const perSecond = (totalMs: number, fixedMs: number) => (sourceDurationSeconds > 0 ? Math.max(0, totalMs - fixedMs) / sourceDurationSeconds : 0);
  const probeMs = mean(records.map((r) => r.phases.probeMs));
  const splitMs = mean(records.map((r) => r.phases.splitMs));
  const probeFixedMs = Math.min(probeMs, chunkOverheadMs);
  const mergeFixedMs = Math.min(mergeInterceptMs, chunkOverheadMs);
  const splitFixedMs = first.config.split === 'copy' ? Math.min(splitMs, chunkOverheadMs) : 0;

  const allChunks = records.flatMap((r) => r.chunks).filter((c) => c.state === 'ok');
  const seconds = sum(allChunks.map((c) => c.durationSeconds));
  const waits = allChunks.map((c) => c.queueWaitMs).filter((w): w is number => w !== undefined);
  return {
    configId: options.configId,
    label: options.label,
    familyIds: options.familyIds,
    calibrationRuns: chunkRuns.length,
    calibrationChunks: chunks.length,
    phaseRuns: records.length,
    cores: options.cores,
    threadsPerWorker: threads,
    split: first.config.split,
    sourceDurationSeconds,
    sourceLengthsSeconds: [...new Set(records.map((r) => Number((r.source?.durationSeconds ?? 0).toFixed(1))))].sort((a, b) => a - b),
    workSecondsPerVideoSecond: slopeMs / 1000,
    chunkStartupMs,
    chunkOverheadMs,
    chunkFitR2,
    chunkCv,
    probeFixedMs,
    probeMsPerVideoSecond: perSecond(probeMs, probeFixedMs),
    splitFixedMs,
    splitMsPerVideoSecond: perSecond(splitMs, splitFixedMs),
    mergeFixedMs,
    mergeMsPerChunk,
    mergeMsPerVideoSecond: perSecond(mergeInterceptMs, mergeFixedMs),
    inputBytesPerVideoSecond: seconds > 0 ? sum(allChunks.map((c) => c.inputBytes)) / seconds : 0,
    outputBytesPerVideoSecond: seconds > 0 ? sum(allChunks.map((c) => c.outputBytes)) / seconds : 0,
    queueWaitMs: waits.length ? mean(waits) : null,
    localDispatchMs: mean(records.flatMap(dispatchGapsMs)),
    borrowed,
  };
}

/** Work of one chunk of `durationSeconds` at full speed: startup + b·d + harness overhead, ms. */
export function chunkWorkMs(model: CostModel, durationSeconds: number): number {
  return model.chunkStartupMs + model.workSecondsPerVideoSecond * 1000 * durationSeconds + model.chunkOverheadMs;
}
