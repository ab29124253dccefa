// "How does it scale with workers on this machine?": the measured speedup over single at each worker
// count with its 95% CI, the centre highlighted, the ideal line and the core count. A model is drawn only
// where the data carry it: Amdahl's law (two parameters, Ts and Tp) needs more than two distinct worker
// counts within the cores, the Universal Scalability Law (σ and κ, with C(1) = 1) more than two above 1;
// past the cores the limit is the hardware, not the software, so those points fit neither. Each curve is
// drawn with its 95% band (round bootstrap, fit/bootstrap.ts) and only over the measured range. Karp–Flatt's
// e(N) = (1/S − 1/N)/(1 − 1/N) (Karp & Flatt, CACM 1990) is a number per worker count; its trend needs two.
import { amdahlSpeedup, fitAmdahl, fitUslToTimes, karpFlattSeries, karpFlattTrend, uslCapacity, type AmdahlFit, type UslFit } from '../../fit/index.ts';
import type { ScalingPoint } from '../../fit/points.ts';
import type { ConfigSummary } from '../../summary/summarize.ts';
import { leadInClause } from './bottleneck.ts';
import { base, countAxis, MODEL_COLOUR, OTHER_COLOUR, padded, roleColour } from '../charts.ts';
import { pairedWallRatio, phaseShare, wallByRound } from '../context.ts';
import { list, share, shareCi, times, timesCi, typographicMinus, verdict, type Estimate } from '../format.ts';
import { finding, model, note, type ChartSpec, type ReportContext, type Section, type Sentence } from '../section.ts';

/** Distinct worker counts a fit needs within the cores: more than its parameters. */
export const AMDAHL_MIN_COUNTS = 3;
export const USL_MIN_COUNTS_ABOVE_ONE = 3;

export interface ScalingPointRow {
  configId: string;
  workers: number;
  speedup: { point: number; lo: number; hi: number; n: number };
  efficiency: { point: number; lo: number; hi: number; n: number };
  centre: boolean;
}

/** What the scaling section found, for the projection section's story. */
export interface ScalingFacts {
  points: ScalingPointRow[];
  amdahl: AmdahlFit | null;
  usl: UslFit | null;
  /** Distinct worker counts within the cores (1 = single). */
  countsWithinCores: number[];
  karpFlatt: ReturnType<typeof karpFlattSeries>;
  /** Probe + split + merge over the centre's wall time, per run: mean [95% CI]. */
  serialShare: Estimate | null;
}

/** The worker sweep: chunked configurations that differ only in workers, each with a speedup over single. */
function sweep(ctx: ReportContext): ConfigSummary[] {
  return ctx.summary.configs.filter((c) => c.sweeps.includes('workers') && c.config.mode === 'chunked' && c.speedup.single && c.wallMs).sort((a, b) => a.config.workers - b.config.workers);
}

export function scalingFacts(ctx: ReportContext): ScalingFacts | null {
  const configs = sweep(ctx);
  if (configs.length < 2) return null;
  const points = configs.map((c) => {
    const s = c.speedup.single as NonNullable<ConfigSummary['speedup']['single']>;
    return { configId: c.configId, workers: c.config.workers, speedup: s, efficiency: { point: s.point / c.config.workers, lo: s.lo / c.config.workers, hi: s.hi / c.config.workers, n: s.n }, centre: c.configId === ctx.centre?.configId };
  });
  const single = ctx.summary.configs.find((c) => c.configId === configs[0]?.speedup.single?.baselineId);
  const fitPoints: ScalingPoint[] = [
    ...(single?.wallMs ? [{ workers: 1, wallMs: single.wallMs.mean, samplesByRound: wallByRound(ctx.results, single.configId) }] : []),
    ...configs.filter((c) => c.config.workers > 1 && c.config.workers <= ctx.cores).map((c) => ({ workers: c.config.workers, wallMs: c.wallMs?.mean ?? NaN, samplesByRound: wallByRound(ctx.results, c.configId) })),
  ];
  const countsWithinCores = [...new Set(fitPoints.map((p) => p.workers))].sort((a, b) => a - b);
  let amdahl: AmdahlFit | null = null;
  let usl: UslFit | null = null;
  if (countsWithinCores.length >= AMDAHL_MIN_COUNTS) {
    try { amdahl = fitAmdahl(fitPoints); } catch { amdahl = null; }
  }
  if (countsWithinCores.filter((n) => n > 1).length >= USL_MIN_COUNTS_ABOVE_ONE) {
    try { usl = fitUslToTimes(fitPoints); } catch { usl = null; }
  }
  const karpFlatt = karpFlattSeries(points.filter((p) => p.workers <= ctx.cores).map((p) => ({ workers: p.workers, speedup: p.speedup.point, lo: p.speedup.lo, hi: p.speedup.hi })));
  const serialShare = ctx.centre?.config.mode === 'chunked' ? phaseShare(ctx.results, ctx.centre.configId, ['probeMs', 'splitMs', 'mergeMs']) : null;
  return { points, amdahl, usl, countsWithinCores, karpFlatt, serialShare };
}

/** A model's curve with its band, over [1, maxN] within the cores; null when it has no interval. */
function curves(f: ScalingFacts, maxN: number): { workers: number; model: string; speedup: number; lo: number; hi: number }[] {
  const out: { workers: number; model: string; speedup: number; lo: number; hi: number }[] = [];
  for (let n = 1; n <= maxN + 1e-9; n += 0.125) {
    const a = f.amdahl;
    if (a?.serialFractionCi95) out.push({ workers: n, model: 'model: Amdahl', speedup: amdahlSpeedup(a.serialFraction, n), lo: amdahlSpeedup(a.serialFractionCi95.hi, n), hi: amdahlSpeedup(a.serialFractionCi95.lo, n) });
    const u = f.usl;
    if (u?.sigmaCi95 && u.kappaCi95) {
      const corners = [u.sigmaCi95.lo, u.sigmaCi95.hi].flatMap((s) => [u.kappaCi95?.lo ?? 0, u.kappaCi95?.hi ?? 0].map((k) => uslCapacity(s, k, n)));
      out.push({ workers: n, model: 'model: USL', speedup: uslCapacity(u.sigma, u.kappa, n), lo: Math.min(...corners), hi: Math.max(...corners) });
    }
  }
  return out;
}

/** Each model's dash, dashed as models are everywhere on the page (the ideal line is grey and [4, 3]). */
const MODEL_DASHES: Record<string, number[]> = { 'model: Amdahl': [6, 3], 'model: USL': [2, 2] };

/** The models' strokeDash encoding: an explicit scale, so no model is drawn solid like a measurement (Vega-Lite's
 * default range starts with a solid line), and a legend whose strokes are long and thick enough to show the
 * same dash as the curve beside them. */
function modelDash(names: readonly string[]) {
  const domain = Object.keys(MODEL_DASHES).filter((n) => names.includes(n));
  return { field: 'model', type: 'nominal', title: null, scale: { domain, range: domain.map((n) => MODEL_DASHES[n]) }, legend: { orient: 'bottom', symbolType: 'stroke', symbolSize: 500, symbolStrokeWidth: 2, symbolStrokeColor: MODEL_COLOUR } };
}

function speedupChart(ctx: ReportContext, f: ScalingFacts): ChartSpec {
  const workers = f.points.map((p) => p.workers);
  const maxN = Math.max(...workers);
  const models = curves(f, Math.min(maxN, ctx.cores));
  const xDomain = [0.6, maxN + 0.4];
  const yDomain = padded([1, ...f.points.flatMap((p) => [p.speedup.lo, p.speedup.hi]), ...models.flatMap((m) => [m.lo, m.hi]), Math.min(maxN, ctx.cores)], 0.08, 0);
  const x = { field: 'workers', type: 'quantitative', title: 'workers (ffmpeg processes at once)', scale: { domain: xDomain, nice: false }, axis: countAxis([1, ...workers]) };
  const y = (field: string) => ({ field, type: 'quantitative', title: 'speedup over single (×)', scale: { domain: yDomain, nice: false, zero: false } });
  const dots = f.points.map((p) => ({ workers: p.workers, value: p.speedup.point, lo: p.speedup.lo, hi: p.speedup.hi, label: ctx.label(p.configId), role: p.centre ? 'centre' : 'other' }));
  const ideal = [{ workers: 1, speedup: 1 }, { workers: Math.min(maxN, ctx.cores), speedup: Math.min(maxN, ctx.cores) }, { workers: maxN, speedup: Math.min(maxN, ctx.cores) }];
  return {
    name: 'speedup',
    title: `Speedup over single against workers: dots measured (mean, 95% CI; orange: the centre), grey: ideal (N× up to the ${ctx.cores} cores, flat past them)${models.length ? ', purple: fitted models with their 95% bands, within the cores only' : '; no model is fitted (too few worker counts within the cores)'}.`,
    spec: {
      ...base('Speedup vs workers', 260),
      layer: [
        { data: { values: ideal }, mark: { type: 'line', color: '#aaa', strokeDash: [4, 3] }, encoding: { x, y: y('speedup') } },
        { data: { values: [{ workers: ctx.cores }] }, mark: { type: 'rule', color: '#ccc' }, encoding: { x } },
        ...(models.length
          ? [
              { data: { values: models }, mark: { type: 'area', opacity: 0.18, color: MODEL_COLOUR }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, detail: { field: 'model' } } },
              { data: { values: models }, mark: { type: 'line', color: MODEL_COLOUR }, encoding: { x, y: y('speedup'), strokeDash: modelDash(models.map((m) => m.model)) } },
            ]
          : []),
        { data: { values: dots }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color: roleColour } },
        { data: { values: dots }, mark: { type: 'point', filled: true, size: 90, opacity: 1 }, encoding: { x, y: y('value'), color: roleColour, tooltip: [{ field: 'label' }, { field: 'value', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }] } },
      ],
    },
  };
}

function karpFlattChart(f: ScalingFacts): ChartSpec {
  const values = f.karpFlatt.map((k) => ({ workers: k.workers, value: k.e, lo: k.ci95?.lo ?? k.e, hi: k.ci95?.hi ?? k.e }));
  const x = { field: 'workers', type: 'quantitative', title: 'workers', scale: { domain: padded(values.map((v) => v.workers), 0.15), nice: false }, axis: countAxis(values.map((v) => v.workers)) };
  const y = (field: string) => ({ field, type: 'quantitative', title: 'share that behaves as serial', scale: { domain: padded(values.flatMap((v) => [v.lo, v.hi]), 0.1), nice: false }, axis: { format: '%' } });
  return {
    name: 'karp-flatt',
    title: 'Karp–Flatt: the share of the run that behaves as if serial, from each measured speedup (95% CI). Rising with workers: overhead grows with parallelism; flat: a fixed serial part.',
    spec: { ...base('Share that behaves as serial, by workers', 200), data: { values }, layer: [{ mark: { type: 'rule', strokeWidth: 2, color: OTHER_COLOUR }, encoding: { x, y: y('lo'), y2: { field: 'hi' } } }, { mark: { type: 'point', filled: true, size: 80, color: OTHER_COLOUR, opacity: 1 }, encoding: { x, y: y('value') } }] },
  };
}

/** An efficiency interval that reaches past 100% (each worker doing more than one ffmpeg alone) does not
 * show a gain: it cannot tell the workers from no loss at all. The words say so; the numbers stay as measured. */
const pastFull = (e: Estimate): boolean => e.hi > 1;

/** "each worker does 76% [57, 98] of what one ffmpeg alone does (parallel efficiency)", and where the interval
 * reaches past 100%, that it cannot tell this from no loss at all. */
export function efficiencyClause(e: Estimate): string {
  const base = `each worker does ${shareCi(e)} of what one ffmpeg alone does (parallel efficiency)`;
  return pastFull(e) ? `${base}, within the noise of no loss at all (the interval reaches past 100%)` : base;
}

export function scalingSection(ctx: ReportContext, f: ScalingFacts | null): Section | null {
  if (!f) return null;
  const sentences: Sentence[] = [];
  const centre = f.points.find((p) => p.centre);
  if (centre) sentences.push(finding(`At ${centre.workers} workers (the centre) the speedup over single is ${timesCi(centre.speedup)}: ${efficiencyClause(centre.efficiency)}.`));
  const atCores = f.points.find((p) => p.workers === ctx.cores);
  const beyond = f.points.filter((p) => p.workers > ctx.cores);
  for (const p of beyond) {
    if (!atCores) break;
    const r = pairedWallRatio(ctx.results, p.configId, atCores.configId);
    if (!r) continue;
    const v = verdict(r);
    sentences.push(finding(`Past the ${ctx.cores} cores, ${p.workers} workers take ${timesCi(r)} the time of ${atCores.workers} (paired by round): ${v === 'above' ? 'slower — more processes only take turns on the same cores' : v === 'below' ? 'faster, which the cores alone do not explain' : 'no measurable difference — more processes only take turns on the same cores'}.`));
  }
  const within = f.countsWithinCores;
  if (!f.amdahl) sentences.push(note(`No scaling model is fitted: within the ${ctx.cores} cores this run measured ${within.length} worker counts (${list(within.map(String))}, where 1 is single), and Amdahl's law needs more than its 2 parameters (${AMDAHL_MIN_COUNTS} counts), the Universal Scalability Law ${USL_MIN_COUNTS_ABOVE_ONE} counts above 1. A grid with workers 1, 2, 4 and 8 on a machine with at least 8 cores would support both.`));
  else {
    const a = f.amdahl;
    const ci = a.serialFractionCi95 ? ` [${share(a.serialFractionCi95.lo, 1)}, ${share(a.serialFractionCi95.hi, 1)}]` : ' (no interval: not drawn)';
    sentences.push(model(`Model: Amdahl's law fitted to ${within.length} worker counts within the cores gives a serial fraction of ${share(a.serialFraction, 1)}${ci} (95% CI, bootstrap of whole rounds), so at most ${Number.isFinite(a.ceiling) ? times(a.ceiling, 1) : 'no limit'} on any number of workers.`));
  }
  if (f.usl) {
    const peak = Number.isFinite(f.usl.peakWorkers) ? `it peaks near ${f.usl.peakWorkers.toFixed(0)} workers` : 'it predicts no peak';
    // plain words first, the symbols the glossary's formula uses after them
    sentences.push(model(`Model: the Universal Scalability Law finds ${share(f.usl.sigma, 1)} of the work waiting its turn for something shared (contention, σ = ${f.usl.sigma.toFixed(3)}) and a cost of workers keeping each other in step that grows with every pair of them (crosstalk, κ = ${f.usl.kappa.toFixed(4)})${f.usl.sigmaCi95 ? '' : ' (no interval: not drawn)'}; ${peak}.`));
  }
  const kf = f.karpFlatt;
  if (kf.length === 1 && kf[0]) {
    const k = kf[0];
    const ci = k.ci95 ? typographicMinus(` [${share(k.ci95.lo, 1)}, ${share(k.ci95.hi, 1)}]`) : '';
    const overhead = `an ffmpeg start-up and a keyframe per chunk, ${leadInClause(ctx.centre?.leadInShare ?? null)}workers sharing caches and memory`;
    const rest = f.serialShare !== null ? `; the stages that really run on one core (probe, split, merge) are only ${shareCi(f.serialShare, 1)} of the centre's wall time, so the rest is overhead of running in parallel — ${overhead}` : '';
    sentences.push(finding(`The measured speedup at ${k.workers} workers means ${share(k.e, 1)}${ci} of the run behaves as if it were serial (Karp–Flatt)${rest}. Whether it grows with the workers needs a second worker count within the cores.`));
  } else if (kf.length >= 2) sentences.push(finding(karpFlattTrend(kf).explanation));
  if (f.serialShare !== null && f.amdahl?.serialFractionCi95 && f.amdahl.serialFractionCi95.lo > f.serialShare.hi) sentences.push(note(`Amdahl's serial fraction (${share(f.amdahl.serialFraction, 1)}) is larger than the serial stages measured (${shareCi(f.serialShare, 1)}): it lumps the per-chunk overhead in with the serial work.`));
  const charts = [speedupChart(ctx, f), ...(kf.length >= 2 ? [karpFlattChart(f)] : [])];
  return {
    id: 'scaling',
    title: 'How does it scale with workers on this machine?',
    sentences,
    tables: [{
      collapsed: true,
      caption: `Measured speedup over single and parallel efficiency (speedup ÷ workers), mean [95% CI], paired by round.${f.points.some((p) => pastFull(p.efficiency)) ? ' An efficiency interval reaching past 100% is within the noise of no loss at all, not a worker doing more than one ffmpeg alone.' : ''}`,
      head: ['workers', 'configuration', 'speedup vs single', 'efficiency'],
      rows: f.points.map((p) => ({ cells: [String(p.workers), ctx.label(p.configId), timesCi(p.speedup), shareCi(p.efficiency)], centre: p.centre })),
    }],
    charts,
  };
}
