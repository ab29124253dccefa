// The report's content as data: a pure function of the stored run (meta.json, results.jsonl), its summary
// and the cluster projection. The page leads with one headline declared in advance — the grid's centre
// against single and single-mt — and the answers to the questions a judge asks, each one sentence with its
// number and a link to its section; then the sections, each one module (./sections/) returning its
// sentences, tables and charts. A question the run cannot answer says which grid does.
import type { ResultLine, RunMeta } from '../harness/store.ts';
import type { Projection } from '../simulate/index.ts';
import type { Summary } from '../summary/summarize.ts';
import { labelReference, reportContext } from './context.ts';
import { secondsCi, timesCi, verdict } from './format.ts';
import { centreLegend } from './labels.ts';
import { queueSection, type QueueSection } from './queue.ts';
import type { ChartSpec, Question, Section } from './section.ts';
import { bottleneckSection } from './sections/bottleneck.ts';
import { fasterSection, vsSingleMtClause } from './sections/faster.ts';
import { faultsReportSection } from './sections/faults.ts';
import { projectionSection } from './sections/projection.ts';
import { queueReportSection } from './sections/queue.ts';
import { scalingFacts, scalingSection } from './sections/scaling.ts';
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
  grid: { name: string; description: string; seed: number; repeats: number; warmup: number; configs: number; runs: number; failed: number };
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
  answers: Answer[];
  sections: Section[];
  links: { href: string; text: string }[];
  glossary: { term: string; meaning: string }[];
  /** The queue study's data (also a section), for callers that check it directly. */
  queue: QueueSection | null;
}

const QUESTIONS: Record<Question, { ask: string; grid: string; missing: string }> = {
  faster: { ask: 'Is it faster?', grid: 'default', missing: 'this run has no single baseline for its centre' },
  bottleneck: { ask: 'The bottleneck?', grid: 'default', missing: 'this run has no phase timings for its centre' },
  segments: { ask: 'Why this segment length?', grid: 'segments', missing: 'this run does not vary the segment length' },
  faults: { ask: 'If a worker fails?', grid: 'faults', missing: 'this run injects no faults' },
  scale: { ask: 'How would it scale?', grid: 'default', missing: 'this run has no worker sweep and no cluster projection' },
  distributed: { ask: 'Really distributed?', grid: 'queue', missing: 'this run does not use the task queue' },
};

export const GLOSSARY: { term: string; meaning: string }[] = [
  { term: 'centre', meaning: "The configuration the team ships, declared in the grid (its `fixed` settings) before any run. The headline is about it; every other configuration is compared with it." },
  { term: 'single', meaning: "One ffmpeg encodes the whole video with the same thread limit as each chunk worker: the headline's baseline." },
  { term: 'single-mt', meaning: "One ffmpeg encodes the whole video using every core with its own threading: the honest competitor." },
  { term: 'sequential', meaning: "The centre's chunks, encoded one after another by one worker." },
  { term: 'vs centre', meaning: "A configuration's wall time ÷ the centre's, paired by round: below 1× it is faster than the centre, above 1× slower." },
  { term: 'speedup', meaning: 'Baseline wall time ÷ configuration wall time. Runs were interleaved in rounds; a speedup is the geometric mean of the per-round ratios.' },
  { term: '[lo, hi]', meaning: 'The 95% confidence interval. A difference is claimed only when the interval of the ratio excludes 1×.' },
  { term: 'paired by round', meaning: 'Each round ran every configuration once, so ratios are taken within a round: drift of the machine hits both sides and cancels.' },
  { term: 'efficiency', meaning: 'Speedup ÷ workers: the share of one ffmpeg\'s pace that each worker keeps.' },
  { term: 'Amdahl\'s law', meaning: 'A model, S(N) = 1 / (f + (1 − f)/N), with f the serial fraction; its limit on any number of workers is 1/f (not the machine\'s measured ceiling). Fitted only with more worker counts within the cores than its parameters.' },
  { term: 'Universal Scalability Law', meaning: 'A model with contention σ and crosstalk κ: C(N) = N / (1 + σ(N − 1) + κN(N − 1)).' },
  { term: 'Karp–Flatt', meaning: 'The serial fraction implied by one measured speedup: e = (1/S − 1/N)/(1 − 1/N). Rising with N means overhead grows with parallelism.' },
  { term: 'coefficient of variation', meaning: 'Standard deviation ÷ mean of a configuration\'s wall times.' },
  { term: 'ceiling', meaning: 'Of the machine, measured: N copies of one chunk\'s ffmpeg run at once against one alone, measured in the same rounds: what this machine allows at N.' },
  { term: 'straggler, backup', meaning: 'A chunk that hangs; a speculative backup starts a second copy of it and keeps whichever finishes first.' },
  { term: 'exact / copy split', meaning: 'Exact: each chunk decodes the source from its frame range. Copy: the source is cut at keyframes without re-encoding.' },
  { term: 'tmpfs', meaning: 'A file system in memory, to tell whether the disk matters.' },
];

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
  ].filter((s): s is Section => s !== null);
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
    generatedFrom: `results.jsonl (${results.length} lines)`,
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
    grid: { name: meta.grid.name, description: meta.grid.description, seed: meta.seed, repeats: meta.grid.repeats, warmup: meta.grid.warmup, configs: meta.configs.length, runs: measuredRuns.length, failed: summary.failedRuns },
    centre: (() => {
      const reference = labelReference(meta, ctx.centre?.config);
      return reference ? { legend: centreLegend(reference), measured: ctx.centre !== null } : null;
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
    answers,
    sections,
    links: [
      { href: 'results.jsonl', text: 'results.jsonl (every run)' },
      { href: 'summary.csv', text: 'summary.csv' },
      { href: 'report.json', text: 'report.json (this page as data)' },
      { href: 'charts/', text: 'charts/ (SVG + Vega-Lite specs)' },
    ],
    glossary: GLOSSARY,
    queue,
  };
}

/** Every chart of the report, in page order. */
export function reportCharts(model: ReportModel): ChartSpec[] {
  return model.sections.flatMap((s) => s.charts);
}
