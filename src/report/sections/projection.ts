// "How would it scale?": the page's one projection story. The cluster simulation (src/simulate, a cost
// model fitted to this run and checked on its points) is the projection; the measured speedup is the
// headline's; and Amdahl's law is reconciled with the simulation rather than shown beside it: Amdahl lumps
// every cost that does not shrink with the workers into its serial fraction, the simulation keeps only the
// one-core stages serial and runs each chunk's start-up and lead-in in parallel, so the two agree only when
// the parallel overhead is small. Everything here is labelled as a model, and the summary's answer carries the
// same caveat as the section (overheadCaveat): the first screen never quotes the range without it. A projected
// configuration that is not the centre is named, and its model speedup given with its band.
import { amdahlSpeedup, karpFlattSeries } from '../../fit/index.ts';
import type { Projection } from '../../simulate/index.ts';
import { PROJECTION_SCHEMA } from '../../simulate/types.ts';
import { modelError, predictionClause, projectionChart, projectionRange, projectionSentences, projectionValidationRows, simulationSpeedups, singleAtScale, type ProjectionContext } from '../projection.ts';
import { phaseShare } from '../context.ts';
import { duration as fmtS, plural, share, shareCi, times, timesCi, timesRounded, typographicMinus, type Estimate } from '../format.ts';
import { model, warn, type ReportContext, type Section, type Sentence } from '../section.ts';
import type { ScalingFacts } from './scaling.ts';

const current = (p: Projection): boolean => p.schema === PROJECTION_SCHEMA && p.validation.heldOut !== undefined;

/** Text from the simulation names configurations by the grid's full labels: shown short, relative to the
 * centre, like the rest of the page. */
function shorten(ctx: ReportContext, text: string): string {
  let out = text;
  for (const c of [...ctx.summary.configs].sort((a, b) => b.label.length - a.label.length)) out = out.split(c.label).join(ctx.label(c.configId));
  return out;
}

/** What the chart needs from the run: single's wall time (the headline's baseline), the run's chunked points
 * of the projected family against it, and the serial share as measured (Amdahl fitted within the cores where
 * the run carries it, else Karp–Flatt at the largest worker count within the cores of the worker sweep, else
 * of the projected configuration's own speedup). Null without a single. */
function projectionContext(ctx: ReportContext, p: Projection, facts: ScalingFacts | null): (ProjectionContext & { oneCore: Estimate | null; floored: boolean }) | null {
  const config = ctx.summary.configs.find((x) => x.configId === p.configId);
  const singleId = config?.speedup.single?.baselineId;
  const single = ctx.summary.configs.find((x) => x.configId === singleId)?.wallMs;
  if (!single) return null;
  const measured = p.local.measured.flatMap((m) => {
    const c = ctx.summary.configs.find((x) => x.label === m.label);
    const s = c?.config.mode === 'chunked' ? c.speedup.single : undefined;
    return c && s ? [{ workers: m.workers, label: ctx.label(c.configId), value: s.point, lo: s.lo, hi: s.hi, centre: c.configId === ctx.centre?.configId }] : [];
  });
  const a = facts?.amdahl;
  // without a worker sweep, Karp–Flatt of the projected configuration's own speedup (within the cores)
  const own = config?.config.mode === 'chunked' && config.speedup.single && config.config.workers > 1 && config.config.workers <= ctx.cores
    ? karpFlattSeries([{ workers: config.config.workers, speedup: config.speedup.single.point, lo: config.speedup.single.lo, hi: config.speedup.single.hi }])[0]
    : undefined;
  const kf = facts?.karpFlatt.at(-1) ?? own;
  // the one-core stages are serial by construction: the serial share's lower bound is held at theirs (a speedup
  // interval reaching N× would otherwise let it fall to 0 and the Amdahl reading run to N×)
  const oneCore = facts?.serialShare ?? (config?.config.mode === 'chunked' ? phaseShare(ctx.results, config.configId, ['probeMs', 'splitMs', 'mergeMs']) : null);
  const floor = Math.max(1e-6, oneCore?.lo ?? 0);
  const floored = !a?.serialFractionCi95 && Boolean(kf?.ci95 && kf.e > 0 && kf.ci95.lo < floor && oneCore);
  const serial = a?.serialFractionCi95
    ? { f: { point: a.serialFraction, lo: a.serialFractionCi95.lo, hi: a.serialFractionCi95.hi }, source: 'Amdahl fitted within the cores' }
    : kf?.ci95 && kf.e > 0
      ? { f: { point: kf.e, lo: Math.max(floor, kf.ci95.lo), hi: kf.ci95.hi }, source: `Karp–Flatt at ${kf.workers} workers` }
      : null;
  return { singleMs: { point: single.mean, lo: single.ci95.lo, hi: single.ci95.hi }, measured, serial, oneCore, floored };
}

/** The caveat every statement of the projection carries — the section's and the summary's answer alike: the
 * simulation runs each chunk's fixed overhead in parallel, Amdahl keeps it serial, and whether this run can
 * tell the two apart (a second worker count within the cores). */
export function overheadCaveat(serialReading: boolean, canTell: boolean): string {
  if (!serialReading) return "if each chunk's fixed overhead (process start-up, the lead-in decode) runs in parallel on the workers, as the simulation assumes, which this run cannot check";
  return `depending on whether the per-chunk overhead runs in parallel (the simulation) or stays serial (Amdahl)${canTell ? '' : ', which this run cannot tell apart'}`;
}

/** A model's speedup with its band: "58× [48, 70]". */
const timesBand = (v: { point: number; lo: number; hi: number }) => `${timesRounded(v.point)} [${v.lo.toFixed(v.lo >= 10 ? 0 : 1)}, ${v.hi.toFixed(v.hi >= 10 ? 0 : 1)}]`;

export function projectionSection(ctx: ReportContext, facts: ScalingFacts | null): Section | null {
  const p = ctx.cluster;
  const h = ctx.summary.headline;
  if (!p) {
    if (!facts?.amdahl) return null;
    const a = facts.amdahl;
    // the same caveat in the answer and in the section
    const ifSerial = 'if its serial share stays serial, the per-chunk overhead included';
    return {
      id: 'projection',
      title: 'How would it scale beyond this machine?',
      model: true,
      answers: { question: 'scale', text: `A model, not a measurement: Amdahl's law fitted within the cores limits the speedup over single to ${Number.isFinite(a.ceiling) ? times(a.ceiling, 1) : 'no limit'}${a.serialFractionCi95 ? ` [${(1 / a.serialFractionCi95.hi).toFixed(1)}, ${a.serialFractionCi95.lo > 0 ? (1 / a.serialFractionCi95.lo).toFixed(1) : '∞'}]` : ''} on any number of workers, ${ifSerial}; no cluster simulation was stored with this run.` },
      sentences: [model(`Amdahl's law, fitted within the cores, predicts ${times(amdahlSpeedup(a.serialFraction, 16), 1)} on 16 workers and at most ${Number.isFinite(a.ceiling) ? times(a.ceiling, 1) : 'no limit'} on any number, ${ifSerial}. Transfers and queueing between machines come on top; \`npm run simulate\` models them.`)],
      tables: [],
      charts: [],
    };
  }
  // a model is shown only where its data carry it: one it could not check on a single point left out of its
  // fit (one chunk length and one worker count: a grid that varies neither) is named, not quoted or drawn
  if (p.validation.heldOut?.points === 0) {
    const why = `This run cannot check a cluster model: it was fitted on ${p.validation.points.length === 1 ? 'one measured configuration' : 'configurations'} with nothing left over to test it on (a model needs chunked runs at more than one segment length or worker count, e.g. the default or segments grid).`;
    return {
      id: 'projection',
      title: 'How would it scale beyond this machine?',
      model: true,
      answers: { question: 'scale', text: 'Not answered by this run: it varies neither the segment length nor the worker count, so no model of it can be checked; the default grid (npx chunkbench experiment --grid default) answers it.' },
      sentences: [warn(why)],
      tables: [],
      charts: [],
    };
  }
  const centreWorkers = ctx.centre?.config.workers ?? 2;
  const c = projectionContext(ctx, p, facts);
  const last = p.rows.at(-1);
  const sentences: Sentence[] = [];
  const [, limits, ...checks] = projectionSentences(p);
  // telling the two readings apart needs a second worker count within the cores besides single's
  const canTell = (facts?.countsWithinCores.length ?? 2) >= 3;
  const caveat = overheadCaveat(Boolean(c?.serial), canTell);
  const measuredHere = h ? timesCi(h.speedup) : '—';
  let answer = '';
  if (c && last) {
    // one story: two readings of the same measured serial share, the simulation's and Amdahl's, and the range between
    const range = projectionRange(p, c);
    const end = range.at(-1) as (typeof range)[number];
    const single = singleAtScale(p, c.singleMs);
    const err = modelError(p);
    sentences.push(model(`The simulation (a cost model fitted to this run) projects a ${p.scenario.durationSeconds} s video in ${Number(p.scenario.segmentSeconds.toFixed(2))} s chunks${p.scenario.segmentAuto ? ' (chosen by --segment auto)' : ''} on ${plural(last.workers, 'cluster worker')} at ${fmtS(last.wallMs)}, against about ${fmtS(single.point)} for single (this run's single scaled by the video's length): ${times(end.simulation, 1)} over single. It assumes each chunk's fixed overhead (process start-up, the lead-in decode) runs in parallel on the workers, and on this run's own points it is off by ${(err * 100).toFixed(1)}% at worst${current(p) && p.validation.heldOut.points ? ' (held out)' : ' (in-sample)'}.`));
    const rangeText = `${times(end.lo, 1)} to ${times(end.hi, 0)} over single`;
    if (c.serial && end.serial !== null) {
      const f = c.serial.f;
      const oneCore = c.oneCore ? `, of which only ${shareCi(c.oneCore, 1)} is the stages that run on one core (probe, split, merge)${c.floored ? ': serial by construction, so the interval is held at or above their share' : ''}` : '';
      sentences.push(model(`The other reading: ${shareCi(f, 1)} of the run behaves as if serial (${c.serial.source})${oneCore}. If the rest of it — the per-chunk overhead — did not shrink with more workers, Amdahl's law would limit the speedup to 1/f = ${times(1 / f.point, 1)} [${(1 / f.hi).toFixed(1)}, ${(1 / f.lo).toFixed(1)}] on any number of workers (${times(end.serial, 1)} at ${last.workers}).`));
      const needs = canTell ? '' : ' (telling them apart needs a second worker count within the cores: a grid with workers 1, 2, 4 and 8 on at least 8 cores)';
      sentences.push(warn(`So at ${last.workers} workers the projection is a range, ${rangeText} with the uncertainty of both readings (the shaded band), ${caveat}${needs}. If that overhead grows with the workers, the speedup falls below even the lower reading. Measured here: ${measuredHere} at ${centreWorkers} workers.`));
      answer = `A model's range, not a measurement: ${rangeText} at ${last.workers} workers, ${caveat}; measured: ${measuredHere} at ${centreWorkers} workers.`;
    } else {
      sentences.push(warn(`At ${last.workers} workers the simulation's range is ${rangeText} (the shaded band: its error on this run's points and single's CI), ${caveat}. Measured here: ${measuredHere} at ${centreWorkers} workers.`));
      answer = `A model, not a measurement: ${rangeText} at ${last.workers} workers (the simulation with its error on this run's points), ${caveat}; measured: ${measuredHere} at ${centreWorkers} workers.`;
    }
  } else if (last) {
    // no single to put it against: the projected configuration is named (it is not the centre's headline) and
    // its speedup is over one worker of its own, with the model's band
    const own = `the ${ctx.label(p.configId)} configuration`;
    const end = simulationSpeedups(p).at(-1) as ReturnType<typeof simulationSpeedups>[number];
    const vs = `${timesBand(end)} over one worker running that configuration`;
    sentences.push(model(`Model projection, not a measurement, for ${own} (not the page's headline: this run has no single baseline): ${predictionClause(p)}, ${vs} (the band: the model's worst error on this run's points and the spread of its noisy replications), ${caveat}.`));
    answer = `A model, not a measurement, for ${own}: the simulation projects ${vs} at ${last.workers} workers, ${caveat}. Not comparable with a headline: this run has no single baseline (the default grid measures one).`;
  }
  // the simulation's efficiency is over one chunked worker, not over single: only the bound is kept
  if (limits) sentences.push(model(c ? limits.replace(/^[^;]*; at (\d+) workers/, 'At $1 workers') : limits));
  const chart = projectionChart(p, c);
  const validation = projectionValidationRows(p).map((v) => ({ label: shorten(ctx, v.label), measured: v.measured, heldOut: typographicMinus(v.heldOut), inSample: typographicMinus(v.inSample) }));
  return {
    id: 'projection',
    title: 'How would it scale beyond this machine?',
    model: true,
    answers: answer ? { question: 'scale', text: answer } : undefined,
    sentences,
    tables: [
      ...(validation.length ? [{
        collapsed: true,
        caption: 'The model checked on this run\'s own points: measured mean [95% CI]; predicted with the point left out of the fit (held out) and with it (in-sample).',
        head: ['measured here', 'measured', 'held out (model)', 'in-sample (model)'],
        rows: validation.map((v) => ({ cells: [v.label, v.measured, v.heldOut, v.inSample] })),
      }] : []),
      {
        collapsed: true,
        caption: c ? "The projection by worker count (model): the simulation's wall time and its range over noisy replications; its speedup over single (single scaled by the video's length), the serial reading's (Amdahl), and the shaded range of the chart." : "The simulation's predictions (model): wall time, its range over noisy replications, and its speedup over one chunked worker (this run has no single to put it against).",
        head: c ? ['workers', 'predicted wall time', 'replications', 'simulation over single', ...(c.serial ? ['Amdahl reading'] : []), 'range'] : ['workers', 'predicted wall time', 'replications', 'speedup over one chunked worker'],
        rows: p.rows.map((r, i) => {
          const spread = r.wallRangeMs ? `${(r.wallRangeMs.loMs / 1000).toFixed(1)}–${(r.wallRangeMs.hiMs / 1000).toFixed(1)} s` : '—';
          const g = c ? projectionRange(p, c)[i] : undefined;
          return { cells: g ? [String(r.workers), fmtS(r.wallMs), spread, times(g.simulation, 1), ...(c?.serial ? [g.serial === null ? '—' : times(g.serial, 1)] : []), `${times(g.lo, 1)}–${times(g.hi, 1)}`] : [String(r.workers), fmtS(r.wallMs), spread, times(r.speedup, 1)] };
        }),
      },
    ],
    charts: [{ ...chart, title: chart.title.replace(p.label, `the ${ctx.label(p.configId)} configuration`) }],
    details: { summary: 'How the model was checked, and its assumptions', items: [...checks, ...p.assumptions].map((t) => shorten(ctx, t)) },
  };
}

