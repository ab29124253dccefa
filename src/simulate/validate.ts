// The model checked against the run that calibrated it: every measured chunked and sequential
// configuration is predicted at its own source, worker count and chunk lengths, on the measuring machine
// (all workers share its cores, time-sharing them past the core count; local files, so no transfer; the
// measured local dispatch gap as queue latency), and compared with its measured mean wall time.
//   error % = 100 · (predicted − measured) / measured;  max and mean of |error %| over the points.
// Points with workers × threads ≤ cores lent their chunk times to the fit (`inCalibration`); the wall time
// itself is never fitted, so scheduling, the tail, the serial phases and the overheads are all predicted.
// Points past the core count are held out of the fit and test the time-sharing model.
import type { ResultLine, RunMeta } from '../harness/store.ts';
import { describe as describeSamples, type Interval } from '../stats/index.ts';
import { fitFamilies, measuredRuns, modelFor } from './calibrate.ts';
import type { CostModel } from './costModel.ts';
import { predictRun } from './predict.ts';

/** The error the issue accepts over the measured range, %. */
export const VALIDATION_TARGET_PCT = 15;

export interface ValidationPoint {
  configId: string;
  label: string;
  mode: 'chunked' | 'sequential';
  workers: number;
  segmentSeconds: number;
  chunks: number;
  durationSeconds: number;
  runs: number;
  measuredWallMs: number;
  measuredCi95: Interval;
  predictedWallMs: number;
  errorPct: number;
  /** Its chunk times were part of the cost model's fit. */
  inCalibration: boolean;
  /** More busy threads than cores: predicted by time-sharing. */
  oversubscribed: boolean;
}

export interface Validation {
  points: ValidationPoint[];
  maxAbsErrorPct: number;
  meanAbsErrorPct: number;
  targetPct: number;
  withinTarget: boolean;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

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

/** Predicts every measured chunked/sequential configuration of the run; `only` limits it to some ids. */
export function validate(meta: RunMeta, results: readonly ResultLine[], only?: ReadonlySet<string>): Validation {
  const models = fitFamilies(meta, results);
  const runs = measuredRuns(results);
  const points: ValidationPoint[] = [];
  for (const config of meta.configs) {
    const configRuns = runs.get(config.id);
    const model = modelFor(config, models);
    const first = configRuns?.[0]?.record;
    if (!configRuns || !model || !first?.source || (only && !only.has(config.id))) continue;
    const walls = configRuns.map((r) => r.record.wallMs);
    const measured = describeSamples(walls);
    const predictedWallMs = predictMeasured(model, {
      workers: first.config.workers,
      chunkSeconds: first.segments.map((s) => s.durationSeconds),
      durationSeconds: first.source.durationSeconds,
      segmentSeconds: first.config.segmentSeconds,
    });
    const busyThreads = Math.min(first.config.workers, first.segments.length) * model.threadsPerWorker;
    points.push({
      configId: config.id,
      label: config.label,
      mode: first.config.mode === 'sequential' ? 'sequential' : 'chunked',
      workers: first.config.workers,
      segmentSeconds: first.config.segmentSeconds,
      chunks: first.segments.length,
      durationSeconds: first.source.durationSeconds,
      runs: walls.length,
      measuredWallMs: measured.mean,
      measuredCi95: measured.ci95,
      predictedWallMs,
      errorPct: (100 * (predictedWallMs - measured.mean)) / measured.mean,
      inCalibration: first.config.workers * model.threadsPerWorker <= model.cores,
      oversubscribed: busyThreads > model.cores,
    });
  }
  const abs = points.map((p) => Math.abs(p.errorPct));
  const maxAbsErrorPct = abs.length ? Math.max(...abs) : NaN;
  return { points, maxAbsErrorPct, meanAbsErrorPct: abs.length ? mean(abs) : NaN, targetPct: VALIDATION_TARGET_PCT, withinTarget: maxAbsErrorPct <= VALIDATION_TARGET_PCT };
}
