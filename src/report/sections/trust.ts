// "How far to trust these numbers": how the runs were ordered, how much they varied (coefficient of
// variation, with a warning above 10%), outliers where the rule applies (modified z-score, Iglewicz &
// Hoaglin, only with enough runs: stats/describe.ts), every output's verification, every failed run with
// its reason, and the interval method behind every number on the page.
import { median } from 'simple-statistics';
import { describe, OUTLIER_MIN_N } from '../../stats/describe.ts';
import { METHOD_SENTENCE } from '../ceiling.ts';
import { base, centreAxis, centreRowIf, rowPlotWidth } from '../charts.ts';
import { list, plural, share } from '../format.ts';
import { finding, note, warn, type ChartSpec, type ReportContext, type Section, type Sentence } from '../section.ts';

/** The coefficient of variation of a configuration's successful measured wall times, from the stored runs (a
 * configuration with fewer rounds than the grid has no wall-time summary), as the summary computes it
 * (stats/describe.ts); null under two runs. */
function cvOf(ctx: ReportContext, configId: string): number | null {
  const walls = ctx.results.filter((l) => l.configId === configId && !l.warmup && l.state === 'ok').map((l) => l.wallMs);
  if (walls.length < 2) return null;
  return describe(walls).cv;
}
const cvWords = (ctx: ReportContext, configId: string) => {
  const cv = cvOf(ctx, configId);
  return cv === null ? 'an unknown amount (under 2 runs)' : share(cv, 1);
};

export function trustSection(ctx: ReportContext): Section {
  const rows = ctx.summary.configs.filter((c) => c.wallMs).map((c) => ({
    label: ctx.label(c.configId),
    cv: c.wallMs?.cv ?? 0,
    n: c.wallMs?.n ?? 0,
    outliers: c.wallMs?.outlierRule.startsWith('not applied') ? null : (c.wallMs?.outliers.length ?? 0),
    warn: (c.wallMs?.cv ?? 0) > 0.1,
  }));
  const sentences: Sentence[] = [note(METHOD_SENTENCE)];
  sentences.push(note(`Runs were interleaved: every round runs every configuration once, in an order shuffled with seed ${ctx.meta.seed}, after ${plural(ctx.meta.grid.warmup, 'warmup round')} that ${ctx.meta.grid.warmup === 1 ? 'is' : 'are'} not counted.`));
  if (rows.length) {
    const applied = rows.filter((r) => r.outliers !== null);
    const flagged = applied.reduce((s, r) => s + (r.outliers ?? 0), 0);
    const outliers = applied.length
      ? `${plural(flagged, 'unusually slow or fast run')} flagged in the ${plural(applied.length, 'configuration')} with at least ${OUTLIER_MIN_N} runs, kept in every statistic.`
      : `Unusual runs are not flagged: with fewer than ${OUTLIER_MIN_N} runs per configuration the outlier rule (a modified z-score above 3.5) flags normal data far too often.`;
    sentences.push(finding(`Run-to-run variation: the median coefficient of variation (standard deviation ÷ mean) is ${share(median(rows.map((r) => r.cv)), 1)} over ${rows.length} configurations. ${outliers}`));
  }
  // fewer rounds than the grid's: two for a CRF point's bits; three or more for the model's check (a second
  // video length, which validate.ts predicts held out)
  const qualityOnly = ctx.meta.configs.filter((c) => c.rounds !== undefined && c.rounds < 3);
  const modelOnly = ctx.meta.configs.filter((c) => c.rounds !== undefined && c.rounds >= 3);
  if (qualityOnly.length) sentences.push(note(`${plural(qualityOnly.length, 'configuration')} ran ${[...new Set(qualityOnly.map((c) => c.rounds))].join(' or ')} rounds instead of ${ctx.meta.grid.repeats}, for their output's quality (the CRF points of the rate–quality curves): their bits are in the compression figures, their timing is left out of every comparison on this page.`));
  if (modelOnly.length) sentences.push(note(`${list(modelOnly.map((c) => ctx.label(c.id)))} ran ${[...new Set(modelOnly.map((c) => c.rounds))].join(' or ')} rounds instead of ${ctx.meta.grid.repeats}, for the simulation's check on another video length (${list(modelOnly.map((c) => `${ctx.label(c.id)} varied by ${cvWords(ctx, c.id)} from run to run`))}${modelOnly.some((c) => (cvOf(ctx, c.id) ?? 0) > 0.1) ? ', above the 10% line' : ''}): ${modelOnly.length === 1 ? 'its' : 'their'} timing is compared only with the model's predictions (the scaling projection's validation table: in-sample from a fit that includes ${modelOnly.length === 1 ? 'it' : 'them'}, held out from the fit without ${modelOnly.length === 1 ? 'it' : 'them'}), not with the other configurations.`));
  const noisy = rows.filter((r) => r.warn);
  if (noisy.length) sentences.push(warn(`${plural(noisy.length, 'configuration')} ${noisy.length === 1 ? 'varies' : 'vary'} by more than 10%: ${list(noisy.map((r) => `${r.label} (${share(r.cv, 1)})`))}. Treat their numbers with care.`));
  const measured = ctx.results.filter((l) => !l.warmup);
  const ok = measured.filter((l) => l.record?.verification?.ok).length;
  sentences.push(ok === measured.length ? finding(`All ${measured.length} measured outputs passed verification (decoded frame count equal to the source's, video within one frame, audio within 50 ms, same streams).`) : warn(`${ok} of ${measured.length} measured outputs passed verification (frame count, durations, streams).`));
  const failures = ctx.summary.configs.flatMap((c) => c.failures.map((f) => ({ label: ctx.label(c.configId), round: f.round, error: f.error })));
  const max = Math.max(0.12, ...rows.map((r) => r.cv)) * 1.08;
  const y = { field: 'label', type: 'nominal', sort: null, title: null, axis: centreAxis };
  const x = (field: string) => ({ field, type: 'quantitative', scale: { domain: [0, max], nice: false } });
  const warnColour = { field: 'warn', type: 'nominal', scale: { domain: [false, true], range: ['#4c78a8', '#e45756'] }, legend: null };
  const chart: ChartSpec | null = rows.length ? {
    name: 'noise',
    title: `Run-to-run variation of each configuration's wall time (coefficient of variation); red above the 10% line${rows.some((r) => r.label === 'centre') ? "; the centre's row is shaded, its label orange" : ''}.`,
    spec: {
      ...base('Variation by configuration', Math.max(80, 26 * rows.length)),
      width: rowPlotWidth(rows.map((r) => r.label)),
      layer: [
        ...centreRowIf(y, rows.map((r) => r.label)),
        { data: { values: rows }, mark: { type: 'bar', height: { band: 0.7 } }, encoding: { y, x: { ...x('cv'), title: 'coefficient of variation', axis: { format: '%', tickCount: 6 } }, color: warnColour } },
        { data: { values: [{ t: 0.1 }] }, mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] }, encoding: { x: x('t') } },
      ],
    },
  } : null;
  return {
    id: 'trust',
    title: 'How far to trust these numbers',
    sentences,
    tables: failures.length ? [{ caption: 'Failed runs, counted and listed with their reasons.', head: ['configuration', 'round', 'reason'], rows: failures.map((f) => ({ cells: [f.label, String(f.round), f.error] })) }] : [],
    charts: chart ? [chart] : [],
  };
}
