// "How would it scale?": the page's one projection story. The cluster simulation (src/simulate, a cost
// model fitted to this run and checked on its points) is the projection; the measured speedup is the
// headline's; and Amdahl's law is reconciled with the simulation rather than shown beside it: Amdahl lumps
// every cost that does not shrink with the workers into its serial fraction, the simulation keeps only the
// one-core stages serial and runs each chunk's start-up and lead-in in parallel, so the two agree only when
// the parallel overhead is small. Amdahl's reading is drawn and quoted only where the scaling section fitted
// it, by its rule (AMDAHL_MIN_COUNTS distinct worker counts within the cores): a one-point Karp–Flatt reading is
// a model through one point and checks nothing, so without the fit the page says the run cannot tell the
// readings apart and names the sweep that would. A simulation that misses its own held-out target is shown,
// flagged, in its section and is never the first screen's answer. Everything here is labelled as a model, and
// the summary's answer carries the same caveat as the section (overheadCaveat). A projected configuration that
// is not the centre is named, and its model speedup given with its band.
import { amdahlSpeedup } from '../../fit/index.ts';
import type { Projection } from '../../simulate/index.ts';
import { PROJECTION_SCHEMA } from '../../simulate/types.ts';
import { checkFailed, failedCheckClause, modelError, predictionClause, projectionChart, projectionRange, projectionSentences, projectionValidationRows, simulationSpeedups, singleAtScale, type Band, type ProjectionContext } from '../projection.ts';
import { phaseShare } from '../context.ts';
import { duration as fmtS, list, plural, secondsCi, share, shareCi, signed, times, timesCi, timesRounded, typographicMinus, type Estimate } from '../format.ts';
import { model, warn, type ReportContext, type Section, type Sentence } from '../section.ts';
import { AMDAHL_MIN_COUNTS, type ScalingFacts } from './scaling.ts';

const current = (p: Projection): boolean => p.schema === PROJECTION_SCHEMA && p.validation.heldOut !== undefined;

/** The worker counts of the committed default grid's worker sweep, single counting as 1: the one committed grid
 * that gives Amdahl's fit its counts within the cores (test/report/report.test.ts checks it against
 * experiments/default.json), on a machine with at least as many cores as its largest count. */
export const DEFAULT_GRID_WORKER_COUNTS = [1, 2, 4] as const;

/** Text from the simulation names configurations by the grid's full labels: shown short, relative to the
 * centre, like the rest of the page. */
function shorten(ctx: ReportContext, text: string): string {
  let out = text;
  // every configuration of the grid, longest label first: one label can start with another ('… · sd' and
  // '… · sd-3min'), and the simulation validates configurations the page's timing comparisons leave out
  for (const c of [...ctx.meta.configs].sort((a, b) => b.label.length - a.label.length)) out = out.split(c.label).join(ctx.label(c.id));
  return out;
}

/** Distinct worker counts within the cores, single counting as 1: the scaling section's where it has a worker
 * sweep, else every chunked configuration's and single's. */
export function countsWithinCores(ctx: ReportContext, facts: ScalingFacts | null): number[] {
  if (facts) return facts.countsWithinCores;
  const counts = ctx.summary.configs.flatMap((c) => (c.config.mode === 'single' ? [1] : c.config.mode === 'chunked' && c.config.workers <= ctx.cores ? [c.config.workers] : []));
  return [...new Set(counts)].sort((a, b) => a - b);
}

/** Why Amdahl's reading is not drawn, and the sweep that would give it: "with 2 worker counts within its 2
 * cores where Amdahl's law needs 3 (the default grid's 1, 2 and 4 would, on 4 or more cores, not on 2)". */
export function tooFewCounts(counts: readonly number[], cores: number): string {
  const needCores = Math.max(...DEFAULT_GRID_WORKER_COUNTS);
  // short: it is the end of a first-screen answer
  const sweep = `the default grid's ${list(DEFAULT_GRID_WORKER_COUNTS.map(String))} would, on ${needCores} or more cores${cores < needCores ? `, not on ${cores}` : ''}`;
  return `with ${plural(counts.length, 'worker count')} within its ${cores} cores where Amdahl's law needs ${AMDAHL_MIN_COUNTS} (${sweep})`;
}

/** Why this run gives no Amdahl reading, for the caveat: too few worker counts within the cores (the usual
 * case, with the sweep that would give them), else a fit without an interval, else no fit at all. */
function whyNoAmdahl(facts: ScalingFacts | null, counts: readonly number[], cores: number): string {
  if (counts.length < AMDAHL_MIN_COUNTS) return tooFewCounts(counts, cores);
  if (facts?.amdahl) return "as Amdahl's law fitted within the cores has no interval here, so it is not drawn";
  return `as the scaling section fits no Amdahl curve to it (that needs a worker sweep with ${AMDAHL_MIN_COUNTS} counts within the cores)`;
}

/** What the chart needs from the run: single's wall time (the headline's baseline), the run's chunked points
 * of the projected family against it, and Amdahl's serial fraction exactly as the scaling section fitted it —
 * only where that fit exists with its interval (the section's rule), never a one-point Karp–Flatt reading.
 * Null without a single. */
function projectionContext(ctx: ReportContext, p: Projection, facts: ScalingFacts | null): (ProjectionContext & { oneCore: Estimate | null }) | null {
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
  const oneCore = facts?.serialShare ?? (config?.config.mode === 'chunked' ? phaseShare(ctx.results, config.configId, ['probeMs', 'splitMs', 'mergeMs']) : null);
  const serial = a?.serialFractionCi95 ? { f: { point: a.serialFraction, lo: a.serialFractionCi95.lo, hi: a.serialFractionCi95.hi }, source: `fitted to ${facts?.countsWithinCores.length} worker counts within the cores` } : null;
  return { singleMs: { point: single.mean, lo: single.ci95.lo, hi: single.ci95.hi }, measured, serial, oneCore };
}

/** The caveat every statement of the projection carries — the section's and the summary's answer alike. With
 * Amdahl fitted: the range between the simulation (each chunk's fixed overhead in parallel) and Amdahl (it
 * stays serial). Without: the simulation's assumption, and why this run cannot tell whether it holds
 * (`untold`, from tooFewCounts). */
export function overheadCaveat(amdahlFitted: boolean, untold = ''): string {
  if (amdahlFitted) return 'depending on whether the per-chunk overhead runs in parallel (the simulation) or stays serial (Amdahl)';
  return `if each chunk's fixed overhead (process start-up, the lead-in decode) runs in parallel, as the simulation assumes; whether it stays serial instead (Amdahl's reading) this run cannot tell${untold ? `, ${untold}` : ''}`;
}

/** A model's speedup with its band: "58× [48, 70]". */
// a model's band, not a confidence interval: written apart from the page's "[lo, hi]", which always is one
const timesBand = (v: Band) => `${timesRounded(v.point)} (model band ${v.lo.toFixed(v.lo >= 10 ? 0 : 1)}–${v.hi.toFixed(v.hi >= 10 ? 0 : 1)})`;

/** A share with its interval, written as the scaling section writes it (one value, one interval on the page),
 * with the page's minus sign: "31.2% [−1.7%, 75.2%]". */
const shareInterval = (point: number, ci: { lo: number; hi: number } | null) => typographicMinus(`${share(point, 1)}${ci ? ` [${share(ci.lo, 1)}, ${share(ci.hi, 1)}]` : ''}`);

/** "a 2-hour video", "a 3-minute video", "a 90 s video": the projected scenario in the first screen's words. */
export function videoWords(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `a ${seconds / 3600}-hour video`;
  if (seconds >= 120 && seconds % 60 === 0) return `a ${seconds / 60}-minute video`;
  return `a ${Number(seconds.toFixed(1))} s video`;
}

/** The first screen's answer for a simulation that missed its own held-out target: no number. */
export const failedAnswer = (p: Projection): string => `A model that failed its own check, so no projection answer for this run: fitted without each configuration in turn, ${failedCheckClause(p)}; its check is in the section's folded table.`;

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
  const counts = countsWithinCores(ctx, facts);
  const caveat = overheadCaveat(Boolean(c?.serial), whyNoAmdahl(facts, counts, ctx.cores));
  const measuredHere = h ? timesCi(h.speedup) : '—';
  const failed = checkFailed(p);
  // a model that misses its own held-out target is shown for reference, flagged first, and is not the answer
  if (failed) sentences.push(warn(`This model FAILED its own held-out check: fitted without each configuration in turn, ${failedCheckClause(p)} (how well the chunk-time line fits, R² ${p.model.chunkFitR2.toFixed(3)}; how far chunk times scatter around it, coefficient of variation ${share(p.model.chunkCv, 1)}). It is not drawn or quoted here; how far off it was is in the folded check below.`));
  // the one-point Karp–Flatt reading, exactly as the scaling section gives it, where Amdahl could not be fitted
  const kf = facts?.karpFlatt.at(-1);
  const noAmdahl = `No Amdahl curve is drawn or quoted (it would cap the speedup if the overhead stayed serial): it is drawn only where the scaling section fits it, with at least ${AMDAHL_MIN_COUNTS} distinct worker counts within the cores.${kf ? ` The scaling section's Karp–Flatt reading, ${shareInterval(kf.e, kf.ci95)} of the run behaving as if serial at ${kf.workers} workers, is one point: Amdahl's law through it would fit it exactly and check nothing.` : ''}`;
  let answer = '';
  if (c && last) {
    const range = projectionRange(p, c);
    const end = range.at(-1) as (typeof range)[number];
    const single = singleAtScale(p, c.singleMs);
    const err = modelError(p);
    const simulation = `${timesBand(end.simulation)} over single`;
    sentences.push(model(`The simulation (a cost model fitted to this run) projects a ${p.scenario.durationSeconds} s video in ${Number(p.scenario.segmentSeconds.toFixed(2))} s chunks${p.scenario.segmentAuto ? ' (chosen by --segment auto)' : ''} on ${plural(last.workers, 'cluster worker')} at ${fmtS(last.wallMs)}, against about ${fmtS(single.point)} for single (this run's single scaled by the video's length): ${simulation} (its band: ± its worst error on this run's points, ${(err * 100).toFixed(1)}%${current(p) && p.validation.heldOut.points ? ' held out' : ' in-sample'}, the replications' range and single's CI). It assumes each chunk's fixed overhead (process start-up, the lead-in decode) runs in parallel on the workers.`));
    if (c.serial && end.serial) {
      const f = c.serial.f;
      const oneCore = c.oneCore ? `, of which only ${shareCi(c.oneCore, 1)} is the stages that run on one core (probe, split, merge)` : '';
      sentences.push(model(`The other reading: Amdahl's law, ${c.serial.source} (the scaling section's fit), finds ${shareInterval(f.point, f)} of the run behaving as if serial${oneCore}. If the rest of it — the per-chunk overhead — did not shrink with more workers, Amdahl's law would limit the speedup to 1/f = ${times(1 / f.point, 1)} [${(1 / f.hi).toFixed(1)}, ${f.lo > 0 ? (1 / f.lo).toFixed(1) : '∞'}] on any number of workers (${timesBand(end.serial)} at ${last.workers}).`));
      const rangeText = `${times(end.lo, 1)} to ${times(end.hi, 0)} over single`;
      sentences.push(warn(`So at ${last.workers} workers the projection is a range, ${rangeText} across both readings with their uncertainty (the two shaded bands), ${caveat}. If that overhead grows with the workers, the speedup falls below even the lower reading. Measured here: ${measuredHere} at ${centreWorkers} workers.`));
      answer = `A model's range, not a measurement: for ${videoWords(p.scenario.durationSeconds)}, ${rangeText} at ${last.workers} workers (the simulation ${timesBand(end.simulation)}, Amdahl ${timesBand(end.serial)}), ${caveat}; measured: ${measuredHere} at ${centreWorkers} workers.`;
    } else {
      sentences.push(warn(`So at ${last.workers} workers the projection is the simulation's alone, ${simulation} (the shaded band), ${caveat}. Measured here: ${measuredHere} at ${centreWorkers} workers.`));
      sentences.push(model(noAmdahl));
      answer = `A model, not a measurement: for ${videoWords(p.scenario.durationSeconds)}, the simulation projects ${simulation} at ${last.workers} workers (measured: ${measuredHere} at ${centreWorkers} workers) ${caveat}.`;
    }
  } else if (last) {
    // no single to put it against: the projected configuration is named (it is not the centre's headline) and
    // its speedup is over one worker of its own, with the model's band
    const own = `the ${ctx.label(p.configId)} configuration`;
    const end = simulationSpeedups(p).at(-1) as ReturnType<typeof simulationSpeedups>[number];
    const vs = `${timesBand(end)} over one worker running that configuration`;
    sentences.push(model(`Model projection, not a measurement, for ${own} (not the page's headline: this run has no single baseline): ${predictionClause(p)}, ${vs} (the band: the model's worst error on this run's points and the spread of its noisy replications), ${caveat}.`));
    answer = `A model, not a measurement, for ${own}: the simulation projects ${vs} at ${last.workers} workers, ${caveat}; not comparable with a headline, as this run has no single baseline (the default grid measures one).`;
  }
  if (failed) answer = failedAnswer(p);
  // the simulation's efficiency is over one chunked worker, not over single: only the bound is kept
  if (limits) sentences.push(model(c ? limits.replace(/^[^;]*; at (\d+) workers/, 'At $1 workers') : limits));
  const otherLength = otherLengthSentence(ctx, p);
  if (otherLength && !failed) sentences.push(model(otherLength));
  const chart = projectionChart(p, c);
  const validation = projectionValidationRows(p).map((v) => ({ label: shorten(ctx, v.label), measured: v.measured, heldOut: typographicMinus(v.heldOut), inSample: typographicMinus(v.inSample) }));
  return {
    id: 'projection',
    title: 'How would it scale beyond this machine?',
    model: true,
    answers: answer ? { question: 'scale', text: answer } : undefined,
    // a model that failed its own check is neither drawn nor quoted: its warning alone, and its numbers in
    // the folded table for whoever wants to see how far off it was
    sentences: failed ? sentences.slice(0, 1) : sentences,
    tables: [
      ...(validation.length ? [{
        collapsed: true,
        caption: 'The model checked on this run\'s own points: measured mean [95% CI]; predicted with the point left out of the fit (held out) and with it (in-sample).',
        head: ['measured here', 'measured', 'held out (model)', 'in-sample (model)'],
        rows: validation.map((v) => ({ cells: [v.label, v.measured, v.heldOut, v.inSample] })),
      }] : []),
      // a model that failed its own check: its check stays, its projection goes
      ...(failed ? [] : [{
        collapsed: true,
        caption: `The projection by worker count (model): ${c ? `the simulation's wall time and its range over noisy replications; its speedup over single (single scaled by the video's length) with its band${c.serial ? ", Amdahl's with its band, and the envelope of both" : ''}` : "the simulation's wall time, its range over noisy replications, and its speedup over one chunked worker with its band (this run has no single to put it against)"}.`,
        head: c ? ['workers', 'predicted wall time', 'replications', 'simulation over single', ...(c.serial ? ['Amdahl reading', 'range'] : [])] : ['workers', 'predicted wall time', 'replications', 'speedup over one chunked worker'],
        rows: p.rows.map((r, i) => {
          const spread = r.wallRangeMs ? `${(r.wallRangeMs.loMs / 1000).toFixed(1)}–${(r.wallRangeMs.hiMs / 1000).toFixed(1)} s` : '—';
          const g = c ? projectionRange(p, c)[i] : undefined;
          const own = simulationSpeedups(p)[i];
          return { cells: g ? [String(r.workers), fmtS(r.wallMs), spread, timesBand(g.simulation), ...(g.serial ? [timesBand(g.serial), `${times(g.lo, 1)}–${times(g.hi, 1)}`] : [])] : [String(r.workers), fmtS(r.wallMs), spread, own ? timesBand(own) : '—'] };
        }),
      }]),
    ],
    charts: failed ? [] : [{ ...chart, title: chart.title.replace(p.label, `the ${ctx.label(p.configId)} configuration`) }],
    details: { summary: 'How the model was checked, and its assumptions', items: [...checks, ...p.assumptions].map((t) => shorten(ctx, t)) },
  };
}


/** The held-out check at a video length other than most points': "A video length the fit never saw, held out:
 * input sd-3min (180 s) measured 12.85 s [7.08, 18.61] over 3 runs; the model fitted without it predicts
 * 12.0 s (−6.7%, the target 15%)". Null where every point has one source length. */
function otherLengthSentence(ctx: ReportContext, p: Projection): string | null {
  const points = current(p) ? p.validation.points : [];
  const counts = new Map<number, number>();
  for (const pt of points) counts.set(pt.durationSeconds, (counts.get(pt.durationSeconds) ?? 0) + 1);
  const usual = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const others = points.filter((pt) => pt.durationSeconds !== usual && pt.heldOut.state === 'predicted');
  if (!others.length) return null;
  const words = others.map((pt) => {
    const h = pt.heldOut as Extract<typeof pt.heldOut, { state: 'predicted' }>;
    return `${shorten(ctx, pt.label)} (${Number(pt.durationSeconds.toFixed(1))} s) measured ${secondsCi({ point: pt.measuredWallMs, lo: pt.measuredCi95.lo, hi: pt.measuredCi95.hi })} over ${plural(pt.runs, 'run')}; the model fitted without it predicts ${fmtS(h.predictedWallMs)} (${signed(h.errorPct)}%, the target ${p.validation.targetPct}%)`;
  });
  return `A video length the fit never saw, held out: ${list(words)}.${others.some((pt) => pt.runs < 5) ? ' With so few runs its interval is wide; the error against the target is the test.' : ''}`;
}
