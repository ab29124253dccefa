// Exports of the summary: CSV for spreadsheets, a Markdown table to paste into slides, and the terminal's
// Before/After lines. Pure string functions of the summary.
import type { RatioEstimate } from '../stats/index.ts';
import type { ConfigSummary, Headline, Summary } from './summarize.ts';

const s = (ms: number | undefined | null, digits = 2) => (ms === undefined || ms === null ? '' : (ms / 1000).toFixed(digits));
const x = (r: RatioEstimate | undefined, digits = 2) => (r ? r.point.toFixed(digits) : '');

const COLUMNS: [string, (c: ConfigSummary) => string | number][] = [
  ['label', (c) => c.label],
  ['mode', (c) => c.config.mode],
  ['workers', (c) => c.config.workers],
  ['segment_s', (c) => c.config.segmentSeconds ?? ''],
  ['split', (c) => c.config.split ?? ''],
  ['preset', (c) => c.config.preset],
  ['filter', (c) => c.config.filter],
  ['threads', (c) => c.config.threads],
  ['work_dir', (c) => c.config.workDir],
  ['n', (c) => c.ok],
  ['failed', (c) => c.failed],
  ['mean_s', (c) => s(c.wallMs?.mean, 3)],
  ['ci95_lo_s', (c) => s(c.wallMs?.ci95.lo, 3)],
  ['ci95_hi_s', (c) => s(c.wallMs?.ci95.hi, 3)],
  ['median_s', (c) => s(c.wallMs?.median, 3)],
  ['sd_s', (c) => s(c.wallMs?.sd, 3)],
  ['cv', (c) => c.wallMs?.cv.toFixed(4) ?? ''],
  ['outliers', (c) => c.wallMs?.outliers.length ?? ''],
  ['speedup_vs_single', (c) => x(c.speedup.single, 3)],
  ['speedup_lo', (c) => (c.speedup.single ? c.speedup.single.lo.toFixed(3) : '')],
  ['speedup_hi', (c) => (c.speedup.single ? c.speedup.single.hi.toFixed(3) : '')],
  ['efficiency', (c) => x(c.efficiency.single, 3)],
  ['speedup_vs_single_mt', (c) => x(c.speedup['single-mt'], 3)],
  ['share_of_ceiling', (c) => x(c.ofCeiling, 3)],
  ['share_of_ceiling_lo', (c) => c.ofCeiling?.lo.toFixed(3) ?? ''],
  ['share_of_ceiling_hi', (c) => c.ofCeiling?.hi.toFixed(3) ?? ''],
  ['ceiling_workers', (c) => c.ofCeiling?.workers ?? ''],
  ['cpu_utilisation', (c) => c.cpuUtilisation?.mean.toFixed(3) ?? ''],
  ['chunks', (c) => c.chunks ?? ''],
  ['output_mb', (c) => (c.outputBytes === null ? '' : (c.outputBytes / 1e6).toFixed(3))],
  // segment_s is the configuration's ('auto' for auto); this is the length auto chose
  ['segment_chosen_s', (c) => (c.segmentChoice ? Number(c.segmentChoice.segmentSeconds.toFixed(3)) : '')],
];

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One row per configuration, with the columns above. */
export function toCsv(summary: Summary): string {
  return [COLUMNS.map(([name]) => name).join(','), ...summary.configs.map((c) => COLUMNS.map(([, get]) => csvCell(get(c))).join(','))].join('\n') + '\n';
}

// one round gives a point and no interval: say so rather than print [x, x] as if it were exact
const interval = (r: RatioEstimate | undefined | null) => (r ? `${r.point.toFixed(2)}× ${r.n < 2 ? '(1 round, no CI)' : `[${r.lo.toFixed(2)}, ${r.hi.toFixed(2)}]`}` : '—');
const percent = (r: RatioEstimate | undefined) => (r ? `${(r.point * 100).toFixed(0)}% ${r.n < 2 ? '(1 round, no CI)' : `[${(r.lo * 100).toFixed(0)}, ${(r.hi * 100).toFixed(0)}]`}` : '—');

/** The machine's ceilings, one line each. */
export function ceilingLines(summary: Summary): string[] {
  return summary.ceilings.map((c) => `  Ceiling     ${interval(c.ceiling)} — ${c.workers} copies of one ${c.chunkSeconds.toFixed(1)} s chunk's ffmpeg at once vs one alone, in the same rounds (n=${c.ceiling.n})`);
}

/** A Markdown table for slides: wall time ± CI, speedups with CIs, CPU utilisation. */
export function toMarkdown(summary: Summary): string {
  const rows = summary.configs.map((c) =>
    `| ${c.label} | ${c.ok}${c.failed ? ` (+${c.failed} failed)` : ''} | ${c.wallMs ? `${s(c.wallMs.mean)} [${s(c.wallMs.ci95.lo)}, ${s(c.wallMs.ci95.hi)}]` : '—'} | ${c.wallMs ? `${(c.wallMs.cv * 100).toFixed(1)}%` : '—'} | ${interval(c.speedup.single)} | ${percent(c.ofCeiling)} | ${interval(c.speedup['single-mt'])} | ${c.cpuUtilisation ? `${(c.cpuUtilisation.mean * 100).toFixed(0)}%` : '—'} |`,
  );
  return [
    `Run ${summary.runId}, ${summary.cores} cores. Wall time in seconds, mean [95% CI]; speedups are geometric means of per-round ratios, [95% paired t interval on the log ratios].`,
    '',
    '| configuration | runs | wall s | CV | speedup vs single | of the ceiling | vs single-mt | CPU busy |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...summary.ceilings.map((c) => `Machine ceiling, ${c.workers}-way: ${interval(c.ceiling)} (${c.workers} copies of one chunk's ffmpeg at once vs one alone, same rounds).`),
    '',
  ].join('\n');
}

/** The Before/After table printed at the end of an experiment. */
export function beforeAfter(headline: Headline | null): string {
  if (!headline) return 'No Before/After: the grid has no `single` baseline matching its centre configuration (`fixed`).\n';
  const line = (name: string, label: string, d: Headline['before']['wallMs']) => `  ${name.padEnd(11)} ${s(d.mean)} s ± ${s((d.ci95.hi - d.ci95.lo) / 2)} s (95% CI, n=${d.n})   ${label}`;
  return [
    `Before/After on this machine's ${headline.cores} cores:`,
    line('Sequential', headline.before.label, headline.before.wallMs),
    line('Parallel', headline.after.label, headline.after.wallMs),
    `  Speedup     ${interval(headline.speedup)}${headline.ofCeiling ? ` = ${percent(headline.ofCeiling)} of ${interval(headline.ofCeiling.ceiling)} (the ${headline.ofCeiling.workers}-way ceiling of the same rounds)${headline.ofCeiling.hi > 1 ? ', within the noise of it: the ceiling is one short measurement per round, not a strict bound' : ''}` : ''}`,
    ...(headline.vsSingleMt ? [`  vs one ffmpeg on all cores (${headline.vsSingleMt.label}): ${interval(headline.vsSingleMt)}`] : []),
    '',
  ].join('\n');
}
