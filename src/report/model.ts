// The report's content as data: a pure function of the stored run (meta.json, results.jsonl), its summary
// and the cluster projection. The page leads with one headline declared in advance — the grid's centre
// against single and single-mt — and the answers to the questions a judge asks, each one sentence with its
// number and a link to its section; then the sections, each one module (./sections/) returning its
// sentences, tables and charts. A question the run cannot answer says which grid does; a run without a
// headline leads with the answer its grid was made for, and one line on which grid gives the headline.
import { median } from 'simple-statistics';
import type { ResultLine, RunMeta } from '../harness/store.ts';
import type { Projection } from '../simulate/index.ts';
import type { Summary } from '../summary/summarize.ts';
import { labelReference, reportContext } from './context.ts';
import { secondsCi, timesCi, verdict } from './format.ts';
import { centreLegend, inputWords } from './labels.ts';
import { readManifest } from '../fixtures/manifest.ts';
import { queueSection, type QueueSection } from './queue.ts';
import type { ChartSpec, Question, Section, Table } from './section.ts';
import { bottleneckSection } from './sections/bottleneck.ts';
import { fasterSection, vsSingleMtClause } from './sections/faster.ts';
import { faultsReportSection } from './sections/faults.ts';
import { projectionSection } from './sections/projection.ts';
import { queueReportSection } from './sections/queue.ts';
import { AMDAHL_MIN_COUNTS, scalingFacts, scalingSection, USL_MIN_COUNTS_ABOVE_ONE } from './sections/scaling.ts';
import { segmentsSection } from './sections/segments.ts';
import { trustSection } from './sections/trust.ts';
import { workSection } from './sections/work.ts';
import { contentSection } from './sections/content.ts';

export { leadInClause } from './sections/bottleneck.ts';

/** One line of the summary: a question, its one-sentence answer, and where the evidence is. */
export interface Answer {
  question: Question;
  ask: string;
  text: string;
  /** The section's anchor, or null when this run cannot answer. */
  href: string | null;
}

export interface ReportModel {
  title: string;
  runId: string;
  generatedFrom: string;
  machine: { cores: number; cpu: string; memoryGb: number; os: string; node: string; ffmpeg: string; commit: string | null; date: string };
  grid: { name: string; description: string; seed: number; repeats: number; warmup: number; configs: number; runs: number; failed: number; rounds: string };
  /** The configuration the headline is about, spelled out once; every short label is relative to it. */
  centre: { legend: string; measured: boolean } | null;
  /** The one headline: the centre against single and single-mt. */
  headline: {
    speedup: string;
    /** How the page words the speedup over single: stated as faster only where its interval excludes 1×. */
    single: { lead: string; verdict: string };
    /** The clause about single-mt, with its verdict ("1.12× [0.99, 1.27], not clearly faster (…)"). */
    vsSingleMt: string | null;
    /** The same comparison split for the headline, which gives it the same weight as the first. */
    singleMt: { value: string; verdict: string } | null;
    threads: string;
    before: string;
    after: string;
  } | null;
  /** For a run without a headline: the answer this grid does give, to lead the page with, and where the
   * headline comes from; null when the run has a headline. */
  lead: { answer: Answer | null; headlineFrom: string } | null;
  answers: Answer[];
  sections: Section[];
  /** What the page cannot show, each rule stated as the code applies it. */
  limitations: string[];
  links: { href: string; text: string }[];
  glossary: { term: string; meaning: string }[];
  /** One line above the headline when the machine was busy during the run (disturbedWords), else null. */
  disturbed: string | null;
  /** The queue study's data (also a section), for callers that check it directly. */
  queue: QueueSection | null;
}

const QUESTIONS: Record<Question, { ask: string; grid: string; missing: string }> = {
  faster: { ask: 'Is it faster?', grid: 'default', missing: 'this run has no single baseline for its centre' },
  bottleneck: { ask: 'The bottleneck?', grid: 'default', missing: 'this run has no phase timings for its centre' },
  segments: { ask: 'Why this segment length?', grid: 'segments', missing: 'this run compares no segment lengths against a centre' },
  faults: { ask: 'If a worker fails?', grid: 'faults', missing: 'this run injects no faults' },
  scale: { ask: 'How would it scale?', grid: 'default', missing: 'this run has no worker sweep and no cluster projection' },
  distributed: { ask: 'Really distributed?', grid: 'queue', missing: 'this run does not use the task queue' },
};

export const GLOSSARY: { term: string; meaning: string }[] = [
  { term: 'centre', meaning: "The configuration the team ships, declared in the grid (its fixed settings) before any run. The headline is about it; every other configuration is compared with it." },
  { term: 'single', meaning: "One ffmpeg encodes the whole video with the same thread limit as each chunk worker: the headline's baseline." },
  { term: 'single-mt', meaning: "One ffmpeg encodes the whole video using every core with its own threading: the honest competitor." },
  { term: 'sequential', meaning: "The centre's chunks, encoded one after another by one worker." },
  { term: 'wave', meaning: 'One chunk per worker, all at once: N chunks on W workers take ⌈N / W⌉ waves, and a last wave with fewer chunks than workers leaves workers idle.' },
  { term: 'held out', meaning: "A configuration left out of the model's fit and then predicted by it: a test of the model on a point it never saw, unlike the in-sample error of the points it was fitted to." },
  { term: 'vs centre', meaning: "A configuration's wall time ÷ the centre's, paired by round: below 1× it is faster than the centre, above 1× slower." },
  { term: 'speedup', meaning: 'Baseline wall time ÷ configuration wall time. Runs were interleaved in rounds; a speedup is the geometric mean of the per-round ratios.' },
  { term: '[lo, hi]', meaning: 'The 95% confidence interval. A difference is claimed only when the interval of the ratio excludes 1×.' },
  { term: 'paired by round', meaning: 'Each round ran every configuration once, so ratios are taken within a round: drift of the machine hits both sides and cancels.' },
  { term: 'efficiency', meaning: 'Speedup ÷ workers: the share of one ffmpeg\'s pace that each worker keeps.' },
  { term: 'Amdahl\'s law', meaning: `A model, S(N) = 1 / (f + (1 − f)/N), with f the serial fraction; its limit on any number of workers is 1/f (not the machine's measured ceiling). Fitted only with at least ${AMDAHL_MIN_COUNTS} distinct worker counts within the cores (single counts as 1): more points than its 2 parameters.` },
  { term: 'Universal Scalability Law', meaning: 'A model with contention σ and crosstalk κ: C(N) = N / (1 + σ(N − 1) + κN(N − 1)).' },
  { term: 'Karp–Flatt', meaning: 'The serial fraction implied by one measured speedup: e = (1/S − 1/N)/(1 − 1/N). Rising with N means overhead grows with parallelism.' },
  { term: 'coefficient of variation (CV)', meaning: 'Standard deviation ÷ mean: of a configuration\'s wall times, or of chunk times around the cost model\'s line.' },
  { term: 'R²', meaning: 'How well a fitted line explains the measured points: 1 is a perfect fit, 0 no better than their average (the coefficient of determination).' },
  { term: 'ceiling', meaning: 'Of the machine, measured: N copies of one chunk\'s ffmpeg run at once against one alone, measured in the same rounds: what this machine allows at N. One short measurement per round, it is noisy, not a strict bound: a share of it whose interval reaches past 100% is within the noise of it, not beyond it.' },
  { term: 'SIGKILL', meaning: 'The signal that ends a process outright, with no chance to clean up: to the coordinator, a crashed worker. Injected faults send it to a chunk\'s ffmpeg at a random point of its run.' },
  { term: 'straggler, backup', meaning: 'A chunk that hangs; a speculative backup starts a second copy of it and keeps whichever finishes first.' },
  { term: 'SSIM, PSNR, dB', meaning: 'Two measures of how close an encoded frame is to the source: SSIM (structural similarity, 1 = identical) and PSNR (peak signal-to-noise ratio). Both are shown in decibels (dB) here, SSIM as −10·log10(1 − SSIM), so that equal steps mean equal ratios.' },
  { term: 'CRF', meaning: "x264's constant rate factor: the quality it aims at (lower is better quality and more bits; 23 is its default). Several CRF points give a rate–quality curve." },
  { term: 'BD-rate', meaning: 'The Bjøntegaard delta rate: the average extra bitrate one encoder needs for the same quality as another, read between their rate–quality curves over the quality range both cover.' },
  { term: 'keyframe, GOP', meaning: 'A keyframe is a frame decodable on its own; a GOP (group of pictures) is a keyframe and the frames that depend on it. A cut in the middle of a GOP (mid-GOP) can only be decoded from the keyframe before it, so those lead-in frames are decoded and thrown away.' },
  { term: 'exact / copy split', meaning: 'Exact: each chunk decodes the source from its frame range. Copy: the source is cut at keyframes without re-encoding.' },
  { term: 'tmpfs', meaning: 'A file system in memory, to tell whether the disk matters.' },
  { term: 'task queue', meaning: 'The chunks as jobs on a queue (BullMQ on a Redis server), taken by worker processes separate from the coordinator, as a cluster would run them.' },
  { term: 'local pool', meaning: 'The coordinator itself starts each chunk\'s ffmpeg, N at a time, on this machine.' },
  { term: 'queue wait', meaning: 'From putting a chunk on the task queue to a worker starting it (enqueue → start).' },
  { term: 'read-ahead', meaning: 'Over HTTP the coordinator sends the source in windows that grow as a read goes on (HTTP range requests); what ffmpeg stopped before consuming was sent but never read, so the bytes sent exceed the bytes ffmpeg read.' },
  { term: 'check before the merge', meaning: 'The coordinator probes each uploaded chunk (ffprobe: frame count, codec) before the merge takes it.' },
];

/** Tables longer than this are folded (their caption as the summary) on screen and in print: reference
 * detail, not an answer, and a page that prints in a few pages. */
export const LONG_TABLE_ROWS = 8;

/** A table folded when it is long; the rows stay, one click away. */
export const foldLong = (t: Table): Table => (t.rows.length > LONG_TABLE_ROWS ? { ...t, collapsed: true } : t);

/** Median coefficient of variation of the wall times at or above which a run reads as disturbed: the quiet
 * default and segments grids of 2026-11-30 measured 9.5% and 6.5%, runs beside other work 24–35%. */
export const DISTURBED_MEDIAN_CV = 0.2;

/** The banner for a run whose wall times varied as only a busy machine makes them vary, or null. */
export function disturbedWords(summary: Summary): string | null {
  const cvs = summary.configs.flatMap((c) => (c.wallMs ? [c.wallMs.cv] : []));
  if (!cvs.length) return null;
  const typical = median(cvs);
  if (typical < DISTURBED_MEDIAN_CV) return null;
  return `A disturbed run: its wall times varied by ${(typical * 100).toFixed(0)}% from run to run (the median coefficient of variation; ${(DISTURBED_MEDIAN_CV * 100).toFixed(0)}% or more means the machine was busy), so its intervals are wide. Rerun it on a quiet machine before quoting it.`;
}

/** The limitations, each rule worded from the constants the code applies. */
export function limitations(cores: number): string[] {
  return [
    `Measured on one shared machine with ${cores} cores; other machines will differ, which is why every figure carries its interval and the machine is named above.`,
    `Anything past the measured worker counts comes from a model, labelled as such, and a model is drawn only where it has more distinct measured points than parameters within the ${cores} cores: Amdahl's law (2 parameters) needs at least ${AMDAHL_MIN_COUNTS} distinct worker counts within the cores, single counting as 1; the Universal Scalability Law (2 parameters) ${USL_MIN_COUNTS_ABOVE_ONE} above 1; runs past the core count fit neither. The cluster simulation is shown only where at least one measured configuration can be left out of its fit and predicted from the rest.`,
    'Speedups compare against one ffmpeg with the same per-process thread limit (single) and against ffmpeg\'s own threading (single-mt).',
  ];
}

/** The committed fixture of that name, or undefined (a user's own file, or no manifest to read). */
function fixtureOf(input: string): { args: string[]; description: string } | undefined {
  try {
    return readManifest().fixtures[input];
  } catch {
    return undefined;
  }
}

/** What leads a page without a headline: the answer of the question this grid was made for (or its first
 * measured answer), and one line on which grid gives the headline. */
export function leadFor(gridName: string, answers: Answer[], centreRun: boolean): ReportModel['lead'] {
  const answered = answers.filter((a) => a.href && a.question !== 'faster');
  const own = answered.find((a) => QUESTIONS[a.question].grid === gridName) ?? answered.find((a) => a.question !== 'scale') ?? answered[0] ?? null;
  const why = centreRun ? 'this grid runs its centre without the one-ffmpeg baselines (single, single-mt)' : 'this grid does not run its centre';
  return { answer: own, headlineFrom: `No headline speedup here: ${why}. The default grid gives it (npx chunkbench experiment --grid default).` };
}

/** Builds the whole report model. */
export function buildReport(meta: RunMeta, results: ResultLine[], summary: Summary, cluster: Projection | null = null): ReportModel {
  const ctx = reportContext(meta, results, summary, cluster);
  const facts = scalingFacts(ctx);
  const queue = queueSection(results, summary);
  const sections = [
    fasterSection(ctx),
    scalingSection(ctx, facts),
    bottleneckSection(ctx),
    segmentsSection(ctx),
    workSection(ctx),
    contentSection(ctx),
    faultsReportSection(ctx),
    queueReportSection(ctx, queue),
    projectionSection(ctx, facts),
    trustSection(ctx),
  ].filter((s): s is Section => s !== null).map((s) => ({ ...s, tables: s.tables.map(foldLong) }));
  const answers = (Object.keys(QUESTIONS) as Question[]).map((question): Answer => {
    const q = QUESTIONS[question];
    const from = sections.find((s) => s.answers?.question === question);
    return from?.answers
      ? { question, ask: q.ask, text: from.answers.text, href: `#${from.id}` }
      : { question, ask: q.ask, text: `Not answered by this run: ${q.missing}; the ${q.grid} grid (npx chunkbench experiment --grid ${q.grid}) answers it.`, href: null };
  });
  const h = summary.headline;
  const measuredRuns = results.filter((l) => !l.warmup);
  return {
    title: `chunkbench report — ${meta.grid.name}`,
    runId: meta.runId,
    // the ceiling's lines are stored in the same file, beside the runs
    generatedFrom: `results.jsonl (${results.length} runs${summary.ceilings.length ? ", besides the machine's ceiling rounds" : ''})`,
    machine: {
      cores: meta.machine.cores,
      cpu: meta.machine.cpuModel,
      memoryGb: Math.round(meta.machine.memoryBytes / 2 ** 30),
      os: meta.machine.os,
      node: meta.machine.node,
      ffmpeg: meta.binaries.ffmpeg.version.split(' ').slice(0, 3).join(' '),
      commit: meta.commit,
      date: meta.startedAt.slice(0, 10),
    },
    grid: { name: meta.grid.name, description: meta.grid.description, seed: meta.seed, repeats: meta.grid.repeats, warmup: meta.grid.warmup, configs: meta.configs.length, runs: measuredRuns.length, failed: summary.failedRuns, rounds: roundsWords(meta) },
    centre: (() => {
      const reference = labelReference(meta, ctx.centre?.config);
      if (!reference) return null;
      const ofInput = new Set(meta.configs.filter((c) => c.input === reference.input).map((c) => c.id));
      const source = results.find((l) => ofInput.has(l.configId) && l.record?.source)?.record?.source ?? undefined;
      const fixture = fixtureOf(reference.input);
      const input = inputWords(source, fixture?.args, fixture?.description);
      return { legend: `${centreLegend(reference)}${input ? ` (${input})` : ''}`, measured: ctx.centre !== null };
    })(),
    headline: h
      ? {
          speedup: timesCi(h.speedup),
          single: { above: { lead: 'faster than', verdict: '' }, below: { lead: 'against', verdict: ': slower' }, unclear: { lead: 'against', verdict: ': not clearly faster (the interval includes 1×)' } }[verdict(h.speedup)],
          vsSingleMt: h.vsSingleMt ? vsSingleMtClause(h.vsSingleMt) : null,
          singleMt: h.vsSingleMt ? { value: timesCi(h.vsSingleMt), verdict: { above: 'faster', below: 'slower', unclear: 'not clearly faster (the interval includes 1×)' }[verdict(h.vsSingleMt)] } : null,
          threads: ctx.centre?.config.threads === 0 ? 'the same threading' : 'the same thread limit',
          before: secondsCi({ point: h.before.wallMs.mean, lo: h.before.wallMs.ci95.lo, hi: h.before.wallMs.ci95.hi }),
          after: secondsCi({ point: h.after.wallMs.mean, lo: h.after.wallMs.ci95.lo, hi: h.after.wallMs.ci95.hi }),
        }
      : null,
    lead: h ? null : leadFor(meta.grid.name, answers, ctx.centre !== null),
    answers,
    sections,
    limitations: limitations(meta.machine.cores),
    links: [
      { href: 'results.jsonl', text: 'results.jsonl (every run)' },
      { href: 'summary.csv', text: 'summary.csv' },
      { href: 'report.json', text: 'report.json (this page as data)' },
      { href: 'charts/', text: 'charts/ (SVG + Vega-Lite specs)' },
    ],
    glossary: GLOSSARY,
    disturbed: disturbedWords(summary),
    queue,
  };
}

/** Every chart of the report, in page order. */
export function reportCharts(model: ReportModel): ChartSpec[] {
  return model.sections.flatMap((s) => s.charts);
}

/** "× 5 rounds", or "16 × 5 rounds, 12 × 2, 1 × 3" where sweeps ran fewer rounds than the grid's. */
export function roundsWords(meta: Pick<RunMeta, 'configs' | 'grid'>): string {
  const counts = new Map<number, number>();
  for (const c of meta.configs) counts.set(c.rounds ?? meta.grid.repeats, (counts.get(c.rounds ?? meta.grid.repeats) ?? 0) + 1);
  if (counts.size === 1) return `× ${meta.grid.repeats} rounds`;
  return `(${[...counts].sort((a, b) => b[0] - a[0]).map(([r, n], i) => `${n} × ${r}${i === 0 ? ' rounds' : ''}`).join(', ')})`;
}
