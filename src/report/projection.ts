// The report's cluster-projection section: one Vega-Lite chart and two or three sentences, pure functions of
// projection.json (src/simulate). Everything here is labelled as a model; the only measured marks are the
// run's own points on this machine, drawn beside the model's prediction for that machine so the reader can
// see how far the model is from what it can be checked against. Every model curve carries its own band in its
// own colour, and the y axis runs to the power of two at or above the highest band, so nothing is clipped. The
// check leads with held-out error (each configuration predicted by the model refitted without it,
// simulate/holdout.ts); the in-sample error, where the fit saw the point's own runs, is given beside it and
// named as such; a model whose held-out error misses its target says so in its chart's title.
import type { NotHeldOut, Projection } from '../simulate/index.ts';
import { PROJECTION_SCHEMA } from '../simulate/types.ts';
import type { Prediction } from '../simulate/validate.ts';
import { duration as fmtS, percent as fmtPct, plural, share, signedPercent as signed, timesRounded as fmtX, type Estimate } from './format.ts';
import { base, CENTRE_COLOUR, MODEL_COLOUR } from './charts.ts';
import type { ChartSpec } from './section.ts';



/** The dash of every model curve, in the plot and in its legend alike. */
const MODEL_DASH = [5, 3];

/** A projection.json written before held-out validation (schema /1) has in-sample figures only. */
const current = (p: Projection): boolean => p.schema === PROJECTION_SCHEMA && p.validation.heldOut !== undefined;
const STALE = 'This projection.json predates held-out validation: its errors are in-sample only (the fit saw every point it was checked on). Rerun `npm run simulate` for the held-out check.';

/** The chart's one-line account of the check: held-out first. */
function checkLine(p: Projection): string {
  if (!current(p)) return 'validated in-sample only (an older projection.json): rerun npm run simulate';
  const v = p.validation;
  const held = v.heldOut.points ? `held-out error (points left out of the fit) mean ${fmtPct(v.heldOut.meanAbsErrorPct)}, max ${fmtPct(v.heldOut.maxAbsErrorPct)} over ${v.heldOut.points} of ${v.points.length} measured points` : `no measured point could be left out of the fit`;
  const target = v.heldOut.points ? `; ${v.withinTarget ? 'within' : 'OUTSIDE'} the ${v.targetPct}% target` : '';
  // in-sample over the same points as held-out, so that the two compare (over every point they mixed bases)
  const same = v.heldOut.points ? v.inSampleOfHeldOut : v.inSample;
  return `${held}${target}; in-sample on the same points mean ${fmtPct(same.meanAbsErrorPct)}, max ${fmtPct(same.maxAbsErrorPct)}`;
}

/** The model missed its own held-out check: its worst held-out error is past the target. Such a model's
 * numbers stay in its section, flagged, and are never the page's answer. */
export const checkFailed = (p: Projection): boolean => current(p) && p.validation.withinTarget === false;

/** The failed check in words: "its worst held-out error is 17.1% against the 15% target". */
export const failedCheckClause = (p: Projection): string => `its worst held-out error is ${fmtPct(p.validation.heldOut.maxAbsErrorPct)} against the ${p.validation.targetPct}% target`;

/** What the report knows beside the projection: the baseline of the page's headline, the run's own points
 * against it, and Amdahl's reading of the serial share where the scaling section could fit it. */
export interface ProjectionContext {
  /** single's mean wall time on the measured source, ms, with its 95% CI: every speedup is over it. */
  singleMs: Estimate;
  /** The run's chunked points against single, paired by round; `centre` is drawn in the centre's colour. */
  measured: { workers: number; label: string; value: number; lo: number; hi: number; centre: boolean }[];
  /** Amdahl's serial fraction f with its 95% CI, as the scaling section fitted it (only where its rule on worker
   * counts within the cores is met): the reading in which the per-chunk overhead does not shrink with more
   * workers. Null where it was not fitted — a one-point Karp–Flatt reading is not a fit. */
  serial: { f: Estimate; source: string } | null;
}

/** single for the projected video: one ffmpeg pays no per-chunk cost, so its time is taken to grow in
 * proportion to the video's length (the stated assumption). */
export const singleAtScale = (p: Projection, singleMs: Estimate): Estimate => {
  const k = p.scenario.durationSeconds / p.local.durationSeconds;
  return { point: singleMs.point * k, lo: singleMs.lo * k, hi: singleMs.hi * k };
};

/** Amdahl's speedup with serial fraction f on n workers. */
export const amdahl = (f: number, n: number): number => 1 / (f + (1 - f) / n);

/** The worst error the model showed on this run's own points (held-out first), as a fraction. */
export const modelError = (p: Projection): number => (current(p) ? (p.validation.heldOut.points ? p.validation.heldOut.maxAbsErrorPct : p.validation.inSample.maxAbsErrorPct) : 0) / 100;

/** A model's speedup at one worker count with its band. */
export interface Band {
  point: number;
  lo: number;
  hi: number;
}

/** A speedup over `baseline` for a predicted wall time, with the band that ± the model's error `e`, the
 * replications' range and the baseline's CI give (each widening it). */
function speedupBand(baseline: Estimate, wallMs: number, e: number, range: { loMs: number; hiMs: number } | null = null): Band {
  const loMs = Math.min(range?.loMs ?? wallMs, wallMs * (1 - e));
  const hiMs = Math.max(range?.hiMs ?? wallMs, wallMs * (1 + e));
  return { point: baseline.point / wallMs, lo: baseline.lo / hiMs, hi: baseline.hi / loMs };
}

/** Amdahl's speedup on n workers over the serial fraction's CI (the lower f gives the higher speedup). */
const amdahlBand = (f: Estimate, n: number): Band => ({ point: amdahl(f.point, n), lo: amdahl(f.hi, n), hi: amdahl(f.lo, n) });

/** The projection at each worker count, over single: the simulation with its band (± its worst error on this
 * run's points, the replications' range, single's CI), Amdahl's with its own (the serial fraction's CI) where
 * it was fitted, and the envelope of both — what this run cannot narrow. */
export function projectionRange(p: Projection, c: ProjectionContext): { workers: number; simulation: Band; serial: Band | null; lo: number; hi: number }[] {
  const single = singleAtScale(p, c.singleMs);
  const e = modelError(p);
  return p.rows.map((r) => {
    const simulation = speedupBand(single, r.wallMs, e, r.wallRangeMs);
    const serial = c.serial ? amdahlBand(c.serial.f, r.workers) : null;
    return { workers: r.workers, simulation, serial, lo: Math.min(simulation.lo, serial?.lo ?? Infinity), hi: Math.max(simulation.hi, serial?.hi ?? -Infinity) };
  });
}

/** A log-2 axis that holds every value: from the power of two at or below the smallest (padded) to the one at
 * or above the largest, ticks at each power of two between — so the top tick is never below a mark or band. */
export function log2Axis(values: readonly number[], pad = 1.05): { domain: [number, number]; ticks: number[] } {
  const finite = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!finite.length) return { domain: [0.5, 2], ticks: [0.5, 1, 2] };
  const lo = 2 ** Math.floor(Math.log2(Math.min(...finite) / pad));
  const hi = 2 ** Math.ceil(Math.log2(Math.max(...finite) * pad));
  const ticks: number[] = [];
  for (let t = lo; t <= hi * 1.0001; t *= 2) ticks.push(t);
  return { domain: [lo, hi], ticks };
}

/** Vega-Lite spec: the projected speedup against workers (log-2 axes), the run's own points overlaid. With the
 * report's context the speedup is over single — the headline's baseline — and Amdahl's reading is drawn only
 * where the scaling section fitted it; without it (the simulate CLI's own use) the speedup is over one chunked
 * worker, as the simulation computes it. Every model curve has its own band, in its colour. */
export function projectionChart(p: Projection, c: ProjectionContext | null = null): ChartSpec {
  const cluster = c ? `model: simulation, ${p.scenario.durationSeconds} s video on a cluster (per-chunk overhead runs in parallel)` : `model: ${p.scenario.durationSeconds} s video, cluster`;
  const serialName = c?.serial ? `model: Amdahl with ${share(c.serial.f.point, 1)} serial (overhead stays serial)` : null;
  const local = `model: ${p.local.durationSeconds.toFixed(0)} s source, this ${p.local.cores}-core machine`;
  const measured = `measured: ${p.local.durationSeconds.toFixed(0)} s source, this machine`;
  const e = modelError(p);
  const failed = checkFailed(p);
  const t1 = p.rows[0]?.wallMs ?? NaN;
  const localT1 = p.local.model[0]?.wallMs ?? NaN;
  const point = (v: number): Estimate => ({ point: v, lo: v, hi: v });
  const clusterBase = c ? singleAtScale(p, c.singleMs) : point(t1);
  const localBase = c ? c.singleMs : point(localT1);
  const curves = [
    ...p.rows.map((r) => ({ series: cluster, workers: r.workers, ...speedupBand(clusterBase, r.wallMs, e, r.wallRangeMs) })),
    ...(c?.serial && serialName ? p.rows.map((r) => ({ series: serialName, workers: r.workers, ...amdahlBand((c.serial as NonNullable<ProjectionContext['serial']>).f, r.workers) })) : []),
    ...p.local.model.map((m) => ({ series: local, workers: m.workers, ...speedupBand(localBase, m.wallMs, e) })),
  ].map((v) => ({ ...v, band: v.series, value: v.point }));
  const points = c
    ? c.measured.map((m) => ({ marks: measured, label: m.label, workers: m.workers, value: m.value, lo: m.lo, hi: m.hi, role: m.centre ? 'centre' : 'other' }))
    : p.local.measured.filter((m) => m.speedup !== null).map((m) => ({ marks: measured, label: m.label, workers: m.workers, value: m.speedup as number, lo: m.speedup as number, hi: m.speedup as number, role: 'other' }));
  const series = [cluster, ...(serialName ? [serialName] : []), local];
  const colours = ['#4c78a8', ...(serialName ? [MODEL_COLOUR] : []), '#54a24b'];
  const maxWorkers = Math.max(...p.rows.map((r) => r.workers), ...p.local.model.map((m) => m.workers), 1);
  const x = { field: 'workers', type: 'quantitative', scale: { type: 'log', base: 2, domain: [0.8, maxWorkers * 1.3], nice: false }, title: 'workers (each step doubles)', axis: { values: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096].filter((w) => w <= maxWorkers), format: 'd' } };
  const yAxis = log2Axis([...curves.flatMap((v) => [v.lo, v.hi, v.point]), ...points.flatMap((m) => [m.lo, m.hi, m.value])]);
  const yScale = { type: 'log', base: 2, domain: yAxis.domain, nice: false };
  const yTitle = c ? 'speedup over single (×, log scale)' : 'speedup over 1 worker (×)';
  const y = (field: string) => ({ field, type: 'quantitative', scale: yScale, title: yTitle, axis: { values: yAxis.ticks, format: '~g' } });
  // the model curves share one colour legend drawn as strokes, dashed as the curves are (a solid key beside
  // dashed curves reads as another series); the measured marks have their own, a diamond
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: colours }, legend: { orient: 'bottom', direction: 'vertical', symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3, symbolDash: MODEL_DASH, symbolSize: 500, labelLimit: 0 } };
  const measuredColour = { condition: { test: "datum.role === 'centre'", value: CENTRE_COLOUR }, value: '#555' };
  // a field of its own, so Vega-Lite does not merge this legend into the curves' (it would draw it as a stroke);
  // inside the plot's top left, which the curves never reach (they rise from 1× at one worker), so the chart
  // stays as wide as its plot
  const shape = { field: 'marks', type: 'nominal', title: null, scale: { domain: [measured], range: ['diamond'] }, legend: { orient: 'top-left', fillColor: 'white', padding: 4, symbolFillColor: '#555', symbolStrokeColor: 'white', symbolStrokeWidth: 1, symbolSize: 130, labelLimit: 0 } };
  // the bands fill in their curve's colour with no legend of their own
  const fill = { ...color, field: 'band', legend: null };
  const which = current(p) && p.validation.heldOut.points ? 'held-out' : 'in-sample';
  const errorName = `its worst ${which} error of ${(e * 100).toFixed(1)}%`;
  const bands = [
    c ? `the simulation ± ${errorName}, the replications' range and single's CI` : `the simulation ± ${errorName}, widened to the range over noisy replications where that is wider`,
    ...(serialName ? ["Amdahl over the serial fraction's 95% CI"] : []),
    e > 0 ? `this machine's model ± the same error${c ? " and single's CI" : ''}` : "this machine's model has no band (an older projection.json carries no held-out error)",
  ];
  const flag = failed ? ` It FAILED its own held-out check (${failedCheckClause(p)}): shown for reference, not as an answer.` : '';
  return {
    name: 'cluster-projection',
    title: `Model projection (not a measurement): ${p.label}, ${p.scenario.durationSeconds} s video in ${p.scenario.segmentAuto ? 'chunks chosen by --segment auto' : `${p.scenario.segmentSeconds} s chunks`}, ${p.scenario.bandwidthMbps.toFixed(0)} Mbit/s per worker${c ? `; single for that video is this run's single scaled by length` : ''}.${flag} Shaded, each in its curve's colour: ${bands.join('; ')}.${c && !serialName ? " No Amdahl curve: it is drawn only where the scaling section fits it within the cores, and it fits none to this run." : ''}${points.length ? ` Diamonds: this run's measurements${c ? ' over single, paired by round (mean, 95% CI; orange: the centre)' : ''}.` : ''}`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      // the check line breaks at its '; ' so the chart is no wider than its plot (and prints legibly)
      title: { text: failed ? 'Cluster projection — a model that FAILED its own held-out check' : 'Cluster projection — a model, not a measurement', subtitle: checkLine(p).split('; '), ...(failed ? { color: '#b00020' } : {}) },
      background: 'white',
      config: base('').config,
      width: 600,
      height: 300,
      layer: [
        { data: { values: curves }, mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, fill, detail: { field: 'series' } } },
        { data: { values: curves }, mark: { type: 'line', point: true, strokeDash: MODEL_DASH, strokeWidth: 2 }, encoding: { x, y: y('value'), color, tooltip: [{ field: 'series' }, { field: 'workers' }, { field: 'value', format: '.2f' }, { field: 'lo', format: '.2f' }, { field: 'hi', format: '.2f' }] } },
        ...(points.length
          ? [
              { data: { values: points }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color: measuredColour } },
              { data: { values: points }, mark: { type: 'point', filled: true, size: 130, opacity: 1, stroke: 'white', strokeWidth: 1 }, encoding: { x, y: y('value'), color: measuredColour, shape, tooltip: [{ field: 'label' }, { field: 'value', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }] } },
            ]
          : []),
      ],
    },
  };
}

/** What the simulation predicts for the projected video, without the speedup: "for a 7200 s video in 10 s
 * chunks (720 chunks), the cost model fitted to this run (…) predicts 15.4 min on 1 worker and 17.5 s on 1024". */
export function predictionClause(p: Projection): string {
  const first = p.rows[0];
  const last = p.rows[p.rows.length - 1];
  if (!first || !last) return '';
  const s = p.scenario;
  return `for a ${s.durationSeconds} s video in ${s.segmentAuto ? `chunks chosen by --segment auto for each worker count (${plural(first.chunks ?? 1, 'chunk')} on ${first.workers}, ${last.chunks ?? s.chunks} of ${Number(s.segmentSeconds.toFixed(2))} s on ${last.workers})` : `${s.segmentSeconds} s chunks (${s.chunks} chunks)`}, the cost model fitted to this run (${(p.model.workSecondsPerVideoSecond).toFixed(3)} s of work per second of video, ${(p.model.chunkStartupMs + p.model.chunkOverheadMs).toFixed(0)} ms fixed per chunk) predicts ${fmtS(first.wallMs)} on ${plural(first.workers, 'worker')} and ${fmtS(last.wallMs)} on ${last.workers}`;
}

/** The simulation's speedup over its own first row (one chunked worker) at each worker count, with the band
 * the chart draws: ± the model's worst error on this run's points, widened to the replications' range. */
export function simulationSpeedups(p: Projection): ({ workers: number } & Band)[] {
  const t1 = p.rows[0]?.wallMs ?? NaN;
  const e = modelError(p);
  return p.rows.map((r) => ({ workers: r.workers, ...speedupBand({ point: t1, lo: t1, hi: t1 }, r.wallMs, e, r.wallRangeMs) }));
}

/** Plain sentences for the report: what the model predicts, where it flattens and why, and how well it
 * predicts points it was not fitted on. */
export function projectionSentences(p: Projection): string[] {
  const last = p.rows[p.rows.length - 1];
  if (!last) return [];
  const s = p.scenario;
  const out = [`Model projection, not a measurement: ${predictionClause(p)}, a ${fmtX(last.speedup)} speedup (efficiency ${(last.efficiency * 100).toFixed(0)}%).`];
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
