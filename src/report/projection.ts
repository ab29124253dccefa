// The report's cluster-projection section: one Vega-Lite chart and two or three sentences, pure functions of
// projection.json (src/simulate). Everything here is labelled as a model; the only measured marks are the
// run's own points on this machine, drawn beside the model's prediction for that machine so the reader can
// see how far the model is from what it can be checked against.
import type { Projection } from '../simulate/index.ts';
import type { ChartSpec } from './charts.ts';

const seconds = (ms: number) => ms / 1000;
const fmtS = (ms: number) => (ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${seconds(ms).toFixed(ms >= 10_000 ? 1 : 2)} s`);
const fmtX = (x: number) => `${x.toFixed(x >= 10 ? 0 : 1)}×`;

/** Vega-Lite spec: predicted wall time and speedup against workers (log-2 axes), measured points overlaid. */
export function projectionChart(p: Projection): ChartSpec {
  const cluster = `model: ${p.scenario.durationSeconds} s video, cluster`;
  const local = `model: ${p.local.durationSeconds.toFixed(0)} s source, this ${p.local.cores}-core machine`;
  const measured = `measured: ${p.local.durationSeconds.toFixed(0)} s source, this machine`;
  const series = [cluster, local, measured];
  const rows = [
    ...p.rows.flatMap((r) => [
      { panel: 'wall time (s)', series: cluster, workers: r.workers, value: seconds(r.wallMs), lo: seconds(r.wallRangeMs?.loMs ?? r.wallMs), hi: seconds(r.wallRangeMs?.hiMs ?? r.wallMs) },
      { panel: 'speedup over 1 worker (×)', series: cluster, workers: r.workers, value: r.speedup, lo: r.speedup, hi: r.speedup },
    ]),
    ...p.local.model.flatMap((m) => [
      { panel: 'wall time (s)', series: local, workers: m.workers, value: seconds(m.wallMs), lo: seconds(m.wallMs), hi: seconds(m.wallMs) },
      { panel: 'speedup over 1 worker (×)', series: local, workers: m.workers, value: m.speedup, lo: m.speedup, hi: m.speedup },
    ]),
  ];
  const points = p.local.measured.flatMap((m) => [
    { panel: 'wall time (s)', series: measured, label: m.label, workers: m.workers, value: seconds(m.wallMs), lo: seconds(m.lo), hi: seconds(m.hi) },
    ...(m.speedup === null ? [] : [{ panel: 'speedup over 1 worker (×)', series: measured, label: m.label, workers: m.workers, value: m.speedup, lo: m.speedup, hi: m.speedup }]),
  ]);
  const x = { field: 'workers', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'workers (log₂ scale)', axis: { values: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096].filter((w) => w <= Math.max(...p.rows.map((r) => r.workers), 1)) } };
  const y = { field: 'value', type: 'quantitative', scale: { type: 'log', base: 2 }, title: null };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: ['#4c78a8', '#9ecae9', '#e45756'] }, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 420 } };
  return {
    name: 'cluster-projection',
    title: `Model projection (not a measurement): ${p.label}, ${p.scenario.durationSeconds} s video in ${p.scenario.segmentSeconds} s chunks, ${p.scenario.bandwidthMbps} Mbit/s per worker; points: this run's measurements (mean, 95% CI)`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: 'Cluster projection — a model, not a measurement', subtitle: `validated on this run's ${p.validation.points.length} measured points: max error ${p.validation.maxAbsErrorPct.toFixed(1)}%, mean ${p.validation.meanAbsErrorPct.toFixed(1)}%` },
      background: 'white',
      data: { values: [...rows, ...points] },
      facet: { row: { field: 'panel', type: 'nominal', title: null, sort: ['wall time (s)', 'speedup over 1 worker (×)'] } },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 640,
        height: 220,
        layer: [
          { transform: [{ filter: `datum.series !== '${measured}'` }], mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'lo', type: 'quantitative', scale: { type: 'log', base: 2 } }, y2: { field: 'hi' }, color } },
          { transform: [{ filter: `datum.series !== '${measured}'` }], mark: { type: 'line', point: true, strokeDash: [4, 3] }, encoding: { x, y, color, tooltip: [{ field: 'series' }, { field: 'workers' }, { field: 'value', format: '.3f' }] } },
          { transform: [{ filter: `datum.series === '${measured}'` }], mark: { type: 'rule', color: '#e45756' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
          { transform: [{ filter: `datum.series === '${measured}'` }], mark: { type: 'point', filled: true, size: 70, shape: 'diamond' }, encoding: { x, y, color, tooltip: [{ field: 'label' }, { field: 'value', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }] } },
        ],
      },
    },
  };
}

/** Two or three plain sentences for the report: what the model predicts, where it flattens and why. */
export function projectionSentences(p: Projection): string[] {
  const first = p.rows[0];
  const last = p.rows[p.rows.length - 1];
  if (!first || !last) return [];
  const s = p.scenario;
  const out = [
    `Model projection, not a measurement: for a ${s.durationSeconds} s video in ${s.segmentSeconds} s chunks (${s.chunks} chunks), the cost model fitted to this run (${(p.model.workSecondsPerVideoSecond).toFixed(3)} s of work per second of video, ${(p.model.chunkStartupMs + p.model.chunkOverheadMs).toFixed(0)} ms fixed per chunk) predicts ${fmtS(first.wallMs)} on ${first.workers} worker(s) and ${fmtS(last.wallMs)} on ${last.workers}, a ${fmtX(last.speedup)} speedup (efficiency ${(last.efficiency * 100).toFixed(0)}%).`,
  ];
  const l = p.limits;
  const causes: [number, string][] = [
    [l.serialMs, `the serial probe, split and merge on the coordinator take ${fmtS(l.serialMs)} whatever the worker count`],
    [l.longestChunkMs, `one chunk alone takes ${fmtS(l.longestChunkMs)}${l.workers >= s.chunks ? ` and past ${s.chunks} workers there are no more chunks to hand out` : ''}`],
    [l.coordinatorLinkMs, `the coordinator's ${s.coordinatorMbps} Mbit/s link needs ${fmtS(l.coordinatorLinkMs)} to move every chunk in and out`],
  ];
  causes.sort((a, b) => b[0] - a[0]);
  const flat = p.halfEfficiencyAt === null ? `Efficiency stays above 50% up to ${last.workers} workers` : `Efficiency falls below 50% from ${p.halfEfficiencyAt} workers`;
  out.push(`${flat}; at ${last.workers} workers the wall time is bounded by what does not parallelise: ${causes.map((c) => c[1]).join('; ')}.`);
  const v = p.validation;
  const worst = [...v.points].sort((a, b) => Math.abs(b.errorPct) - Math.abs(a.errorPct))[0];
  if (worst) out.push(`Checked against this run's own ${v.points.length} measured chunked and sequential points on ${p.model.cores} cores, the model is off by ${v.meanAbsErrorPct.toFixed(1)}% on average and ${v.maxAbsErrorPct.toFixed(1)}% at worst (${worst.label}${worst.oversubscribed ? ', past the core count' : ''}); ${v.withinTarget ? 'within' : 'outside'} the ${v.targetPct}% target, but only over the measured range, not at cluster scale.`);
  return out;
}
