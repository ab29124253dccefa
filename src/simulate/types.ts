// Public types of the cluster projection: plain serialisable data, written to projection.json and read by
// the report. Everything here is a model's output, and `kind` says so.
import type { CostModel } from './costModel.ts';
import type { Validation } from './validate.ts';

/** What the caller asks for (CLI flags after parsing). */
export interface ProjectionOptions {
  /** Worker counts to predict, each ≥ 1. */
  workers: number[];
  /** Length of the projected video, seconds. */
  durationSeconds: number;
  /** Each worker's link, Mbit/s; default: what the run's http uploads imply (transport/costs.ts), else
   * DEFAULT_BANDWIDTH_MBPS. */
  bandwidthMbps?: number | undefined;
  /** The coordinator's link, shared by every transfer, Mbit/s; default DEFAULT_COORDINATOR_MBPS. */
  coordinatorMbps?: number | undefined;
  /** Segment length; default the configuration's. */
  segmentSeconds?: number | undefined;
  /** Configuration id (or a unique prefix, or its label); default the worker sweep's centre. */
  configId?: string | undefined;
  /** Dispatch latency per chunk when the run measured none, ms; default DEFAULT_QUEUE_LATENCY_MS. */
  queueLatencyMs?: number | undefined;
  /** Fixed time per transfer, ms; default: what the run's http uploads imply, else 0. */
  transferLatencyMs?: number | undefined;
  /** Noisy replications per worker count for the range; 0 = none. */
  replications?: number | undefined;
  seed?: number | undefined;
}

/** One projected worker count. */
export interface ProjectionRow {
  workers: number;
  wallMs: number;
  /** 2.5–97.5 percentile range over the noisy replications, or null without noise. */
  wallRangeMs: { loMs: number; hiMs: number } | null;
  /** Predicted T(1) / T(workers). */
  speedup: number;
  efficiency: number;
  /** Probe + split + merge: serial, on the coordinator. */
  serialMs: number;
  processMs: number;
  /** Workers that get at least one chunk. */
  busyWorkers: number;
  /** Under `--segment auto`: the length and chunk count chosen for this worker count. */
  segmentSeconds?: number;
  chunks?: number;
  /** Share of the workers' busy time spent moving bytes. */
  transferShare: number;
}

/** The model on the measuring machine beside what was measured there, for the chart's overlay. */
export interface LocalComparison {
  durationSeconds: number;
  segmentSeconds: number;
  cores: number;
  model: { workers: number; wallMs: number; speedup: number }[];
  /** Mean wall time of each measured configuration with the 95% CI of that mean (stats/describe), and its speedup
   * over the mean of the measured 1-worker configurations (chunked w1, sequential). */
  measured: { workers: number; label: string; wallMs: number; lo: number; hi: number; speedup: number | null }[];
}

/** Version 2: the validation gives in-sample and held-out (leave one configuration out) errors apart. */
export const PROJECTION_SCHEMA = 'chunkbench.projection/2';

export interface Projection {
  schema: typeof PROJECTION_SCHEMA;
  kind: 'model';
  runId: string;
  configId: string;
  label: string;
  scenario: {
    durationSeconds: number;
    /** The segment length (under `--segment auto`: the one chosen for the largest worker count; each row has its own). */
    segmentSeconds: number;
    chunks: number;
    /** The configuration's segment is `auto` and no --segment was given: chosen per worker count. */
    segmentAuto?: true;
    bandwidthMbps: number;
    /** Where the bandwidth came from: stated by the caller, fitted to the run's http uploads, or the default. */
    bandwidthFrom?: 'stated' | 'measured uploads' | 'default';
    /** Fixed time per transfer (each chunk has two: its input and its output), ms. */
    transferLatencyMs?: number;
    transferLatencyFrom?: 'measured uploads' | 'none measured';
    coordinatorMbps: number;
    queueLatencyMs: number;
    queueLatencyFrom: 'measured queueWaitMs' | 'stated';
    threadsPerWorker: number;
    replications: number;
    seed: number;
  };
  model: CostModel;
  validation: Validation;
  rows: ProjectionRow[];
  /** Lower bounds on the wall time at the largest worker count, ms: what the speedup runs into. */
  limits: { workers: number; serialMs: number; longestChunkMs: number; coordinatorLinkMs: number; workPerWorkerMs: number };
  /** Smallest projected worker count whose efficiency is below 50%, or null. */
  halfEfficiencyAt: number | null;
  local: LocalComparison;
  assumptions: string[];
}
