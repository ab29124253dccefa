// "Which segment length for my video and my workers?": the projection (index.ts) run once per candidate
// length for one video length and one worker count, plus the length `--segment auto` would choose there
// (pipeline/segmentAuto.ts, with the run's fitted costs and the cluster's fixed time per chunk). A model's
// answer, not a measurement, and it says so; it carries the run's own check of the model (held-out errors)
// and names what it leaves out: the compression cost of short chunks at equal quality is not modelled.
// Pure: a stored run's meta and results in, data out (formatSegmentAnswer makes the text).
import { ChunkbenchError } from '../errors.ts';
import type { ResultLine, RunMeta } from '../harness/store.ts';
import { chooseSegment, type SegmentChoice } from '../pipeline/segmentAuto.ts';
import { fitFamilies, modelFor } from './calibrate.ts';
import { buildProjection, clusterSegmentCosts, DEFAULT_QUEUE_LATENCY_MS, measuredLink, pickConfig } from './index.ts';
import type { ProjectionOptions } from './types.ts';
import { validate, type ErrorSummary } from './validate.ts';

/** A candidate: a length in seconds, or `auto`. */
export type SegmentCandidate = number | 'auto';

export interface SegmentAnswerRow {
  candidate: SegmentCandidate;
  segmentSeconds: number;
  chunks: number;
  wallMs: number;
  /** 2.5–97.5 percentile over the noisy replications, or null without them. */
  wallRangeMs: { loMs: number; hiMs: number } | null;
  /** wallMs ÷ the fastest row's wallMs. */
  vsFastest: number;
}

export interface SegmentAnswer {
  kind: 'model';
  runId: string;
  label: string;
  durationSeconds: number;
  workers: number;
  rows: SegmentAnswerRow[];
  fastest: SegmentAnswerRow;
  /** Rows within `nearPct` of the fastest. */
  near: SegmentAnswerRow[];
  nearPct: number;
  auto: SegmentChoice;
  /** The run's own check of the model: each configuration predicted by the model refitted without it. */
  heldOut: ErrorSummary;
  heldOutPoints: number;
}

/** "1,2,5,10,auto" → candidates; a one-line error for anything else. */
export function parseSegmentList(text: string, flag = '--segments'): SegmentCandidate[] {
  const parts = text.split(',').map((p) => p.trim());
  const bad = () => new ChunkbenchError(`${flag} must be a comma-separated list of segment lengths in seconds > 0, and/or auto (e.g. 2,5,10,30,auto); got '${text}'`);
  if (!text.trim() || parts.some((p) => !p)) throw bad();
  const out = parts.map((p) => {
    if (p === 'auto') return 'auto' as const;
    const n = Number(p);
    if (!/^\d*\.?\d+$/.test(p) || !(n > 0)) throw bad();
    return n;
  });
  return [...new Set(out)];
}

/** The answer for a video of `durationSeconds` on `workers`, over `candidates`. */
export function segmentAnswer(meta: RunMeta, results: readonly ResultLine[], options: Omit<ProjectionOptions, 'workers' | 'segmentSeconds'> & { workers: number; candidates: SegmentCandidate[]; nearPct?: number }): SegmentAnswer {
  const config = pickConfig(meta, results, options.configId);
  const model = modelFor(config, fitFamilies(meta, results));
  if (!model) throw new ChunkbenchError(`run ${meta.runId}: no chunk times to calibrate ${config.label} from`);
  // the auto choice sees what a cluster chunk waits besides its work, as the projection's own auto does
  const link = measuredLink(results);
  const queueLatencyMs = options.queueLatencyMs ?? model.queueWaitMs ?? DEFAULT_QUEUE_LATENCY_MS;
  const transferLatencyMs = options.transferLatencyMs ?? link?.latencyMs ?? 0;
  const auto = chooseSegment({ durationSeconds: options.durationSeconds, workers: options.workers, costs: clusterSegmentCosts(model, queueLatencyMs + 2 * transferLatencyMs) });
  const { candidates, nearPct = 5, ...rest } = options;
  // the run's check of the model does not depend on the segment length: once, for every candidate
  const validation = validate(meta, results);
  const measured = candidates.map((candidate) => {
    const segmentSeconds = candidate === 'auto' ? auto.segmentSeconds : candidate;
    const projection = buildProjection(meta, results, { ...rest, configId: config.id, workers: [options.workers], segmentSeconds }, validation);
    const row = projection.rows[0];
    if (!row) throw new Error('the projection returned no row');
    return { candidate, segmentSeconds, chunks: projection.scenario.chunks, wallMs: row.wallMs, wallRangeMs: row.wallRangeMs };
  });
  const best = Math.min(...measured.map((r) => r.wallMs));
  const rows = measured.map((r) => ({ ...r, vsFastest: r.wallMs / best }));
  const fastest = rows.find((r) => r.wallMs === best) as SegmentAnswerRow;
  return {
    kind: 'model',
    runId: meta.runId,
    label: config.label,
    durationSeconds: options.durationSeconds,
    workers: options.workers,
    rows,
    fastest,
    near: rows.filter((r) => r.vsFastest <= 1 + nearPct / 100),
    nearPct,
    auto,
    heldOut: validation.heldOut,
    heldOutPoints: validation.points.length - validation.notHeldOut,
  };
}
