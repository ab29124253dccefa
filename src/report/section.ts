// What a report section is: one module per section returns `{ sentences, tables, charts }` (and the
// one-sentence answer it gives the summary) from the run's context; the template iterates over sections
// and over each section's charts, so a chart is named by a typed union and an unknown name is a type error,
// not an empty box.
import type { ResultLine, RunMeta } from '../harness/store.ts';
import type { Projection } from '../simulate/index.ts';
import type { ConfigSummary, Summary } from '../summary/summarize.ts';

/** Every chart the report can draw. */
export type ChartName =
  | 'speedup'
  | 'karp-flatt'
  | 'phases'
  | 'timelines'
  | 'cpu-utilisation'
  | 'segments-wall'
  | 'segments-cost'
  | 'compression-cost'
  | 'rate-quality'
  | 'quality-timeline'
  | 'segment-map'
  | 'presets'
  | 'filters'
  | 'content'
  | 'faults'
  | 'stragglers'
  | 'queue'
  | 'cluster-projection'
  | 'noise';

/** A named chart: its Vega-Lite spec (saved as charts/<name>.vl.json for slides) and its caption. */
export interface ChartSpec {
  name: ChartName;
  title: string;
  spec: Record<string, unknown>;
}

/** A table: header cells and rows of text cells; `centre` rows are highlighted. */
export interface Table {
  caption?: string;
  /** Reference detail rather than an answer: rendered folded, its caption as the summary. */
  collapsed?: boolean;
  head: string[];
  rows: { cells: string[]; centre?: boolean }[];
}

/** A sentence of the page: a measured finding, a warning, a model's output, or a plain note. */
export interface Sentence {
  kind: 'finding' | 'warn' | 'model' | 'note';
  text: string;
}

/** The questions the summary answers, in its order. */
export type Question = 'faster' | 'bottleneck' | 'segments' | 'faults' | 'scale' | 'distributed';

export type SectionId = 'faster' | 'scaling' | 'bottleneck' | 'segments' | 'work' | 'content' | 'faults' | 'queue' | 'projection' | 'trust';

export interface Section {
  id: SectionId;
  title: string;
  /** True when the section shows a model's output rather than measurements. */
  model?: boolean;
  /** The one-sentence answer this section gives the summary. */
  answers?: { question: Question; text: string };
  sentences: Sentence[];
  tables: Table[];
  charts: ChartSpec[];
  /** A collapsed list (the simulation's assumptions). */
  details?: { summary: string; items: string[] };
}

/** What every section is computed from: the stored run and its summary, and labels relative to the centre. */
export interface ReportContext {
  meta: RunMeta;
  results: ResultLine[];
  summary: Summary;
  centre: ConfigSummary | null;
  cores: number;
  /** The short label of a configuration ("centre", "4 workers", "single"). */
  label: (configId: string) => string;
  cluster: Projection | null;
}

export const finding = (text: string): Sentence => ({ kind: 'finding', text });
export const warn = (text: string): Sentence => ({ kind: 'warn', text });
export const model = (text: string): Sentence => ({ kind: 'model', text });
export const note = (text: string): Sentence => ({ kind: 'note', text });
