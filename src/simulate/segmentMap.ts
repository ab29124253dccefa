// "Which segment length for other videos and worker counts?" as a map: for each worker count and video
// length, the length the cost model predicts fastest and every length within `nearPct` of it, on a cluster
// of one slot per worker (the projection's setting: index.ts buildProjection, with its defaults for the
// link, the coordinator and the dispatch wait). The model is fitted once; each point is the mean of seeded
// discrete-event simulations with each chunk's cost scattered by the run's chunk CV (predict.ts). A model's answer, not a measurement: the report draws it as a
// model, beside what the run measured, and quotes the run's own held-out error with it. Pure.
import { mulberry32 } from '../stats/index.ts';
import type { CostModel } from './costModel.ts';
import { planChunkSeconds, predictRun, type Setting } from './predict.ts';

/** Candidate lengths (s): round numbers, plus one, two and three chunks per worker for each case. */
export const MAP_CANDIDATES_S = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 45, 60, 90, 120, 180, 300, 600];
/** Noisy replications per point (chunk costs scattered by the model's chunk CV). */
export const MAP_REPLICATIONS = 8;
/** Video lengths of the map (s): 1 min to 2 h. */
export const MAP_DURATIONS_S = [60, 180, 600, 1800, 7200];

export interface MapPoint {
  workers: number;
  durationSeconds: number;
  /** The fastest candidate, and its predicted wall time. */
  bestSeconds: number;
  bestWallMs: number;
  /** The shortest and longest candidates within `nearPct` of the fastest (the band; not always contiguous). */
  nearLoSeconds: number;
  nearHiSeconds: number;
  /** The predicted wall time at 10 s over the fastest's, when 10 s fits the video (≤ its length). */
  tenSecondsVsBest: number | null;
}

export interface SegmentMap {
  kind: 'model';
  nearPct: number;
  points: MapPoint[];
}

/** The link and dispatch the projection assumes, for the map's settings. */
export interface MapLink {
  queueLatencyMs: number;
  transferLatencyMs: number;
  bandwidthMbps: number | null;
  coordinatorMbps: number | null;
}

/** The candidates for one case: the round lengths up to the video's, and D/(k·W) for k = 1, 2, 3. */
export function candidatesFor(durationSeconds: number, workers: number): number[] {
  const perWorker = [1, 2, 3].map((k) => durationSeconds / (k * workers)).filter((s) => s >= 1);
  return [...new Set([...MAP_CANDIDATES_S.filter((s) => s <= durationSeconds), ...perWorker.map((s) => Number(s.toFixed(3)))])].sort((a, b) => a - b);
}

/** The map over `workers` × `durations`, from one fitted model. */
export function segmentMap(model: CostModel, link: MapLink, workers: readonly number[], durations: readonly number[] = MAP_DURATIONS_S, nearPct = 5, replications = MAP_REPLICATIONS, seed = 1): SegmentMap {
  const points: MapPoint[] = [];
  for (const w of workers) {
    for (const d of durations) {
      const walls = candidatesFor(d, w).map((s) => {
        const setting: Setting = { workers: w, durationSeconds: d, segmentSeconds: s, chunkSeconds: planChunkSeconds(d, s), sharedCores: null, ...link };
        // the mean over seeded replications with the chunks' own scatter: without it every chunk of a length
        // costs the same and one chunk per worker always wins, which no real run shows (the slowest of W
        // long chunks sets the wall time)
        const rng = mulberry32(seed);
        let sum = 0;
        for (let r = 0; r < replications; r++) sum += predictRun(model, setting, rng).wallMs;
        return { seconds: s, wallMs: sum / replications };
      });
      const best = walls.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
      const near = walls.filter((x) => x.wallMs <= best.wallMs * (1 + nearPct / 100)).map((x) => x.seconds);
      const ten = walls.find((x) => x.seconds === 10);
      points.push({
        workers: w,
        durationSeconds: d,
        bestSeconds: best.seconds,
        bestWallMs: best.wallMs,
        nearLoSeconds: Math.min(...near),
        nearHiSeconds: Math.max(...near),
        tenSecondsVsBest: ten ? ten.wallMs / best.wallMs : null,
      });
    }
  }
  return { kind: 'model', nearPct, points };
}
