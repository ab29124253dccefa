// "What is the bottleneck?": where the wall time goes (the phases of each configuration, the one-core
// stages apart from the parallel encode), how busy the cores are (Σ ffmpeg user+sys CPU ÷ (wall × cores)),
// the chunk timeline of each worker count on one shared time axis (so the speedup is visible as width),
// and whether the disk matters (disk vs tmpfs, paired by round). The CPU verdict and the disk verdict are
// each one function, used by the section's sentence and by the summary's answer alike, so the two always
// agree; each claims only what its 95% interval supports.
import type { ChunkRecord, RunRecord } from '../../pipeline/types.ts';
import { nonNegativeMean, type RatioEstimate } from '../../stats/index.ts';
import { base, CENTRE_COLOUR, centreAxis, centreRowIf, dotPlot, OTHER_COLOUR, rowPlotWidth } from '../charts.ts';
import { pairedWallRatio, phaseShare } from '../context.ts';
import { list, seconds, share, shareCi, timesCi, valueCi, verdict, type Estimate } from '../format.ts';
import { finding, note, type ChartSpec, type ReportContext, type Section, type Sentence } from '../section.ts';

/** The share of all cores busy with ffmpeg at or above which the page calls a run bound by the CPU: the one
 * threshold of the page (the section's sentence, the summary's answer, the chart's dashed line). The
 * one-core stages (probe, split, merge: ~5% of a run) and the harness keep a saturated 2-core run near 90%,
 * not 100%. */
export const CPU_BOUND_SHARE = 0.85;

/** Is the run bound by the CPU? Claimed either way only where the busy share's whole 95% interval lies on one
 * side of CPU_BOUND_SHARE; `short` is the answer's words, `long` the section's, `digits` how the share is to be
 * printed beside them: one decimal where the interval straddles the line, since at whole percents a low end of
 * 84.9% prints as "[85, 93]" and reads as above it. */
export function cpuVerdict(busy: Estimate): { short: string; long: string; digits: number } {
  const line = share(CPU_BOUND_SHARE);
  const noCi = busy.n !== undefined && busy.n < 2;
  if (!noCi && busy.lo >= CPU_BOUND_SHARE) return { short: 'bound by the CPU', long: `the run is bound by the CPU (the whole interval is at or above ${line})`, digits: 0 };
  if (!noCi && busy.hi < CPU_BOUND_SHARE) return { short: 'not bound by the CPU', long: `the cores are not saturated (the whole interval is below ${line}): the run waits on something other than the CPU`, digits: 0 };
  const bounds = noCi ? 'no interval' : `the interval includes ${line}`;
  return { short: `whether the CPU is the limit this run cannot tell (${bounds})`, long: `not clearly bound by the CPU, nor clearly not: ${bounds}, the share at or above which this page calls a run CPU-bound`, digits: noCi ? 0 : 1 };
}

/** A per-run figure of a configuration's measured successful runs as "mean [lo, hi]" (Student t over the
 * runs), or "—" where no run has it. */
function perRunCi(ctx: ReportContext, configId: string, pick: (r: RunRecord) => number | null, digits: number, unit: string): string {
  const values = ctx.results.filter((l) => l.configId === configId && !l.warmup && l.state === 'ok' && l.record).flatMap((l) => {
    const v = pick(l.record as RunRecord);
    return v === null || !Number.isFinite(v) ? [] : [v];
  });
  // times and throughputs are never negative: the interval is cut at 0 (which keeps its coverage)
  return values.length ? valueCi(nonNegativeMean(values), digits, unit) : '—';
}

/** Disk against tmpfs, as wall(a) ÷ wall(b) paired by round: the faster one named only where the interval
 * excludes 1×; otherwise the absence of evidence is stated as such, with the interval. */
export function storageClause(r: RatioEstimate | Estimate, a: string, b: string): string {
  const v = verdict(r);
  if (v === 'unclear') return `${a} vs ${b}: no difference this run could detect (${timesCi(r)})`;
  return v === 'above' ? `${a} vs ${b}: ${b} is faster, ${a} takes ${timesCi(r)} its wall time` : `${a} vs ${b}: ${a} is faster, taking ${timesCi(r)} the wall time on ${b}`;
}

/** The share of all cores a configuration can keep busy: its ffmpegs' threads at once (workers × threads per
 * ffmpeg; single-mt and threads 0 use every core), over the cores, at most 1. */
export function maxBusyShare(config: { mode: string; workers: number; threads: number }, cores: number): number {
  const threads = config.threads === 0 || config.mode === 'single-mt' ? cores : config.threads;
  const processes = config.mode === 'chunked' ? config.workers : 1;
  return Math.min(1, (processes * threads) / cores);
}

/** The busy share with its 95% interval cut to what the configuration can do (0 to maxBusyShare): a t-interval
 * of a bounded quantity can reach past its bound ("44% [36, 53]" for one 1-thread ffmpeg on 2 cores), and
 * cutting an interval to the possible values never lowers its coverage — as long as the bound holds. A mean
 * above the bound (ffmpeg's own helper threads) shows it does not for this configuration: its interval is then
 * left as computed, since cutting it at the bound or at the mean would leave the true value outside it. */
export function busyEstimate(u: { mean: number; ci95: { lo: number; hi: number }; n: number }, config: { mode: string; workers: number; threads: number }, cores: number): Estimate {
  const bound = maxBusyShare(config, cores);
  return { point: u.mean, lo: Math.max(0, u.ci95.lo), hi: u.mean > bound ? u.ci95.hi : Math.min(bound, u.ci95.hi), n: u.n };
}

const PHASES = ['probe', 'split', 'process', 'merge'] as const;

/** The lead-in part of the parallel overhead, from the stored plan (null: runs that predate the count). */
export function leadInClause(shareOfFrames: number | null): string {
  if (shareOfFrames === null) return 'decoding from the keyframe before mid-GOP cuts, ';
  return shareOfFrames > 0 ? `decoding ${share(shareOfFrames, 1)} more frames only to reach mid-GOP cuts, ` : '';
}

/** The configurations the bottleneck's charts draw: the centre, the worker counts and the centre's baselines;
 * every configuration's figures are in the folded table below them. */
function drawn(ctx: ReportContext): Set<string> {
  const c = ctx.centre;
  const ids = new Set([c?.configId, ...ctx.summary.configs.filter((x) => x.sweeps.includes('workers') && x.config.mode === 'chunked').map((x) => x.configId), ...(['single', 'single-mt', 'sequential'] as const).map((b) => c?.speedup[b]?.baselineId)].filter((x): x is string => Boolean(x)));
  return ids.size >= 3 ? ids : new Set(ctx.summary.configs.map((x) => x.configId));
}

function phasesChart(ctx: ReportContext): ChartSpec | null {
  const shown = drawn(ctx);
  const configs = ctx.summary.configs.filter((c) => c.phasesMs && c.wallMs && shown.has(c.configId));
  if (!configs.length) return null;
  const bars = configs.flatMap((c) => {
    const inWall = c.config.mode === 'single' || c.config.mode === 'single-mt' ? (['process'] as const) : PHASES;
    return inWall.map((phase, i) => ({ label: ctx.label(c.configId), phase: phase === 'process' ? 'encode' : `${phase} (one core)`, order: i, seconds: (c.phasesMs?.[phase] ?? 0) / 1000 }));
  });
  const totals = configs.map((c) => ({ label: ctx.label(c.configId), value: (c.wallMs?.mean ?? 0) / 1000, lo: (c.wallMs?.ci95.lo ?? 0) / 1000, hi: (c.wallMs?.ci95.hi ?? 0) / 1000 }));
  const max = Math.max(...totals.map((t) => t.hi), ...bars.map((b) => b.seconds));
  const y = { field: 'label', type: 'nominal', sort: null, title: null, axis: centreAxis };
  // a phase too short to see in any bar (the exact split's bookkeeping, well under 1% of a run) would be a
  // legend entry with nothing to point at: left out, and the caption says so
  const all = ['probe (one core)', 'split (one core)', 'encode', 'merge (one core)'];
  const colours = ['#9c755f', '#f2cf5b', '#4c78a8', '#e45756'];
  const axisMax = max * 1.06;
  // drawn only when at least 0.5% of the time axis wide (a sliver under a pixel or two is not visible)
  const visible = all.filter((ph) => Math.max(0, ...bars.filter((b) => b.phase === ph).map((b) => b.seconds)) >= 0.005 * axisMax);
  const hidden = all.filter((ph) => !visible.includes(ph)).map((ph) => ph.replace(' (one core)', ''));
  const phaseColour = { field: 'phase', type: 'nominal', title: null, sort: visible, scale: { domain: visible, range: visible.map((ph) => colours[all.indexOf(ph)]) }, legend: { orient: 'bottom', columns: 4 } };
  const x = (field: string) => ({ field, type: 'quantitative', title: 'seconds', scale: { domain: [0, axisMax], nice: false }, axis: { tickMinStep: 1, tickCount: 8, format: 'd' } });
  return {
    name: 'phases',
    title: `Where the time goes, ${configs.length < ctx.summary.configs.filter((c) => c.phasesMs && c.wallMs).length ? `for ${configs.length} of the configurations (every one is in the table below)` : 'for each configuration'}: mean seconds per phase (the encode runs on every worker; probe, split and merge on one core) and the wall time's 95% CI (black).${configs.some((c) => c.configId === ctx.centre?.configId) ? " The centre's row is shaded." : ''}${hidden.length ? ` ${list(hidden).replace(/^./, (ch) => ch.toUpperCase())} ${hidden.length === 1 ? 'is' : 'are'} too short to see at this scale (under 0.5% of the time axis in every row) and not drawn; the table has ${hidden.length === 1 ? 'it' : 'them'}.` : ''}`,
    spec: {
      ...base('Phases per configuration', Math.max(120, 26 * configs.length)),
      width: rowPlotWidth(configs.map((c) => ctx.label(c.configId))),
      layer: [
        ...centreRowIf(y, configs.map((c) => ctx.label(c.configId))),
        { data: { values: bars.filter((b) => visible.includes(b.phase)) }, mark: { type: 'bar', height: { band: 0.7 } }, encoding: { y, x: { ...x('seconds'), stack: 'zero' }, color: phaseColour, order: { field: 'order' } } },
        { data: { values: totals }, mark: { type: 'rule', color: 'black', strokeWidth: 2 }, encoding: { y, x: x('lo'), x2: { field: 'hi' } } },
        { data: { values: totals }, mark: { type: 'tick', color: 'black', thickness: 2, bandSize: 14 }, encoding: { y, x: x('lo') } },
        { data: { values: totals }, mark: { type: 'tick', color: 'black', thickness: 2, bandSize: 14 }, encoding: { y, x: x('hi') } },
      ],
    },
  };
}

interface Lane { panel: string; lane: string; start: number; end: number; chunk: number; role: 'centre' | 'other' }

/** The representative run of each worker count (the one nearest the median), chunks per worker lane. */
function timelines(ctx: ReportContext): { lanes: Lane[]; sentences: Sentence[]; panels: string[] } {
  const sweep = ctx.summary.configs.filter((c) => c.config.mode === 'chunked' && c.sweeps.includes('workers') && c.wallMs);
  const list = (sweep.length ? sweep : ctx.summary.configs.filter((c) => c.configId === ctx.centre?.configId && c.wallMs)).sort((a, b) => a.config.workers - b.config.workers);
  const lanes: Lane[] = [];
  const panels: string[] = [];
  const sentences: Sentence[] = [];
  for (const c of list) {
    const runs = ctx.results.filter((l) => l.configId === c.configId && !l.warmup && l.state === 'ok' && l.record);
    const median = c.wallMs?.median ?? 0;
    const run = runs.sort((a, b) => Math.abs(a.wallMs - median) - Math.abs(b.wallMs - median))[0];
    if (!run?.record) continue;
    const panel = `${c.config.workers} worker${c.config.workers === 1 ? '' : 's'}${c.configId === ctx.centre?.configId ? ' (centre)' : ''}`;
    panels.push(panel);
    const chunks = run.record.chunks as ChunkRecord[];
    for (const ch of chunks) lanes.push({ panel, lane: `w${ch.workerId + 1}`, start: ch.startMs / 1000, end: ch.endMs / 1000, chunk: ch.index, role: c.configId === ctx.centre?.configId ? 'centre' : 'other' });
    const ends = new Map<number, number>();
    for (const ch of chunks) ends.set(ch.workerId, Math.max(ends.get(ch.workerId) ?? 0, ch.endMs));
    const busy = chunks.reduce((s, ch) => s + (ch.endMs - ch.startMs), 0);
    const finish = Math.max(...ends.values());
    const width = Math.min(c.config.workers, chunks.length);
    const tail = finish - Math.min(...ends.values());
    const end = tail < 5 ? 'the workers finish together' : `the last worker finishes ${seconds(tail)} after the first runs out of work`;
    if (width > 1 && c.configId === ctx.centre?.configId) sentences.push(finding(`In the centre's run nearest the median, ${chunks.length} chunks on ${width} workers keep them busy ${share(busy / (finish * width))} of the encode; ${end}.`));
  }
  return { lanes, sentences, panels };
}

function timelineChart(lanes: Lane[], panels: string[]): ChartSpec | null {
  if (!lanes.length) return null;
  const max = Math.max(...lanes.map((l) => l.end));
  return {
    name: 'timelines',
    title: `${panels.length > 1 ? 'Chunk timelines of each worker count, on one time axis' : 'Chunk timeline'}: one row per worker, one bar per chunk (gaps: idle). The run nearest the median${panels.length > 1 ? ' of each' : ''}; the centre in orange.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: panels.length > 1 ? 'Chunks over time, by worker count' : 'Chunks over time',
      background: 'white',
      config: base('').config,
      data: { values: lanes },
      facet: { row: { field: 'panel', type: 'nominal', title: null, sort: panels, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelFontWeight: 'bold' } } },
      resolve: { scale: { y: 'independent' } },
      spacing: 8,
      spec: {
        width: 600,
        height: { step: 18 },
        mark: { type: 'bar', stroke: 'white', strokeWidth: 1.5 },
        encoding: {
          y: { field: 'lane', type: 'nominal', title: null },
          x: { field: 'start', type: 'quantitative', title: 'seconds from the start of the encode', scale: { domain: [0, max * 1.03], nice: false }, axis: { tickCount: 8 } },
          x2: { field: 'end' },
          color: { field: 'role', type: 'nominal', scale: { domain: ['centre', 'other'], range: [CENTRE_COLOUR, OTHER_COLOUR] }, legend: null },
          tooltip: [{ field: 'chunk' }, { field: 'start', format: '.2f' }, { field: 'end', format: '.2f' }],
        },
      },
    },
  };
}

export function bottleneckSection(ctx: ReportContext): Section {
  const sentences: Sentence[] = [];
  const c = ctx.centre;
  let answer = '';
  const encode = c?.config.mode === 'chunked' ? phaseShare(ctx.results, c.configId, ['processMs']) : null;
  const serial = c?.config.mode === 'chunked' ? phaseShare(ctx.results, c.configId, ['probeMs', 'splitMs', 'mergeMs']) : null;
  if (encode && serial) {
    sentences.push(finding(`In the centre, the parallel encode takes ${shareCi(encode, 1)} of the wall time; the stages that run on one core (probe, split, merge) take ${shareCi(serial, 1)}.`));
    answer = `Encoding: ${shareCi(encode, 1)} of the centre's time is the parallel encode`;
  }
  const cpu = c?.cpuUtilisation;
  if (cpu) {
    const busy = busyEstimate(cpu, c.config, ctx.cores);
    const words = cpuVerdict(busy);
    sentences.push(finding(`ffmpeg keeps ${shareCi(busy, words.digits)} of the ${ctx.cores} cores busy in the centre (user + system CPU ÷ wall time × cores, 95% CI): ${words.long}.`));
    answer += `${answer ? ', and' : 'The CPU:'} ffmpeg keeps ${shareCi(busy, words.digits)} of the ${ctx.cores} cores busy, ${words.short}`;
  }
  const storage = ctx.summary.configs.filter((s) => s.sweeps.includes('storage') && s.wallMs);
  if (storage.length === 2) {
    // the disk first, so that the ratio reads "disk vs tmpfs" as the answer words it
    const [a, b] = [...storage].sort((x, y) => Number(y.config.workDir === 'disk') - Number(x.config.workDir === 'disk')) as [typeof storage[0], typeof storage[0]];
    const r = pairedWallRatio(ctx.results, a.configId, b.configId);
    if (r) {
      const clause = storageClause(r, a.config.workDir, b.config.workDir);
      const wide = verdict(r) === 'unclear' && r.hi - r.lo > 0.2 ? '; the interval is too wide to rule out a large difference either way' : '';
      sentences.push(finding(`Where the chunks are written (both with a copy split, wall time paired by round) — ${clause}${wide}.`));
      answer += `; ${clause}`;
    }
  }
  const tl = timelines(ctx);
  sentences.push(...tl.sentences);
  const shown = drawn(ctx);
  const utilisation = ctx.summary.configs.flatMap((s) => {
    if (!s.cpuUtilisation || !shown.has(s.configId)) return [];
    const b = busyEstimate(s.cpuUtilisation, s.config, ctx.cores);
    return [{ label: ctx.label(s.configId), value: b.point, lo: b.lo, hi: b.hi, role: s.configId === c?.configId ? 'centre' as const : 'other' as const }];
  });
  const charts = [
    phasesChart(ctx),
    timelineChart(tl.lanes, tl.panels),
    utilisation.length ? { name: 'cpu-utilisation' as const, title: `Share of all cores busy with ffmpeg (user + system CPU ÷ wall time × cores), mean and 95% CI, the interval cut at what the configuration's threads can use (one 1-thread ffmpeg: half of 2 cores); the centre in orange. Dashed line: ${share(CPU_BOUND_SHARE)}, the share at or above which (the whole interval) this page calls a run bound by the CPU.${utilisation.length < ctx.summary.configs.filter((s) => s.cpuUtilisation).length ? ' The centre, the worker counts and the baselines; every configuration is in the table below.' : ''}`, spec: dotPlot('CPU busy, by configuration', utilisation, 'share of all cores busy', { format: '%', floor: 0, reference: CPU_BOUND_SHARE }) } : null,
  ].filter((x): x is ChartSpec => x !== null);
  const throughput = ctx.summary.configs.filter((s) => s.phasesMs && (s.config.mode === 'chunked' || s.config.mode === 'sequential') && s.outputBytes && s.phasesMs.merge > 0);
  return {
    id: 'bottleneck',
    title: 'What is the bottleneck?',
    answers: answer ? { question: 'bottleneck', text: `${answer}.` } : undefined,
    sentences: sentences.length ? sentences : [note('This run has no phase timings for its centre configuration.')],
    tables: [
      ...(ctx.summary.configs.some((s) => s.phasesMs) ? [{
        collapsed: true,
        caption: 'Every configuration: seconds per phase (probe, split and merge on one core) and the share of all cores busy with ffmpeg, mean [95% CI] over its runs.',
        head: ['configuration', 'probe', 'split', 'encode', 'merge', 'cores busy'],
        rows: ctx.summary.configs.filter((s) => s.phasesMs).map((s) => ({ cells: [ctx.label(s.configId), ...(['probe', 'split', 'process', 'merge'] as const).map((ph) => perRunCi(ctx, s.configId, (r) => (r.phases?.[`${ph}Ms`] === undefined ? null : r.phases[`${ph}Ms`] / 1000), ph === 'process' ? 2 : 3, ' s')), s.cpuUtilisation ? shareCi(busyEstimate(s.cpuUtilisation, s.config, ctx.cores)) : '—'], centre: s.configId === c?.configId })),
      }] : []),
      ...(throughput.length ? [{
        collapsed: true,
        caption: 'Throughput of the one-core stages: output megabytes per second of split (copy splits only) and of merge, mean [95% CI] over the runs.',
        head: ['configuration', 'split MB/s', 'merge MB/s'],
        rows: throughput.map((s) => ({ cells: [ctx.label(s.configId), s.config.split === 'copy' && (s.phasesMs?.split ?? 0) > 0 ? perRunCi(ctx, s.configId, (r) => (r.phases?.splitMs && r.output?.bytes ? r.output.bytes / 1e6 / (r.phases.splitMs / 1000) : null), 0, '') : '—', perRunCi(ctx, s.configId, (r) => (r.phases?.mergeMs && r.output?.bytes ? r.output.bytes / 1e6 / (r.phases.mergeMs / 1000) : null), 0, '')], centre: s.configId === c?.configId })),
      }] : []),
    ],
    charts,
  };
}
