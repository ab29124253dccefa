// The cluster-scale projection of a stored run: cost model (costModel.ts, calibrate.ts) → validation
// against the run's own measured points, in-sample and with each configuration left out of the fit
// (validate.ts, holdout.ts) → event simulation at the asked video length and worker counts (predict.ts,
// des.ts) → projection.json in the run directory. A model, and labelled as one.
//
// The cluster it projects onto: W identical workers, each one machine slot with `threads` cores of the
// measuring machine's speed (so no time-sharing), fed by one coordinator that probes the source, splits it
// (the exact split: each chunk fetches its own range, so nothing is cut up front), sends each chunk its
// bytes, receives the encoded chunk and merges. Every transfer crosses the worker's link and the
// coordinator's link (processor-sharing, des.ts). Speedup is against the same model on 1 worker.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkbenchError } from '../errors.ts';
import { plural } from '../report/format.ts';
import { describe } from '../stats/index.ts';
import type { GridConfig } from '../grid/expand.ts';
import { readMeta, readResults, type ResultLine, type RunMeta } from '../harness/store.ts';
import { fitFamilies, measuredRuns, modelFor } from './calibrate.ts';
import { chunkWorkMs, type CostModel } from './costModel.ts';
import { measuredLink } from '../transport/costs.ts';
import { bytesPerMs, planChunkSeconds, predictRun, wallRangeMs, type Setting } from './predict.ts';
import { PROJECTION_SCHEMA, type LocalComparison, type Projection, type ProjectionOptions, type ProjectionRow } from './types.ts';
import { predictMeasured, validate, type Validation } from './validate.ts';
import { chooseSegment, plannedSegmentSeconds, segmentCostsFromModel, type SegmentChoice, type SegmentCosts } from '../pipeline/segmentAuto.ts';

export { PROJECTION_SCHEMA, type LocalComparison, type Projection, type ProjectionOptions, type ProjectionRow } from './types.ts';
export type { CostModel } from './costModel.ts';
export type { ErrorSummary, HeldOutPrediction, Prediction, Validation, ValidationPoint } from './validate.ts';
export type { NotHeldOut } from './holdout.ts';

/** A stated coordinator link: a 10 Gbit/s storage/coordinator node serving the workers. */
export const DEFAULT_COORDINATOR_MBPS = 10_000;
/** A stated dispatch latency per chunk for a cluster queue, when the run measured none. */
export const DEFAULT_QUEUE_LATENCY_MS = 5;
/** A stated worker link when the caller states none and the run moved no chunk over HTTP: 1 Gbit/s. */
export const DEFAULT_BANDWIDTH_MBPS = 1000;

/** The link the run's http uploads imply (transport/costs.ts): the one figure the report quotes too. */
export { measuredLink } from '../transport/costs.ts';
export const DEFAULT_REPLICATIONS = 20;

const PROJECTION_FILE = 'projection.json';

/** The configuration to project: `wanted` (id, id prefix or label), else the grid's centre, else the worker sweep's. */
export function pickConfig(meta: RunMeta, results: readonly ResultLine[], wanted?: string): GridConfig {
  const runs = measuredRuns(results);
  const candidates = meta.configs.filter((c) => c.mode === 'chunked' && runs.has(c.id));
  if (!candidates.length) throw new ChunkbenchError(`run ${meta.runId}: no successful chunked runs to calibrate a cost model from`);
  if (wanted !== undefined) {
    const exact = candidates.find((c) => c.id === wanted || c.label === wanted);
    const prefixed = candidates.filter((c) => c.id.startsWith(wanted));
    const found = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
    if (!found) throw new ChunkbenchError(`--config: no chunked configuration '${wanted}' with successful runs; accepted ids: ${candidates.map((c) => c.id).join(', ')}`);
    return found;
  }
  // the grid's declared centre first (the configuration the page's headline is about); a grid without a
  // worker sweep otherwise projected its most-swept configuration — on the segments grid, 0.5 s chunks
  const declared = candidates.find((c) => c.id === meta.centreId);
  const centreWorkers = meta.grid.fixed?.workers;
  const centre = candidates.find((c) => c.sweeps.includes('workers') && c.workers === centreWorkers);
  const mostSwept = [...candidates].sort((a, b) => b.sweeps.length - a.sweeps.length)[0];
  return declared ?? centre ?? mostSwept ?? (candidates[0] as GridConfig);
}

/** Plain sentences stating every assumption the numbers rest on. */
function assumptions(model: CostModel, p: Projection['scenario'], cores: number): string[] {
  return [
    `This is a model, not a measurement: a discrete-event simulation driven by the cost model fitted to this run's ${model.calibrationChunks} chunks from ${model.calibrationRuns} runs with at most ${plural(cores, 'busy thread')} on ${cores} cores (runs past the core count time-share the cores and are left out of the fit).`,
    `A chunk of d seconds costs ${model.chunkStartupMs.toFixed(1)} ms + ${(model.workSecondsPerVideoSecond * 1000).toFixed(1)} ms·d of ffmpeg time plus ${model.chunkOverheadMs.toFixed(1)} ms of process start and bookkeeping (a straight-line fit over the chunks; how well it fits, R²: ${model.chunkFitR2.toFixed(3)}${model.borrowed.length ? `; borrowed from the best-measured family: ${model.borrowed.join(', ')}` : ''}).`,
    `Each cluster worker is one slot with ${plural(model.threadsPerWorker, 'core')} as fast as the measuring machine's and runs one chunk at a time; chunks are handed out longest first, as by the real pool.`,
    `Probe, split and merge run serially on one coordinator; ${(model.sourceLengthsSeconds?.length ?? 1) > 1 ? `their cost beyond one process start (${model.chunkOverheadMs.toFixed(1)} ms) is taken as growing in proportion to the video's length, from the mean of this run's ${model.sourceLengthsSeconds?.map((d) => `${Number(d.toFixed(1))} s`).join(' and ')} sources (${Number(model.sourceDurationSeconds.toFixed(1))} s per run)` : `this run has one source length, so their cost beyond one process start (${model.chunkOverheadMs.toFixed(1)} ms) is assumed to grow in proportion to the video's length`}, and the merge adds ${model.mergeMsPerChunk.toFixed(2)} ms per chunk.`,
    `Each chunk fetches its own range of the source (${(model.inputBytesPerVideoSecond / 1e3).toFixed(0)} kB per second of video) and returns its encoded output (${(model.outputBytesPerVideoSecond / 1e3).toFixed(0)} kB per second) over a ${p.bandwidthMbps.toFixed(0)} Mbit/s worker link (${p.bandwidthFrom === 'measured uploads' ? "fitted to this run's chunk uploads over HTTP, on the network it ran on" : p.bandwidthFrom === 'default' ? 'stated: the run moved no chunk over HTTP' : 'stated'}); all transfers share the coordinator's ${p.coordinatorMbps} Mbit/s link fairly.`,
    p.transferLatencyFrom === 'measured uploads' || (p.transferLatencyMs ?? 0) > 0 ? `Each transfer adds a fixed ${(p.transferLatencyMs ?? 0).toFixed(1)} ms (${p.transferLatencyFrom === 'measured uploads' ? "fitted to this run's chunk uploads over HTTP" : 'stated'}), two per chunk.` : 'No fixed time per transfer is added: the run moved no chunk over HTTP to measure one.',
    `Each chunk waits ${Number(p.queueLatencyMs.toFixed(1))} ms for dispatch (${p.queueLatencyFrom === 'stated' ? 'stated: the run recorded no queue wait' : "the run's measured queue wait"}).`,
    `Chunk times scatter around that line by ${(model.chunkCv * 100).toFixed(1)}% (coefficient of variation), applied as independent noise in ${p.replications} seeded replications; machine-wide drift, failures, retries and stragglers from slow nodes are not modelled.`,
  ];
}

/** The costs a stored auto choice was made with (its record's inputs). */
function costsOfChoice(choice: SegmentChoice): SegmentCosts {
  const { workSecondsPerVideoSecond, perChunkSeconds, chunkCv, serialSecondsPerChunk, from } = choice.inputs;
  return { workSecondsPerVideoSecond, perChunkSeconds, chunkCv, serialSecondsPerChunk, from };
}

/** Chunk lengths `--segment auto` would plan for `durationSeconds` on `workers`. */
function autoChunkSeconds(durationSeconds: number, workers: number, costs?: SegmentCosts): number[] {
  return planChunkSeconds(durationSeconds, chooseSegment({ durationSeconds, workers, costs }).segmentSeconds);
}

/** The fitted costs for a cluster's auto choice: each chunk also waits `extraMsPerChunk` (dispatch, transfers). */
export function clusterSegmentCosts(model: CostModel, extraMsPerChunk: number): SegmentCosts {
  const fitted = segmentCostsFromModel(model);
  return { ...fitted, perChunkSeconds: fitted.perChunkSeconds + extraMsPerChunk / 1000, from: `${fitted.from}, plus ${extraMsPerChunk.toFixed(1)} ms of dispatch and transfer latency per chunk` };
}

/** The model on the measuring machine next to the measured points of the projected configuration's family. */
function localComparison(meta: RunMeta, results: readonly ResultLine[], config: GridConfig, model: CostModel): LocalComparison {
  const runs = measuredRuns(results);
  // the family can hold other lengths of the same pictures (a fixture's `content`): compare like with like
  const same = meta.configs.filter((c) => model.familyIds.includes(c.id) && c.input === config.input && c.segmentSeconds === config.segmentSeconds && runs.has(c.id));
  const sample = runs.get(config.id)?.[0]?.record;
  const durationSeconds = sample?.source?.durationSeconds ?? model.sourceDurationSeconds;
  const planned = (sample && plannedSegmentSeconds(sample)) ?? (typeof config.segmentSeconds === 'number' ? config.segmentSeconds : 10);
  const sampleChunks = sample?.segments.map((s) => s.durationSeconds) ?? planChunkSeconds(durationSeconds, planned);
  // under `--segment auto` each worker count gets the chunks auto would choose for it, with the costs the
  // run's own choice used (its record), so the curve passes through what was measured
  const choiceCosts = sample?.segmentChoice ? costsOfChoice(sample.segmentChoice) : undefined;
  const chunksFor = (w: number) => (config.segmentSeconds === 'auto' && w !== config.workers ? autoChunkSeconds(durationSeconds, w, choiceCosts) : sampleChunks);
  const measured = same.map((c) => {
    const walls = (runs.get(c.id) ?? []).map((r) => r.record.wallMs);
    const d = describe(walls);
    return { workers: c.workers, label: c.label, wallMs: d.mean, lo: d.ci95.lo, hi: d.ci95.hi };
  });
  const one = measured.filter((m) => m.workers === 1);
  const base = one.length ? one.reduce((s, m) => s + m.wallMs, 0) / one.length : null;
  const maxWorkers = Math.max(2 * model.cores, ...measured.map((m) => m.workers));
  const workers = Array.from({ length: maxWorkers }, (_, i) => i + 1);
  const walls = workers.map((w) => predictMeasured(model, { workers: w, chunkSeconds: chunksFor(w), durationSeconds, segmentSeconds: planned }));
  return {
    durationSeconds,
    segmentSeconds: planned,
    cores: model.cores,
    model: workers.map((w, i) => ({ workers: w, wallMs: walls[i] ?? NaN, speedup: (walls[0] ?? NaN) / (walls[i] ?? NaN) })),
    measured: measured.map((m) => ({ ...m, speedup: base === null ? null : base / m.wallMs })),
  };
}

function checkOptions(o: ProjectionOptions): void {
  const positive = (flag: string, v: number | undefined, what: string) => {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new ChunkbenchError(`${flag} must be ${what} > 0, got ${v}`);
  };
  if (!o.workers.length || o.workers.some((w) => !(Number.isInteger(w) && w >= 1))) throw new ChunkbenchError(`--workers must be whole numbers ≥ 1, got ${o.workers.join(',') || 'none'}`);
  positive('--duration-s', o.durationSeconds, 'a number of seconds');
  positive('--bandwidth-mbps', o.bandwidthMbps, 'a bandwidth in Mbit/s');
  if (o.transferLatencyMs !== undefined && !(Number.isFinite(o.transferLatencyMs) && o.transferLatencyMs >= 0)) throw new ChunkbenchError(`--transfer-latency-ms must be a number of ms ≥ 0, got ${o.transferLatencyMs}`);
  positive('--coordinator-mbps', o.coordinatorMbps, 'a bandwidth in Mbit/s');
  positive('--segment', o.segmentSeconds, 'a number of seconds');
  if (o.queueLatencyMs !== undefined && !(Number.isFinite(o.queueLatencyMs) && o.queueLatencyMs >= 0)) throw new ChunkbenchError(`--queue-latency-ms must be a number of ms ≥ 0, got ${o.queueLatencyMs}`);
  if (o.replications !== undefined && !(Number.isInteger(o.replications) && o.replications >= 0)) throw new ChunkbenchError(`--replications must be a whole number ≥ 0, got ${o.replications}`);
}

/** The projection of a stored run, from meta.json and its result lines alone. `validation` (the run's own
 * check of the model, which no option changes) is computed here unless a caller projecting the same run
 * several times passes it in. */
export function buildProjection(meta: RunMeta, results: readonly ResultLine[], options: ProjectionOptions, validation: Validation = validate(meta, results)): Projection {
  checkOptions(options);
  const config = pickConfig(meta, results, options.configId);
  const model = modelFor(config, fitFamilies(meta, results));
  if (!model) throw new ChunkbenchError(`run ${meta.runId}: no chunk times to calibrate ${config.label} from`);
  const coordinatorMbps = options.coordinatorMbps ?? DEFAULT_COORDINATOR_MBPS;
  const measuredWait = model.queueWaitMs;
  const queueLatencyMs = options.queueLatencyMs ?? measuredWait ?? DEFAULT_QUEUE_LATENCY_MS;
  const replications = options.replications ?? DEFAULT_REPLICATIONS;
  const seed = options.seed ?? meta.seed;
  // the link: what the caller states, else what the run's http uploads imply, else a stated default
  const link = measuredLink(results);
  const bandwidthMbps = options.bandwidthMbps ?? link?.mbps ?? DEFAULT_BANDWIDTH_MBPS;
  const bandwidthFrom = options.bandwidthMbps !== undefined ? 'stated' : link?.mbps != null ? 'measured uploads' : 'default';
  const transferLatencyMs = options.transferLatencyMs ?? link?.latencyMs ?? 0;
  // `--segment auto` (and no --segment): each worker count gets its own choice, made with the fitted costs
  // plus the cluster's fixed time per chunk (dispatch, two transfers)
  const auto = options.segmentSeconds === undefined && config.segmentSeconds === 'auto';
  const autoCosts = auto ? clusterSegmentCosts(model, queueLatencyMs + 2 * transferLatencyMs) : undefined;
  const workers = [...new Set(options.workers)].sort((a, b) => a - b);
  const top = workers[workers.length - 1] ?? 1;
  const fixedSeconds = options.segmentSeconds ?? (typeof config.segmentSeconds === 'number' ? config.segmentSeconds : null);
  const choices = new Map<number, SegmentChoice>();
  const choiceAt = (w: number): SegmentChoice => {
    const known = choices.get(w);
    if (known) return known;
    const choice = chooseSegment({ durationSeconds: options.durationSeconds, workers: w, costs: autoCosts });
    choices.set(w, choice);
    return choice;
  };
  const segmentAt = (w: number): number => fixedSeconds ?? choiceAt(w).segmentSeconds;
  const chunksAt = (w: number): number[] => planChunkSeconds(options.durationSeconds, segmentAt(w));
  const segmentSeconds = segmentAt(top);
  const chunkSeconds = chunksAt(top);
  const scenario: Projection['scenario'] = {
    durationSeconds: options.durationSeconds,
    segmentSeconds,
    chunks: chunkSeconds.length,
    bandwidthMbps,
    bandwidthFrom,
    transferLatencyMs,
    transferLatencyFrom: options.transferLatencyMs === undefined && link ? 'measured uploads' : 'none measured',
    ...(auto ? { segmentAuto: true as const } : {}),
    coordinatorMbps,
    queueLatencyMs,
    queueLatencyFrom: options.queueLatencyMs === undefined && measuredWait !== null ? 'measured queueWaitMs' : 'stated',
    threadsPerWorker: model.threadsPerWorker,
    replications,
    seed,
  };
  const setting = (workers: number): Setting => ({ workers, durationSeconds: options.durationSeconds, segmentSeconds: segmentAt(workers), chunkSeconds: chunksAt(workers), queueLatencyMs, transferLatencyMs, bandwidthMbps, coordinatorMbps, sharedCores: null });
  const t1 = predictRun(model, setting(1)).wallMs;
  const rows: ProjectionRow[] = workers.map((w) => {
    const run = predictRun(model, setting(w));
    const busyMs = run.chunks.reduce((s, c) => s + (c.endMs - c.startMs), 0);
    const speedup = t1 / run.wallMs;
    return {
      workers: w,
      wallMs: run.wallMs,
      wallRangeMs: wallRangeMs(model, setting(w), replications, seed + w, run.wallMs),
      speedup,
      efficiency: speedup / w,
      serialMs: run.probeMs + run.splitMs + run.mergeMs,
      processMs: run.processMs,
      busyWorkers: Math.min(w, run.chunkCount),
      transferShare: busyMs > 0 ? run.transferMs / busyMs : 0,
      ...(auto ? { segmentSeconds: segmentAt(w), chunks: run.chunkCount } : {}),
    };
  });
  const topRun = predictRun(model, setting(top));
  const bytes = chunkSeconds.reduce((s, d) => s + d, 0) * (model.inputBytesPerVideoSecond + model.outputBytesPerVideoSecond);
  const longest = Math.max(...chunkSeconds);
  const linkPerChunk = 2 * transferLatencyMs + (longest * (model.inputBytesPerVideoSecond + model.outputBytesPerVideoSecond)) / Math.min(bytesPerMs(bandwidthMbps), bytesPerMs(coordinatorMbps));
  const projection: Projection = {
    schema: PROJECTION_SCHEMA,
    kind: 'model',
    runId: meta.runId,
    configId: config.id,
    label: config.label,
    scenario,
    model,
    validation,
    rows,
    limits: {
      workers: top,
      serialMs: topRun.probeMs + topRun.splitMs + topRun.mergeMs,
      longestChunkMs: queueLatencyMs + chunkWorkMs(model, longest) + linkPerChunk,
      coordinatorLinkMs: bytes / bytesPerMs(coordinatorMbps),
      workPerWorkerMs: chunkSeconds.reduce((s, d) => s + chunkWorkMs(model, d), 0) / Math.min(top, chunkSeconds.length),
    },
    halfEfficiencyAt: rows.find((r) => r.efficiency < 0.5)?.workers ?? null,
    local: localComparison(meta, results, config, model),
    assumptions: [],
  };
  projection.assumptions = assumptions(model, scenario, meta.machine.cores);
  if (auto) projection.assumptions.push(`The configuration's segment length is auto: each worker count gets the length pipeline/segmentAuto.ts chooses for a ${options.durationSeconds} s video with this cost model's c, o (plus the dispatch and transfer time per chunk) and σ, and the merge's cost per chunk; on ${plural(top, 'worker')}: ${choiceAt(top).reason}`);
  return projection;
}

/** Reads the run in `dir`, builds its projection and writes projection.json next to its results. */
export function simulateRun(dir: string, options: ProjectionOptions): Projection & { path: string } {
  const projection = buildProjection(readMeta(dir), readResults(dir), options);
  const path = join(dir, PROJECTION_FILE);
  writeFileSync(path, `${JSON.stringify(projection, null, 2)}\n`);
  return { ...projection, path };
}
