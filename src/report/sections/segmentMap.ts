// "What should a team with another video, or more workers, pick?": the cost model's map of the fastest
// segment length against video length for several worker counts (simulate/segmentMap.ts), drawn as a model
// beside the length this run measured fastest, with 10 s marked, and one sentence for long videos. Only
// where the run's own check of the model passed (the projection's held-out error within its target): a
// model that failed is not drawn here either. Pure.
import { fitFamilies, modelFor } from '../../simulate/calibrate.ts';
import { DEFAULT_BANDWIDTH_MBPS, DEFAULT_COORDINATOR_MBPS, DEFAULT_QUEUE_LATENCY_MS, measuredLink, pickConfig } from '../../simulate/index.ts';
import { segmentMap, type MapPoint, type SegmentMap } from '../../simulate/segmentMap.ts';
import { base, MODEL_COLOUR, WIDTH } from '../charts.ts';
import { list, roundedSeconds, videoLength } from '../format.ts';
import { model as modelSentence, type ChartSpec, type ReportContext, type Sentence } from '../section.ts';

/** Worker counts of the map: the run's own, then a few to a cluster's. */
const MAP_WORKERS = [2, 4, 16, 64];
/** Long videos, for the 10 s clause: 10 min and more. */
const LONG_S = 600;


export interface MapWords {
  sentences: Sentence[];
  charts: ChartSpec[];
  /** "puts 10 s 0–4% slower than the fastest length for 10 min to 2 h videos on 2 to 64 workers", for the
   * section's conclusion; null without a map. */
  tenSecondsClause: string | null;
}

/** How far 10 s is from the fastest length over the map's long videos (10 min and more): the least and most,
 * as percentages, and the videos and worker counts they span; null where no long video has a 10 s figure. */
function tenSecondsRange(map: SegmentMap): { loPct: string; hiPct: string; videos: [number, number]; workers: [number, number] } | null {
  const long = map.points.filter((pt) => pt.durationSeconds >= LONG_S && pt.tenSecondsVsBest !== null);
  if (!long.length) return null;
  const tens = long.map((pt) => pt.tenSecondsVsBest as number);
  const pct = (v: number) => Math.max(0, (v - 1) * 100).toFixed(0);
  const durations = long.map((pt) => pt.durationSeconds);
  const workers = long.map((pt) => pt.workers);
  return { loPct: pct(Math.min(...tens)), hiPct: pct(Math.max(...tens)), videos: [Math.min(...durations), Math.max(...durations)], workers: [Math.min(...workers), Math.max(...workers)] };
}

/** "puts 10 s 0–4% slower than the fastest length for 10 min to 2 h videos on 2 to 64 workers"; null if none. */
export function tenSecondsClause(map: SegmentMap): string | null {
  const r = tenSecondsRange(map);
  return r ? `puts 10 s ${r.loPct}–${r.hiPct}% slower than the fastest length for ${videoLength(r.videos[0])} to ${videoLength(r.videos[1])} videos on ${r.workers[0]} to ${r.workers[1]} workers` : null;
}

/** The map, its chart and its sentence; nothing where the run has no model that passed its own check. */
export function segmentMapWords(ctx: ReportContext, measuredFastest: { segmentSeconds: number; durationSeconds: number; workers: number } | null): MapWords {
  const p = ctx.cluster;
  const validation = p?.validation;
  if (!p || !validation?.heldOut?.points || validation.withinTarget === false) return { sentences: [], charts: [], tenSecondsClause: null };
  const config = pickConfig(ctx.meta, ctx.results, p.configId);
  const fitted = modelFor(config, fitFamilies(ctx.meta, ctx.results));
  if (!fitted) return { sentences: [], charts: [], tenSecondsClause: null };
  const link = measuredLink(ctx.results);
  const workers = [...new Set([config.workers, ...MAP_WORKERS])].sort((a, b) => a - b);
  const map = segmentMap(fitted, { queueLatencyMs: fitted.queueWaitMs ?? DEFAULT_QUEUE_LATENCY_MS, transferLatencyMs: link?.latencyMs ?? 0, bandwidthMbps: link?.mbps ?? DEFAULT_BANDWIDTH_MBPS, coordinatorMbps: DEFAULT_COORDINATOR_MBPS }, workers);
  const err = `held-out error ${validation.heldOut.meanAbsErrorPct.toFixed(1)}% mean, ${validation.heldOut.maxAbsErrorPct.toFixed(1)}% worst on this run's points`;
  return { sentences: [modelSentence(longVideoWords(map, err, fitted.chunkCv))], charts: [mapChart(map, measuredFastest)], tenSecondsClause: tenSecondsClause(map) };
}

/** "For a 2 h video …": the fastest length and the band on each worker count at the longest video, then
 * how far 10 s is from the fastest over every long video, then what the model leaves out. */
export function longVideoWords(map: SegmentMap, errorWords: string, chunkCv: number): string {
  const longest = Math.max(...map.points.map((pt) => pt.durationSeconds));
  const atLongest = map.points.filter((pt) => pt.durationSeconds === longest);
  const per = atLongest.map((pt) => `${pt.workers} workers ${roundedSeconds(pt.bestSeconds)} (${roundedSeconds(pt.nearLoSeconds)}–${roundedSeconds(pt.nearHiSeconds)})`);
  const r = tenSecondsRange(map);
  const ten = r ? ` For videos of ${videoLength(r.videos[0])} to ${videoLength(longest)}, 10 s is ${r.loPct}%–${r.hiPct}% slower than the fastest length.` : '';
  return `The cost model (a model, not a measurement; ${errorWords}) for a ${videoLength(longest)} video: the fastest length, and in parentheses every length within ${map.nearPct}% of it, is ${list(per)}.${ten} It prices each chunk's start-up and merge, and the last wave's imbalance with each chunk's measured scatter (${(chunkCv * 100).toFixed(0)}%); it does not price what argues for shorter chunks besides: the work a failed chunk loses, the wait for the first finished chunk, or the compression cost above.`;
}

/** Best length (line) and the within-band (area) against video length, per worker count; 10 s marked. */
function mapChart(map: SegmentMap, measured: { segmentSeconds: number; durationSeconds: number; workers: number } | null): ChartSpec {
  const durations = [...new Set(map.points.map((pt) => pt.durationSeconds))];
  const lengths = map.points.flatMap((pt) => [pt.nearLoSeconds, pt.nearHiSeconds, pt.bestSeconds]);
  const yDomain = [Math.min(1, ...lengths) / 1.3, Math.max(...lengths) * 1.3];
  const yTicks = [1, 2, 5, 10, 20, 60, 120, 300, 900, 1800, 3600].filter((t) => t >= yDomain[0]! && t <= yDomain[1]!);
  const x = { field: 'video', type: 'quantitative', title: 'video length (log scale)', scale: { type: 'log', domain: [Math.min(...durations) / 1.2, Math.max(...durations) * 1.2], nice: false }, axis: { values: durations, labelExpr: "datum.value >= 3600 ? datum.value / 3600 + ' h' : datum.value / 60 + ' min'" } };
  const y = (field: string) => ({ field, type: 'quantitative', title: 'segment length (s, log scale)', scale: { type: 'log', domain: yDomain, nice: false }, axis: { values: yTicks, format: '~g' } });
  const workers = [...new Set(map.points.map((pt) => pt.workers))];
  const colour = { field: 'workers', type: 'ordinal', title: 'workers', scale: { scheme: 'viridis' }, legend: { orient: 'bottom', direction: 'horizontal' } };
  const rows = map.points.map((pt) => ({ video: pt.durationSeconds, workers: pt.workers, best: pt.bestSeconds, lo: pt.nearLoSeconds, hi: pt.nearHiSeconds }));
  return {
    name: 'segment-map',
    title: `A model, not a measurement: the segment length the cost model predicts fastest (line) and every length within ${map.nearPct}% of it (band) against the video's length, for ${list(workers.map(String))} workers; 10 s dashed${measured ? `; the diamond is the length this run measured fastest (${roundedSeconds(measured.segmentSeconds)} for its ${videoLength(measured.durationSeconds)} video on ${measured.workers} workers)` : ''}.`,
    spec: {
      ...base('Model: fastest segment length vs video length', 300),
      width: WIDTH,
      layer: [
        { data: { values: rows }, mark: { type: 'area', opacity: 0.13 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color: colour } },
        { data: { values: rows }, mark: { type: 'line', strokeWidth: 2, point: true, color: MODEL_COLOUR }, encoding: { x, y: y('best'), color: colour, tooltip: [{ field: 'workers' }, { field: 'video', title: 'video s' }, { field: 'best', title: 'fastest s' }, { field: 'lo', title: 'band from s' }, { field: 'hi', title: 'band to s' }] } },
        { data: { values: [{ ten: 10 }] }, mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { y: y('ten') } },
        { data: { values: [{ ten: 10, video: Math.max(...durations) * 1.15 }] }, mark: { type: 'text', align: 'right', dy: -8, fontSize: 12, text: '10 s', color: '#666' }, encoding: { x, y: y('ten') } },
        ...(measured ? [{ data: { values: [{ video: measured.durationSeconds, best: measured.segmentSeconds }] }, mark: { type: 'point', shape: 'diamond', filled: true, size: 140, color: '#222', opacity: 1 }, encoding: { x, y: y('best') } }] : []),
      ],
    },
  };
}
