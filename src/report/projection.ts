// The report's cluster-projection section: one Vega-Lite chart and two or three sentences, pure functions of
// projection.json (src/simulate). Everything here is labelled as a model; the only measured marks are the
// run's own points on this machine, drawn beside the model's prediction for that machine so the reader can
// see how far the model is from what it can be checked against. The check leads with held-out error (each
// configuration predicted by the model refitted without it, simulate/holdout.ts); the in-sample error, where
// the fit saw the point's own runs, is given beside it and named as such.
import type { NotHeldOut, Projection } from '../simulate/index.ts';
import { PROJECTION_SCHEMA } from '../simulate/types.ts';
import type { Prediction } from '../simulate/validate.ts';
import type { ChartSpec } from './charts.ts';

const seconds = (ms: number) => ms / 1000;
const fmtS = (ms: number) => (ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${seconds(ms).toFixed(ms >= 10_000 ? 1 : 2)} s`);
const fmtX = (x: number) => `${x.toFixed(x >= 10 ? 0 : 1)}×`;
const fmtPct = (pct: number) => `${pct.toFixed(1)}%`;
const signed = (pct: number) => `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;

/** A projection.json written before held-out validation (schema /1) has in-sample figures only. */
const current = (p: Projection): boolean => p.schema === PROJECTION_SCHEMA && p.validation.heldOut !== undefined;
const STALE = 'This projection.json predates held-out validation: its errors are in-sample only (the fit saw every point it was checked on). Rerun `npm run simulate` for the held-out check.';

/** The chart's one-line account of the check: held-out first. */
function checkLine(p: Projection): string {
  if (!current(p)) return 'validated in-sample only (an older projection.json): rerun npm run simulate';
  const v = p.validation;
  const held = v.heldOut.points ? `held-out error (each configuration left out of the fit) mean ${fmtPct(v.heldOut.meanAbsErrorPct)}, max ${fmtPct(v.heldOut.maxAbsErrorPct)} over ${v.heldOut.points} of ${v.points.length} measured points` : `no measured point could be left out of the fit`;
  return `${held}; in-sample mean ${fmtPct(v.inSample.meanAbsErrorPct)}, max ${fmtPct(v.inSample.maxAbsErrorPct)}`;
}

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
      title: { text: 'Cluster projection — a model, not a measurement', subtitle: checkLine(p) },
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

/** Plain sentences for the report: what the model predicts, where it flattens and why, and how well it
 * predicts points it was not fitted on. */
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
  out.push(...checkSentences(p));
  return out;
}

/** Why the points that could not be left out could not, counted by cause. */
function notHeldOutCauses(points: Projection['validation']['points']): string {
  const count = (cause: NotHeldOut['cause']) => points.filter((pt) => pt.heldOut.state === 'not-held-out' && pt.heldOut.cause === cause).length;
  const only = count('only-configuration-of-its-work');
  const cores = count('only-runs-within-cores');
  return [
    only ? `${only} ${only === 1 ? 'is the only configuration' : 'are each the only configuration'} doing ${only === 1 ? 'its' : 'their'} work (a preset, filter or split measured at one setting), so nothing else measures that work's cost` : '',
    cores ? `${cores} ${cores === 1 ? 'holds' : 'each hold'} the only runs of ${cores === 1 ? 'its' : 'their'} family within the core count` : '',
  ].filter(Boolean).join('; ');
}

/** The validation in words: held-out error against the measured CIs, then the in-sample error, named so. */
function checkSentences(p: Projection): string[] {
  if (!current(p)) return [STALE];
  const v = p.validation;
  const cores = `${v.points.length} measured chunked and sequential points on ${p.model.cores} cores`;
  const notHeld = v.notHeldOut ? ` The other ${v.notHeldOut} could not be left out, so for them only the in-sample check exists: ${notHeldOutCauses(v.points)}.` : '';
  const worst = v.points.find((pt) => pt.label === v.heldOut.worst);
  if (!v.heldOut.points) return [`Checked against this run's own ${cores}, no point could be left out of the fit, so there is no held-out check: fitted on all of them (in-sample) the model is off by ${fmtPct(v.inSample.meanAbsErrorPct)} on average and ${fmtPct(v.inSample.maxAbsErrorPct)} at worst, which says little about its predictions.${notHeld}`];
  return [
    `Checked against this run's own ${cores}, each configuration left out of the fit in turn and predicted from the rest: the ${v.heldOut.points} that can be left out are off by ${fmtPct(v.heldOut.meanAbsErrorPct)} on average and ${fmtPct(v.heldOut.maxAbsErrorPct)} at worst (${v.heldOut.worst}${worst?.oversubscribed ? ', past the core count' : ''}), and ${v.heldOut.insideCi} of ${v.heldOut.withCi} predictions fall inside the measured 95% CI; ${v.withinTarget ? 'within' : 'outside'} the ${v.targetPct}% target, over the measured range only, not at cluster scale.`,
    `Fitted on every point, its own runs included (in-sample), the same ${v.inSampleOfHeldOut.points} are off by ${fmtPct(v.inSampleOfHeldOut.meanAbsErrorPct)} on average (all ${v.inSample.points}: ${fmtPct(v.inSample.meanAbsErrorPct)}, ${v.inSample.insideCi} of ${v.inSample.withCi} inside the CI): the in-sample figures flatter the model.${notHeld}`,
  ];
}

/** One row of the report's validation table: measured mean and CI, both predictions, as text. */
export interface ValidationRow {
  label: string;
  measured: string;
  inSample: string;
  heldOut: string;
}

const predicted = (pr: Prediction) => `${fmtS(pr.predictedWallMs)}, ${signed(pr.errorPct)}, ${pr.insideCi === null ? 'no CI (one run)' : pr.insideCi ? 'inside the CI' : 'outside the CI'}`;

/** The validation table: every measured point with its 95% CI, in-sample and held-out predictions. */
export function projectionValidationRows(p: Projection): ValidationRow[] {
  if (!current(p)) return [];
  return p.validation.points.map((pt) => ({
    label: `${pt.label}${pt.oversubscribed ? ' (past the core count)' : ''}`,
    measured: `${fmtS(pt.measuredWallMs)} [${fmtS(pt.measuredCi95.lo)}, ${fmtS(pt.measuredCi95.hi)}] (${pt.runs} runs)`,
    inSample: predicted(pt.inSample),
    heldOut: pt.heldOut.state === 'predicted' ? predicted(pt.heldOut) : `not held out: ${pt.heldOut.reason}`,
  }));
}
