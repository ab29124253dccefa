// The report's content as data: a pure function of meta.json, results.jsonl and the summary. Every number
// and every sentence that states a result is computed here from the stored runs, so a report can be
// regenerated in seconds, and tested without a browser.
import { median } from 'simple-statistics';
import { ceilingSection, type CeilingSection } from './ceiling.ts';
import { basename } from 'node:path';
import { fitAmdahl, fitUsl, karpFlattSeries, karpFlattTrend, uslCapacity, amdahlSpeedup, type AmdahlFit, type KarpFlattPoint, type UslFit } from '../fit/index.ts';
import type { ResultLine, RunMeta } from '../harness/store.ts';
import type { ChunkRecord } from '../pipeline/types.ts';
import { OUTLIER_MIN_N } from '../stats/describe.ts';
import type { RatioEstimate } from '../stats/index.ts';
import type { ConfigSummary, Summary } from '../summary/summarize.ts';
import type { Projection } from '../simulate/index.ts';
import { faultsSection, type FaultsSection } from './faults.ts';
import { queueSection, type QueueSection } from './queue.ts';
import { projectionSentences as clusterSentences, projectionValidationRows, type ValidationRow } from './projection.ts';

const s = (ms: number, digits = 2) => `${(ms / 1000).toFixed(digits)} s`;
const x = (r: { point?: number; value?: number; lo: number; hi: number }) => `${(r.point ?? r.value ?? NaN).toFixed(2)}× [${r.lo.toFixed(2)}, ${r.hi.toFixed(2)}]`;
const pct = (v: number, digits = 0) => `${(v * 100).toFixed(digits)}%`;

/** The lead-in part of the parallel overhead, from the stored plan (null: runs that predate the count). */
export function leadInClause(share: number | null): string {
  if (share === null) return 'decoding from the keyframe before mid-GOP cuts, ';
  return share > 0 ? `decoding ${pct(share, 1)} more frames only to reach mid-GOP cuts, ` : '';
}

/** A point of a chart: a value with its 95% interval. */
export interface Measured {
  key: string;
  label: string;
  value: number;
  lo: number;
  hi: number;
}

export interface ScalingSection {
  points: (Measured & { workers: number; efficiency: number; efficiencyLo: number; efficiencyHi: number })[];
  amdahl: AmdahlFit | null;
  usl: UslFit | null;
  /** True when the USL was fitted with worker counts above the core count (then not projected). */
  uslAcrossCores: boolean;
  karpFlatt: KarpFlattPoint[];
  curves: { workers: number; model: 'ideal' | 'Amdahl' | 'USL'; speedup: number }[];
  sentences: string[];
}

export interface SegmentRow {
  segmentSeconds: number;
  split: string;
  wall: Measured;
  efficiency: number | null;
  chunks: number;
  outputBytes: number;
  bitrateOverhead: number | null;
  /** Frames decoded only to reach mid-GOP cuts, as a share of the video's frames (null: not recorded). */
  leadInShare: number | null;
}

export interface ReportModel {
  title: string;
  runId: string;
  generatedFrom: string;
  machine: { cores: number; cpu: string; memoryGb: number; os: string; node: string; ffmpeg: string; commit: string | null; date: string };
  grid: { name: string; description: string; seed: number; repeats: number; warmup: number; configs: number; runs: number; failed: number };
  headline: { sentences: string[]; table: { role: string; label: string; wall: string }[] } | null;
  ceiling: CeilingSection | null;
  scaling: ScalingSection | null;
  phases: { label: string; phase: string; ms: number }[];
  /** Wall time per configuration with its 95% CI, drawn over the stacked phases. */
  phaseTotals: { label: string; value: number; lo: number; hi: number }[];
  phaseSentences: string[];
  timelines: { workers: number; label: string; chunks: { worker: number; chunk: number; startMs: number; endMs: number; seconds: number }[]; sentence: string }[];
  segments: { rows: SegmentRow[]; sentences: string[] } | null;
  comparisons: { dimension: 'preset' | 'filter'; rows: { value: string; chunked: Measured | null; single: Measured | null; singleMt: Measured | null; speedup: RatioEstimate | null; vsMt: RatioEstimate | null }[]; sentences: string[] }[];
  bottleneck: { utilisation: Measured[]; throughput: { label: string; splitMBps: number | null; mergeMBps: number | null }[]; storage: { label: string; wall: Measured }[]; sentences: string[] };
  /** `outliers` is null where the outlier rule was not applied (fewer than OUTLIER_MIN_N runs). */
  noise: { rows: { label: string; cv: number; n: number; outliers: number | null; warn: boolean }[]; order: string; sentences: string[] };
  verification: { total: number; ok: number; failed: { label: string; error: string }[]; sentence: string };
  failures: { label: string; round: number; error: string }[];
  /** "What happens if a worker fails?" (runs with injected faults or stalls in the grid). */
  faults: FaultsSection | null;
  /** Local pool vs task queue (runs with `executor: queue` in the grid). */
  queue: QueueSection | null;
  projection: { workers: number; model: string; speedup: number }[];
  projectionSentences: string[];
  /** The discrete-event simulation at cluster scale (src/simulate), a model checked on this run's points,
   * held out and in-sample (`validation`: one row per point). */
  cluster: { projection: Projection; sentences: string[]; validation: ValidationRow[] } | null;
}

function measured(c: ConfigSummary, key = c.configId, label = c.label): Measured | null {
  if (!c.wallMs) return null;
  return { key, label, value: c.wallMs.mean, lo: c.wallMs.ci95.lo, hi: c.wallMs.ci95.hi };
}

function scaling(summary: Summary, results: ResultLine[]): ScalingSection | null {
  // worker sweep: chunked configurations that differ only in workers, with a single baseline
  const sweep = summary.configs.filter((c) => c.sweeps.includes('workers') && c.config.mode === 'chunked' && c.speedup.single && c.wallMs);
  if (sweep.length < 2) return null;
  sweep.sort((a, b) => a.config.workers - b.config.workers);
  const single = summary.configs.find((c) => c.configId === sweep[0]?.speedup.single?.baselineId);
  const cores = summary.cores;
  const points = sweep.map((c) => {
    const sp = c.speedup.single as RatioEstimate;
    return { key: c.configId, label: c.label, workers: c.config.workers, value: sp.point, lo: sp.lo, hi: sp.hi, efficiency: sp.point / c.config.workers, efficiencyLo: sp.lo / c.config.workers, efficiencyHi: sp.hi / c.config.workers };
  });
  // Amdahl on times relative to single (N = 1 is the single baseline itself), USL on capacity vs single.
  // Each point's wall time per round, so that the fit's bootstrap resamples whole rounds: the worker
  // counts measured in one round share that moment's machine and stay paired
  const byRound = (configId: string) => new Map(results.filter((l) => l.configId === configId && !l.warmup && l.state === 'ok').map((l) => [l.round, l.wallMs]));
  const fitPoints = [
    ...(single?.wallMs ? [{ workers: 1, wallMs: single.wallMs.mean, samplesByRound: byRound(single.configId) }] : []),
    ...sweep.filter((c) => c.config.workers > 1).map((c) => ({ workers: c.config.workers, wallMs: c.wallMs?.mean ?? NaN, samplesByRound: byRound(c.configId) })),
  ];
  // fit only where workers ≤ cores: past the cores the limit is the hardware, not serial work
  const withinCores = fitPoints.filter((p) => p.workers <= cores);
  let amdahl: AmdahlFit | null = null;
  let usl: UslFit | null = null;
  try {
    amdahl = fitAmdahl(withinCores.length >= 2 ? withinCores : fitPoints);
  } catch {
    amdahl = null;
  }
  // the USL needs two worker counts above 1; fitted across the core count it models this machine's core
  // limit (oversubscription), which the report says, and which is then kept out of the projection
  const uslPoints = withinCores.filter((p) => p.workers > 1).length >= 2 ? withinCores : fitPoints;
  const uslAcrossCores = uslPoints.some((p) => p.workers > cores);
  try {
    usl = fitUsl(uslPoints.map((p) => ({ workers: p.workers, capacity: (uslPoints[0]?.wallMs ?? NaN) / p.wallMs })));
  } catch {
    usl = null;
  }
  const kf = karpFlattSeries(points.filter((p) => p.workers <= cores).map((p) => ({ workers: p.workers, speedup: p.value, lo: p.lo, hi: p.hi })));
  const maxN = Math.max(...points.map((p) => p.workers), cores * 2);
  const curves: ScalingSection['curves'] = [];
  for (let n = 1; n <= maxN; n += 0.25) {
    curves.push({ workers: n, model: 'ideal', speedup: n });
    if (amdahl) curves.push({ workers: n, model: 'Amdahl', speedup: amdahlSpeedup(amdahl.serialFraction, Math.min(n, cores)) });
    if (usl) curves.push({ workers: n, model: 'USL', speedup: uslCapacity(usl.sigma, usl.kappa, n) });
  }
  const best = [...points].sort((a, b) => b.value - a.value)[0];
  const atCores = points.find((p) => p.workers === cores);
  const sentences: string[] = [];
  if (best) sentences.push(`The best speedup over single is ${x(best)} with ${best.workers} workers on ${cores} cores; efficiency there is ${pct(best.efficiency)}.`);
  if (atCores && atCores.lo > 1) sentences.push(`At ${cores} workers the whole 95% interval lies above 1×: chunked is faster than sequential, with that confidence.`);
  const beyond = points.filter((p) => p.workers > cores);
  if (atCores && beyond.length) {
    const worst = beyond.sort((a, b) => a.value - b.value)[0];
    if (worst) sentences.push(`Past the core count the gain stops: ${worst.workers} workers give ${x(worst)}, ${worst.value < atCores.value ? 'below' : 'no better than'} ${atCores.workers} workers' ${atCores.value.toFixed(2)}× — more processes only take turns on the same cores.`);
  }
  if (amdahl) {
    const fitted = withinCores.length >= 2 ? withinCores : fitPoints;
    const r2 = fitted.length > 2 ? `R² = ${amdahl.r2.toFixed(3)}` : 'exact through two points, so R² says nothing';
    const how = amdahl.ciMethod === 'round-bootstrap' ? `95% CI, bootstrap of ${amdahl.rounds} whole rounds with Student's t` : '95% CI, delta method';
    const ci = amdahl.serialFractionCi95 ? ` [${pct(amdahl.serialFractionCi95.lo, 1)}, ${pct(amdahl.serialFractionCi95.hi, 1)}] (${how})` : '';
    const ceilingCi = amdahl.serialFractionCi95 ? ` [${amdahl.serialFractionCi95.hi > 0 ? `${(1 / amdahl.serialFractionCi95.hi).toFixed(1)}×` : '∞'}, ${amdahl.serialFractionCi95.lo > 0 ? `${(1 / amdahl.serialFractionCi95.lo).toFixed(1)}×` : '∞'}]` : '';
    sentences.push(`Amdahl's law fitted up to ${Math.max(...fitted.map((p) => p.workers))} workers gives a serial fraction f = ${pct(amdahl.serialFraction, 1)}${ci} (${r2}), a ceiling 1/f of ${Number.isFinite(amdahl.ceiling) ? `${amdahl.ceiling.toFixed(1)}×` : 'no limit'}${ceilingCi} on unlimited cores.`);
    const at = sweep.find((c) => c.config.workers === Math.min(cores, Math.max(...sweep.map((k) => k.config.workers))));
    if (at?.phasesMs && at.wallMs) {
      const serialShare = (at.phasesMs.probe + at.phasesMs.split + at.phasesMs.merge) / at.wallMs.mean;
      const gap = amdahl.serialFraction - serialShare;
      sentences.push(gap > 0.01
        ? `The serial work actually measured (probe + split + merge) is ${pct(serialShare, 1)} of the wall time at ${at.config.workers} workers, less than Amdahl's ${pct(amdahl.serialFraction, 1)}: the other ${pct(gap, 1)} is parallel overhead — per-chunk ffmpeg start-up, ${leadInClause(at.leadInShare)}workers contending for shared caches and memory — not serial code.`
        : `The serial work actually measured (probe + split + merge) is ${pct(serialShare, 1)} of the wall time at ${at.config.workers} workers, close to Amdahl's ${pct(amdahl.serialFraction, 1)}: the loss is the serial stages themselves.`);
    }
  }
  if (usl) sentences.push(`The Universal Scalability Law fits σ = ${usl.sigma.toFixed(3)} (contention) and κ = ${usl.kappa.toFixed(4)} (coherency), R² = ${usl.r2.toFixed(3)}; ${Number.isFinite(usl.peakWorkers) ? `it peaks at N* = ${usl.peakWorkers.toFixed(1)} workers` : 'it predicts no peak'}${usl.retrograde ? ', inside the measured range: adding workers there makes it slower (retrograde scaling)' : ''}.${uslAcrossCores ? ` It is fitted across the core count (up to ${Math.max(...uslPoints.map((p) => p.workers))} workers on ${cores} cores), so it describes this machine running out of cores, not how the work would scale on more machines: it is left out of the projection.` : ''}`);
  if (kf.length) sentences.push(karpFlattTrend(kf).explanation);
  return { points, amdahl, usl, uslAcrossCores, karpFlatt: kf, curves, sentences };
}

function phases(summary: Summary): { rows: ReportModel['phases']; sentences: string[] } {
  const rows: ReportModel['phases'] = [];
  for (const c of summary.configs) {
    if (!c.phasesMs) continue;
    const inWall = c.config.mode === 'single' || c.config.mode === 'single-mt' ? (['process'] as const) : (['probe', 'split', 'process', 'merge'] as const);
    for (const phase of inWall) rows.push({ label: c.label, phase, ms: c.phasesMs[phase] });
  }
  const centre = summary.headline ? summary.configs.find((c) => c.configId === summary.headline?.after.configId) : undefined;
  const sentences: string[] = [];
  if (centre?.phasesMs && centre.wallMs) {
    const serial = centre.phasesMs.probe + centre.phasesMs.split + centre.phasesMs.merge;
    sentences.push(`In ${centre.label}, probe + split + merge — the parts that run on one core — take ${s(serial, 3)}, ${pct(serial / centre.wallMs.mean, 1)} of the wall time; encoding the chunks takes ${pct(centre.phasesMs.process / centre.wallMs.mean, 1)}.`);
  }
  return { rows, sentences };
}

function timelines(results: ResultLine[], summary: Summary): ReportModel['timelines'] {
  const out: ReportModel['timelines'] = [];
  const sweep = summary.configs.filter((c) => c.config.mode === 'chunked' && c.sweeps.includes('workers') && c.wallMs);
  const list = sweep.length ? sweep : summary.configs.filter((c) => c.config.mode === 'chunked' && c.wallMs).slice(0, 1);
  for (const c of list.sort((a, b) => a.config.workers - b.config.workers)) {
    // the representative run: the measured run whose wall time is nearest the median
    const runs = results.filter((l) => l.configId === c.configId && !l.warmup && l.state === 'ok' && l.record);
    const median = c.wallMs?.median ?? 0;
    const run = runs.sort((a, b) => Math.abs(a.wallMs - median) - Math.abs(b.wallMs - median))[0];
    if (!run?.record) continue;
    const chunks = run.record.chunks.map((ch: ChunkRecord) => ({ worker: ch.workerId, chunk: ch.index, startMs: ch.startMs, endMs: ch.endMs, seconds: ch.durationSeconds }));
    const ends = new Map<number, number>();
    for (const ch of chunks) ends.set(ch.worker, Math.max(ends.get(ch.worker) ?? 0, ch.endMs));
    const finish = Math.max(...ends.values());
    const firstIdle = Math.min(...ends.values());
    const busy = chunks.reduce((sum, ch) => sum + (ch.endMs - ch.startMs), 0);
    const lanes = Math.min(c.config.workers, chunks.length);
    const idleShare = 1 - busy / (finish * lanes);
    out.push({
      workers: c.config.workers,
      label: c.label,
      chunks,
      sentence: lanes > 1
        ? `${c.label} (run ${run.seq}, nearest the median): ${chunks.length} chunks on ${lanes} lanes; the lanes are busy ${pct(1 - idleShare)} of the process phase, and the last worker finishes ${s(finish - firstIdle, 3)} after the first one runs out of work (the straggler tail).`
        : `${c.label} (run ${run.seq}, nearest the median): ${chunks.length} chunks one after another on one lane.`,
    });
  }
  return out;
}

function segmentsSection(summary: Summary): ReportModel['segments'] {
  const rows = summary.configs
    .filter((c) => c.sweeps.includes('segments') && c.config.mode === 'chunked' && c.wallMs && c.config.segmentSeconds !== null)
    .map((c): SegmentRow => ({
      segmentSeconds: c.config.segmentSeconds as number,
      split: c.config.split ?? 'exact',
      wall: measured(c) as Measured,
      efficiency: c.efficiency.single?.point ?? null,
      chunks: c.chunks ?? 0,
      outputBytes: c.outputBytes ?? 0,
      bitrateOverhead: null,
      leadInShare: c.leadInShare,
    }))
    .sort((a, b) => a.segmentSeconds - b.segmentSeconds);
  if (rows.length < 2) return null;
  const single = summary.configs.find((c) => c.config.mode === 'single' && c.outputBytes);
  const longest = [...rows].sort((a, b) => b.segmentSeconds - a.segmentSeconds)[0];
  const reference = single?.outputBytes ?? longest?.outputBytes ?? 0;
  for (const r of rows) r.bitrateOverhead = reference ? r.outputBytes / reference - 1 : null;
  const best = [...rows].sort((a, b) => a.wall.value - b.wall.value)[0] as SegmentRow;
  const ten = rows.find((r) => r.segmentSeconds === 10 && r.split === best.split) ?? rows.find((r) => r.segmentSeconds === 10);
  const shortest = rows[0] as SegmentRow;
  const sentences = [`Measured best segment length on this machine: ${best.segmentSeconds} s (${best.split} split), ${s(best.wall.value)} [${s(best.wall.lo)}, ${s(best.wall.hi)}].`];
  if (ten && ten !== best) {
    const slower = ten.wall.value / best.wall.value - 1;
    const overlap = ten.wall.lo <= best.wall.hi;
    sentences.push(`10 s is not the best here: it takes ${s(ten.wall.value)}, ${pct(slower, 1)} longer${overlap ? ', though the two 95% intervals overlap, so the difference is within the noise' : ''}, and its output is ${pct((ten.bitrateOverhead ?? 0) - (best.bitrateOverhead ?? 0), 1)} ${ (ten.bitrateOverhead ?? 0) >= (best.bitrateOverhead ?? 0) ? 'larger' : 'smaller'}.`);
  } else if (ten) {
    sentences.push('10 s is the measured best here.');
  }
  sentences.push(`Short segments cost: at ${shortest.segmentSeconds} s there are ${shortest.chunks} chunks, each paying an ffmpeg start-up and a keyframe${shortest.leadInShare ? `, with ${pct(shortest.leadInShare, 0)} more frames decoded only to reach cuts that fall between the source's keyframes` : ''}, and the output is ${pct(shortest.bitrateOverhead ?? 0, 1)} larger than one ffmpeg's — the wall time is ${s(shortest.wall.value)}.`);
  const workers = summary.configs.find((c) => c.sweeps.includes('segments') && c.config.mode === 'chunked')?.config.workers ?? summary.cores;
  const uneven = rows.filter((r) => r.chunks % workers !== 0 && r.chunks < 4 * workers);
  const longRow = [...rows].reverse()[0];
  if (uneven.length) {
    const u = uneven[uneven.length - 1] as SegmentRow;
    sentences.push(`Long segments can cost too: at ${u.segmentSeconds} s there are ${u.chunks} chunks for ${workers} workers, so in the last round a worker idles (load imbalance) — ${s(u.wall.value)}.`);
  } else if (longRow) {
    sentences.push(`At ${longRow.segmentSeconds} s the ${longRow.chunks} chunk(s) split evenly over ${workers} workers, so long segments cost nothing here; with a video whose length is not a multiple of segment × workers, the last round would leave a worker idle.`);
  }
  return { rows, sentences };
}

function comparisons(summary: Summary): ReportModel['comparisons'] {
  const out: ReportModel['comparisons'] = [];
  for (const dimension of ['preset', 'filter'] as const) {
    const sweepName = dimension === 'preset' ? 'presets' : 'filters';
    const inSweep = summary.configs.filter((c) => c.sweeps.includes(sweepName));
    if (!inSweep.length) continue;
    const values = [...new Set(inSweep.map((c) => c.config[dimension]))];
    const find = (mode: string, value: string) => summary.configs.find((c) => c.config.mode === mode && c.config[dimension] === value && (mode !== 'chunked' || c.sweeps.includes(sweepName)));
    const rows = values.map((value) => {
      const chunked = find('chunked', value);
      return {
        value,
        chunked: chunked ? measured(chunked) : null,
        single: (() => { const c = find('single', value); return c ? measured(c) : null; })(),
        singleMt: (() => { const c = find('single-mt', value); return c ? measured(c) : null; })(),
        speedup: chunked?.speedup.single ?? null,
        vsMt: chunked?.speedup['single-mt'] ?? null,
      };
    });
    const withSpeedup = rows.filter((r) => r.speedup);
    const sentences: string[] = [];
    if (withSpeedup.length >= 2) {
      const sorted = [...withSpeedup].sort((a, b) => (a.speedup?.point ?? 0) - (b.speedup?.point ?? 0));
      const lo = sorted[0];
      const hi = sorted[sorted.length - 1];
      if (lo?.speedup && hi?.speedup && lo.single && hi.single) {
        const heavierGainsMore = hi.single.value > lo.single.value;
        sentences.push(`Speedup over single ranges from ${x(lo.speedup)} (${dimension} ${lo.value}; single takes ${s(lo.single.value)}) to ${x(hi.speedup)} (${dimension} ${hi.value}; single takes ${s(hi.single.value)}). ${heavierGainsMore ? `The ${dimension} with more work per frame gains more: the fixed per-chunk and serial costs weigh less against it.` : `Here the ${dimension} with less work per frame gains more, against the usual expectation; the difference ${hi.speedup.lo <= lo.speedup.hi ? 'is within the overlap of the intervals' : 'is larger than the intervals'}.`}`);
        const nominal = dimension === 'preset' && lo.value !== hi.value && ['ultrafast', 'superfast'].includes(hi.value) && heavierGainsMore;
        if (nominal) sentences.push(`Note: ${hi.value} is nominally the lighter preset, but on this noisy content it is the slower one: single takes ${s(hi.single.value)} with it vs ${s(lo.single.value)} with ${lo.value}.`);
      }
    }
    const vsMt = rows.filter((r) => r.vsMt);
    if (vsMt.length) {
      const faster = vsMt.filter((r) => (r.vsMt?.lo ?? 0) > 1).map((r) => r.value);
      const slower = vsMt.filter((r) => (r.vsMt?.hi ?? 2) < 1).map((r) => r.value);
      sentences.push(`Against single-mt (one ffmpeg using every core): ${vsMt.map((r) => `${r.value} ${x(r.vsMt as RatioEstimate)}`).join('; ')}. ${faster.length ? `Chunked is clearly faster for ${faster.join(', ')}` : 'Chunked is not clearly faster for any'}${slower.length ? `, clearly slower for ${slower.join(', ')}` : ''}.`);
    }
    out.push({ dimension, rows, sentences });
  }
  return out;
}

function bottleneck(summary: Summary): ReportModel['bottleneck'] {
  const utilisation = summary.configs.filter((c) => c.cpuUtilisation).map((c) => ({ key: c.configId, label: c.label, value: c.cpuUtilisation?.mean ?? 0, lo: c.cpuUtilisation?.ci95.lo ?? 0, hi: c.cpuUtilisation?.ci95.hi ?? 0 }));
  const throughput = summary.configs
    .filter((c) => c.phasesMs && (c.config.mode === 'chunked' || c.config.mode === 'sequential') && c.outputBytes)
    .map((c) => ({ label: c.label, splitMBps: c.config.split === 'copy' && c.phasesMs && c.phasesMs.split > 0 ? (c.outputBytes ?? 0) / 1e6 / (c.phasesMs.split / 1000) : null, mergeMBps: c.phasesMs && c.phasesMs.merge > 0 ? (c.outputBytes ?? 0) / 1e6 / (c.phasesMs.merge / 1000) : null }));
  const storage = summary.configs.filter((c) => c.sweeps.includes('storage') && c.wallMs).map((c) => ({ label: `${c.config.workDir} (${c.config.split} split)`, wall: measured(c) as Measured }));
  const sentences: string[] = [];
  const chunked = utilisation.filter((u) => summary.configs.find((c) => c.configId === u.key)?.config.mode === 'chunked');
  if (chunked.length) {
    const top = [...chunked].sort((a, b) => b.value - a.value)[0];
    if (top) sentences.push(`CPU: the busiest chunked configuration keeps ${pct(top.value)} of the ${summary.cores} cores busy with ffmpeg (${top.label}); the pipeline is CPU-bound where this is near 100%.`);
  }
  if (storage.length === 2) {
    const [a, b] = storage as [{ label: string; wall: Measured }, { label: string; wall: Measured }];
    const diff = b.wall.value / a.wall.value - 1;
    const overlap = a.wall.lo <= b.wall.hi && b.wall.lo <= a.wall.hi;
    sentences.push(`Disk vs tmpfs: ${a.label} ${s(a.wall.value)} vs ${b.label} ${s(b.wall.value)} (${diff >= 0 ? '+' : ''}${pct(diff, 1)})${overlap ? ' — the intervals overlap: on this machine disk I/O does not measurably dominate; encoding does' : ' — a measurable difference'}.`);
  }
  return { utilisation, throughput, storage, sentences };
}

/** What the outlier flags say, and where they were not looked for (describe.ts: too few runs for the rule). */
function outlierClause(rows: readonly { outliers: number | null }[]): string {
  const applied = rows.filter((r) => r.outliers !== null);
  const why = `with fewer than ${OUTLIER_MIN_N} runs the modified z-score flags normal data far too often (at 5 runs, a run in a fifth of configurations)`;
  if (!applied.length) return `outliers are not flagged: ${why}`;
  const flagged = applied.reduce((sum, r) => sum + (r.outliers ?? 0), 0);
  const skipped = rows.length - applied.length;
  return `${flagged} outlier run(s) flagged by modified z-score in the ${applied.length} configuration(s) with at least ${OUTLIER_MIN_N} runs (kept in every statistic; about one configuration in ten of normal data gets a flag too)${skipped ? `; not looked for in the other ${skipped}: ${why}` : ''}`;
}

function noise(meta: RunMeta, summary: Summary): ReportModel['noise'] {
  const rows = summary.configs.filter((c) => c.wallMs).map((c) => ({ label: c.label, cv: c.wallMs?.cv ?? 0, n: c.wallMs?.n ?? 0, outliers: c.wallMs?.outlierRule.startsWith('not applied') ? null : (c.wallMs?.outliers.length ?? 0), warn: (c.wallMs?.cv ?? 0) > 0.1 }));
  const noisy = rows.filter((r) => r.warn);
  // the median proper: with an even count, the mean of the two middle values (not the upper one)
  const medianCv = rows.length ? median(rows.map((r) => r.cv)) : 0;
  const sentences = [`Median coefficient of variation ${pct(medianCv, 1)} across ${rows.length} configurations; ${outlierClause(rows)}.`];
  if (noisy.length) sentences.push(`Warning: ${noisy.length} configuration(s) vary by more than 10% (CV): ${noisy.map((r) => `${r.label} ${pct(r.cv, 1)}`).join('; ')}. Treat their numbers with care.`);
  return { rows, order: `Runs were interleaved: every round runs every configuration once in an order shuffled with seed ${meta.seed}, after ${meta.grid.warmup} warmup round(s).`, sentences };
}

/** Builds the whole report model. */
export function buildReport(meta: RunMeta, results: ResultLine[], summary: Summary, cluster: Projection | null = null): ReportModel {
  const measuredRuns = results.filter((l) => !l.warmup);
  const verifiedOk = measuredRuns.filter((l) => l.record?.verification?.ok).length;
  const failures = summary.configs.flatMap((c) => c.failures.map((f) => ({ label: c.label, round: f.round, error: f.error })));
  const scale = scaling(summary, results);
  const ph = phases(summary);
  const h = summary.headline;
  const ceilings = ceilingSection(summary);
  const projection: ReportModel['projection'] = [];
  if (scale?.amdahl) for (const n of [1, 2, 4, 8, 16, 32, 64, 128]) projection.push({ workers: n, model: 'Amdahl', speedup: amdahlSpeedup(scale.amdahl.serialFraction, n) });
  if (scale?.usl && !scale.uslAcrossCores) for (const n of [1, 2, 4, 8, 16, 32, 64, 128]) projection.push({ workers: n, model: 'USL', speedup: uslCapacity(scale.usl.sigma, scale.usl.kappa, n) });
  return {
    title: `chunkbench report — ${meta.grid.name}`,
    runId: meta.runId,
    generatedFrom: `reports/${meta.runId}/results.jsonl (${results.length} lines)`,
    machine: {
      cores: meta.machine.cores,
      cpu: meta.machine.cpuModel,
      memoryGb: Math.round(meta.machine.memoryBytes / 2 ** 30),
      os: meta.machine.os,
      node: meta.machine.node,
      ffmpeg: meta.binaries.ffmpeg.version,
      commit: meta.commit,
      date: meta.startedAt.slice(0, 10),
    },
    grid: { name: meta.grid.name, description: meta.grid.description, seed: meta.seed, repeats: meta.grid.repeats, warmup: meta.grid.warmup, configs: meta.configs.length, runs: measuredRuns.length, failed: summary.failedRuns },
    headline: h
      ? {
          table: [
            { role: 'Sequential (one ffmpeg, same thread limit)', label: h.before.label, wall: `${s(h.before.wallMs.mean)} [${s(h.before.wallMs.ci95.lo)}, ${s(h.before.wallMs.ci95.hi)}]` },
            { role: 'Parallel (chunked)', label: h.after.label, wall: `${s(h.after.wallMs.mean)} [${s(h.after.wallMs.ci95.lo)}, ${s(h.after.wallMs.ci95.hi)}]` },
          ],
          sentences: [
            `Chunked processing is ${h.speedup.lo > 1 ? '' : 'not clearly '}faster than sequential on this machine's ${h.cores} cores: ${x(h.speedup)} (95% CI, paired over ${h.speedup.n} rounds), ${s(h.before.wallMs.mean)} → ${s(h.after.wallMs.mean)} on ${basename(meta.configs.find((c) => c.id === h.after.configId)?.input ?? '')}, for the grid's centre configuration (declared in the grid before any run).`,
            ...(ceilings?.headline ?? []),
          ],
        }
      : null,
    ceiling: ceilings,
    scaling: scale,
    phases: ph.rows,
    phaseTotals: summary.configs.filter((c) => c.wallMs && c.phasesMs).map((c) => ({ label: c.label, value: (c.wallMs?.mean ?? 0) / 1000, lo: (c.wallMs?.ci95.lo ?? 0) / 1000, hi: (c.wallMs?.ci95.hi ?? 0) / 1000 })),
    phaseSentences: ph.sentences,
    timelines: timelines(results, summary),
    segments: segmentsSection(summary),
    comparisons: comparisons(summary),
    bottleneck: bottleneck(summary),
    noise: noise(meta, summary),
    verification: {
      total: measuredRuns.length,
      ok: verifiedOk,
      failed: measuredRuns.filter((l) => l.record && !l.record.verification?.ok).map((l) => ({ label: l.label, error: l.error ?? 'verification failed' })),
      sentence: `${verifiedOk} of ${measuredRuns.length} measured outputs passed verification (decoded frame count equal to the source's, video within one frame, audio within 50 ms, same streams).`,
    },
    failures,
    faults: faultsSection(results, summary),
    queue: queueSection(results, summary),
    cluster: cluster ? { projection: cluster, sentences: clusterSentences(cluster), validation: projectionValidationRows(cluster) } : null,
    projection,
    projectionSentences: scale?.amdahl
      ? [`A model, not a measurement: with the fitted serial fraction, Amdahl's law predicts ${amdahlSpeedup(scale.amdahl.serialFraction, 16).toFixed(1)}× on 16 workers and at most ${Number.isFinite(scale.amdahl.ceiling) ? `${scale.amdahl.ceiling.toFixed(1)}×` : 'unbounded'} on any number${scale.usl && !scale.uslAcrossCores ? `; the USL predicts ${uslCapacity(scale.usl.sigma, scale.usl.kappa, 16).toFixed(1)}× on 16` : ''}. Past one machine, transfer and queue costs come on top (see the limitations).`]
      : [],
  };
}
