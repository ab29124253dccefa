// The projection as the CLI prints it: the validation table (measured vs predicted on this machine), the
// projection table, and the sentences, headed by the reminder that it is a model. Pure: text out.
import { projectionSentences } from '../report/projection.ts';
import type { Projection } from './types.ts';

const pad = (cells: string[], widths: number[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');

/** Left-aligned first column, right-aligned numbers. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [pad(header, widths), ...rows.map((r) => pad(r, widths))].join('\n');
}

const s = (ms: number) => (ms / 1000).toFixed(ms >= 100_000 ? 1 : 2);

/** The whole printout. */
export function formatProjection(p: Projection, path: string | null): string {
  const v = p.validation;
  const sc = p.scenario;
  const lines = [
    `MODEL PROJECTION (a simulation driven by run ${p.runId}'s cost model, not a measurement)`,
    `configuration: ${p.label} (${p.configId})`,
    `cost model: ${p.model.workSecondsPerVideoSecond.toFixed(4)} s of work per second of video; ${p.model.chunkStartupMs.toFixed(1)} ms startup + ${p.model.chunkOverheadMs.toFixed(1)} ms overhead per chunk (R² ${p.model.chunkFitR2.toFixed(3)}, chunk CV ${(p.model.chunkCv * 100).toFixed(1)}%); merge ${p.model.mergeMsPerChunk.toFixed(2)} ms per chunk`,
    '',
    `validation on this ${p.model.cores}-core machine (measured mean of the run vs the model; * = past the core count, held out of the fit):`,
    table(
      ['configuration', 'workers', 'chunks', 'runs', 'measured s', 'predicted s', 'error'],
      v.points.map((pt) => [`${pt.label}${pt.oversubscribed ? ' *' : ''}`, String(pt.workers), String(pt.chunks), String(pt.runs), s(pt.measuredWallMs), s(pt.predictedWallMs), `${pt.errorPct >= 0 ? '+' : ''}${pt.errorPct.toFixed(1)}%`]),
    ),
    `error: mean |${v.meanAbsErrorPct.toFixed(1)}%|, max |${v.maxAbsErrorPct.toFixed(1)}%| (target ≤ ${v.targetPct}%: ${v.withinTarget ? 'met' : 'NOT met'})`,
    '',
    `projection: ${sc.durationSeconds} s video, ${sc.segmentSeconds} s chunks (${sc.chunks}), ${sc.bandwidthMbps} Mbit/s per worker, coordinator ${sc.coordinatorMbps} Mbit/s, ${sc.queueLatencyMs} ms queue latency (${sc.queueLatencyFrom}), ${sc.threadsPerWorker} thread(s) per worker`,
    table(
      ['workers', 'wall s', `range s (${sc.replications} reps)`, 'speedup', 'efficiency', 'serial s', 'process s', 'transfer'],
      p.rows.map((r) => [String(r.workers), s(r.wallMs), r.wallRangeMs ? `${s(r.wallRangeMs.loMs)}–${s(r.wallRangeMs.hiMs)}` : '—', `${r.speedup.toFixed(1)}×`, `${(r.efficiency * 100).toFixed(0)}%`, s(r.serialMs), s(r.processMs), `${(r.transferShare * 100).toFixed(0)}%`]),
    ),
    '',
    ...projectionSentences(p),
    '',
    'assumptions:',
    ...p.assumptions.map((a) => `  - ${a}`),
  ];
  if (path) lines.push('', `written: ${path}`);
  return `${lines.join('\n')}\n`;
}
