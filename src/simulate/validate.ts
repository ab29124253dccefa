// The model checked against the run that calibrated it: every measured chunked and sequential
// configuration is predicted at its own source, worker count and chunk lengths, on the measuring machine
// (all workers share its cores, time-sharing them past the core count; local files, so no transfer; the
// measured local dispatch gap as queue latency), and compared with its measured mean wall time and the 95%
// CI of that mean (Student's t, stats/describe).
//   error % = 100 · (predicted − measured mean) / measured mean;  mean and max of |error %| over the points;
//   inside CI: lo ≤ predicted ≤ hi (null when the configuration has one run and so no interval).
// Each point is predicted twice:
//   in-sample  from the model fitted on every configuration, itself included: its chunk times fed the
//              per-chunk fit when workers × threads ≤ cores (`inCalibration`), and its probe, split and
//              merge times and dispatch gaps fed the per-run fits in every case. The wall time is never
//              fitted, but this is the model checked on its own data, and it flatters the model.
//   held out   from the model refitted without any of the configuration's runs (holdout.ts: leave one
//              configuration out), or a stated reason where the refit would lack what the prediction needs.
// The summaries keep the two apart, and give the in-sample figures again over exactly the points that
// could be held out, so the two can be compared like for like. The 15% target is judged on held-out error.
import type { ResultLine, RunMeta } from '../harness/store.ts';
import { describe as describeSamples, type Interval } from '../stats/index.ts';
import { fitFamilies, measuredRuns, modelFor } from './calibrate.ts';
import type { CostModel } from './costModel.ts';
import { fitWithout, type NotHeldOut } from './holdout.ts';
import { predictRun } from './predict.ts';
import { plannedSegmentSeconds } from '../pipeline/segmentAuto.ts';

/** The error the issue accepts over the measured range, %. */
export const VALIDATION_TARGET_PCT = 15;

/** One prediction of a measured point, against its measured mean and CI. */
export interface Prediction {
  predictedWallMs: number;
  errorPct: number;
  /** The prediction lies inside the measured 95% CI of the mean; null when there is no interval (one run). */
  insideCi: boolean | null;
  /** Parameters the fit behind it had to borrow from the reference family (costModel.ts). */
  borrowed: string[];
}

/** The held-out prediction, or why the configuration could not be left out of the fit. */
export type HeldOutPrediction = ({ state: 'predicted' } & Prediction) | NotHeldOut;

export interface ValidationPoint {
  configId: string;
  label: string;
  mode: 'chunked' | 'sequential';
  workers: number;
  /** The length its chunks were planned with: under `--segment auto`, what the run chose. */
  segmentSeconds: number;
  chunks: number;
  durationSeconds: number;
  runs: number;
  measuredWallMs: number;
  measuredCi95: Interval;
  /** From the model fitted on every configuration, this one included. */
  inSample: Prediction;
  /** From the model refitted without this configuration's runs. */
  heldOut: HeldOutPrediction;
  /** Its chunk times were part of the in-sample per-chunk fit (workers × threads ≤ cores). */
  inCalibration: boolean;
  /** More busy threads than cores: predicted by time-sharing. */
  oversubscribed: boolean;
}

/** |error| figures over a set of predictions. */
export interface ErrorSummary {
  points: number;
  /** NaN when there are no points. */
  meanAbsErrorPct: number;
  maxAbsErrorPct: number;
  /** Label of the point with the largest |error|, or null. */
  worst: string | null;
  /** Predictions inside the measured 95% CI, out of `withCi` points that have one. */
  insideCi: number;
  withCi: number;
}

export interface Validation {
  points: ValidationPoint[];
  /** Every point, each predicted by the model fitted on all of them. */
  inSample: ErrorSummary;
  /** The points that could be left out, each predicted by the model refitted without it. */
  heldOut: ErrorSummary;
  /** The in-sample figures over the same points as `heldOut`. */
  inSampleOfHeldOut: ErrorSummary;
  /** Points that could not be left out (each says why). */
  notHeldOut: number;
  targetPct: number;
  /** Held-out max |error| ≤ target; null when no point could be held out. */
  withinTarget: boolean | null;
}

/** 100 · (predicted − measured) / measured. */
export function errorPct(predictedMs: number, measuredMs: number): number {
  return (100 * (predictedMs - measuredMs)) / measuredMs;
}

/** lo ≤ x ≤ hi, or null for a degenerate interval (one sample: no interval at all). */
export function insideInterval(x: number, ci: Interval, degenerate: boolean): boolean | null {
  return degenerate ? null : ci.lo <= x && x <= ci.hi;
}

/** Mean and max |error %|, the worst point and the CI count over `predictions`. */
export function summarizeErrors(predictions: readonly { label: string; prediction: Prediction }[]): ErrorSummary {
  const abs = predictions.map((p) => Math.abs(p.prediction.errorPct));
  const worst = [...predictions].sort((a, b) => Math.abs(b.prediction.errorPct) - Math.abs(a.prediction.errorPct))[0];
  return {
    points: predictions.length,
    meanAbsErrorPct: abs.length ? abs.reduce((a, b) => a + b, 0) / abs.length : NaN,
    maxAbsErrorPct: abs.length ? Math.max(...abs) : NaN,
    worst: worst?.label ?? null,
    insideCi: predictions.filter((p) => p.prediction.insideCi === true).length,
    withCi: predictions.filter((p) => p.prediction.insideCi !== null).length,
  };
}

/** Predicts one measured configuration on the measuring machine. */
export function predictMeasured(model: CostModel, point: { workers: number; chunkSeconds: readonly number[]; durationSeconds: number; segmentSeconds: number }): number {
  return predictRun(model, {
    workers: point.workers,
    durationSeconds: point.durationSeconds,
    segmentSeconds: point.segmentSeconds,
    chunkSeconds: point.chunkSeconds,
    queueLatencyMs: model.localDispatchMs,
    bandwidthMbps: null,
    coordinatorMbps: null,
    sharedCores: model.cores,
  }).wallMs;
}

/** Predicts every measured chunked/sequential configuration of the run, in-sample and held out; `only`
 * limits it to some ids (the fits still use every configuration). */
export function validate(meta: RunMeta, results: readonly ResultLine[], only?: ReadonlySet<string>): Validation {
  const models = fitFamilies(meta, results);
  const runs = measuredRuns(results);
  const points: ValidationPoint[] = [];
  for (const config of meta.configs) {
    const configRuns = runs.get(config.id);
    const model = modelFor(config, models);
    const first = configRuns?.[0]?.record;
    // a configuration a sweep ran for its bits only (two rounds: a CRF point) has no interval worth checking
    // against; three rounds (the segments grid's second video length) have one, wide as it is
    if (!configRuns || !model || !first?.source || (only && !only.has(config.id)) || (config.rounds !== undefined && config.rounds < 3)) continue;
    const measured = describeSamples(configRuns.map((r) => r.record.wallMs));
    // the run's own chunk lengths: under `--segment auto` the ones it chose (planned length as a fallback only)
    const chunkSeconds = first.segments.map((s) => s.durationSeconds);
    const segmentSeconds = plannedSegmentSeconds(first) ?? Math.max(...chunkSeconds);
    const setting = { workers: first.config.workers, chunkSeconds, durationSeconds: first.source.durationSeconds, segmentSeconds };
    const predict = (m: CostModel): Prediction => {
      const predictedWallMs = predictMeasured(m, setting);
      return { predictedWallMs, errorPct: errorPct(predictedWallMs, measured.mean), insideCi: insideInterval(predictedWallMs, measured.ci95, measured.ciDegenerate), borrowed: m.borrowed };
    };
    const refit = fitWithout(meta, results, config, model);
    const busyThreads = Math.min(first.config.workers, first.segments.length) * model.threadsPerWorker;
    points.push({
      configId: config.id,
      label: config.label,
      mode: first.config.mode === 'sequential' ? 'sequential' : 'chunked',
      workers: first.config.workers,
      segmentSeconds,
      chunks: first.segments.length,
      durationSeconds: first.source.durationSeconds,
      runs: measured.n,
      measuredWallMs: measured.mean,
      measuredCi95: measured.ci95,
      inSample: predict(model),
      heldOut: refit.state === 'fitted' ? { state: 'predicted', ...predict(refit.model) } : refit,
      inCalibration: first.config.workers * model.threadsPerWorker <= model.cores,
      oversubscribed: busyThreads > model.cores,
    });
  }
  const held = points.flatMap((p) => (p.heldOut.state === 'predicted' ? [{ point: p, prediction: p.heldOut }] : []));
  const heldOut = summarizeErrors(held.map((h) => ({ label: h.point.label, prediction: h.prediction })));
  return {
    points,
    inSample: summarizeErrors(points.map((p) => ({ label: p.label, prediction: p.inSample }))),
    heldOut,
    inSampleOfHeldOut: summarizeErrors(held.map((h) => ({ label: h.point.label, prediction: h.point.inSample }))),
    notHeldOut: points.length - held.length,
    targetPct: VALIDATION_TARGET_PCT,
    withinTarget: held.length ? heldOut.maxAbsErrorPct <= VALIDATION_TARGET_PCT : null,
  };
}
