// "Does heavier work per frame change the gain?": for each preset and filter the grid sweeps, the chunked
// configuration's speedup over the single ffmpeg doing the same work, and over single-mt. Which gains more
// is stated only where the ratio of the two speedups, paired by round, has a 95% interval that excludes
// 1×; otherwise the page says the data do not tell them apart.
import type { ConfigSummary } from '../../summary/summarize.ts';
import { dotPlot, type Dot } from '../charts.ts';
import { ratioOfSpeedups } from '../context.ts';
import { list, timesCi, verdict, wallCi } from '../format.ts';
import { pairedWallRatio } from '../context.ts';
import type { RatioEstimate } from '../../stats/index.ts';
import { finding, note, type ChartSpec, type ReportContext, type Section, type Sentence, type Table } from '../section.ts';

type Dimension = 'preset' | 'filter';
const SWEEP: Record<Dimension, string> = { preset: 'presets', filter: 'filters' };

/** "preset veryfast", "no filter", "denoise filter". */
export const valueName = (dimension: Dimension, value: string): string => (dimension === 'preset' ? `preset ${value}` : value === 'none' ? 'no filter' : `${value} filter`);

interface Row {
  value: string;
  chunked: ConfigSummary;
  single: ConfigSummary | undefined;
  centre: boolean;
}

function rowsOf(ctx: ReportContext, dimension: Dimension): Row[] {
  const chunked = ctx.summary.configs.filter((c) => c.sweeps.includes(SWEEP[dimension]) && c.config.mode === 'chunked' && c.wallMs);
  return chunked.map((c) => ({ value: c.config[dimension], chunked: c, single: ctx.summary.configs.find((s) => s.configId === c.speedup.single?.baselineId), centre: c.configId === ctx.centre?.configId }));
}

/** x264's presets from least to most work per frame (x264 --fullhelp). */
const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow', 'placebo'];

/** Where single's measured time contradicts the presets' documented order at 95% (a lighter preset whose
 * single takes clearly longer), say so: the page reads "work per frame" from single's time, not the name. */
function presetOrderNotes(ctx: ReportContext, rows: Row[]): Sentence[] {
  const out: Sentence[] = [];
  const ranked = rows.filter((r) => r.single && X264_PRESETS.includes(r.value)).sort((a, b) => X264_PRESETS.indexOf(a.value) - X264_PRESETS.indexOf(b.value));
  // one note per lighter preset, naming every heavier one its single was clearly slower than
  for (let i = 0; i < ranked.length; i++) {
    const light = ranked[i] as Row;
    const against = ranked.slice(i + 1).flatMap((heavy) => {
      const r = pairedWallRatio(ctx.results, light.single?.configId ?? '', heavy.single?.configId ?? '');
      return r && verdict(r) === 'above' ? [{ heavy, r }] : [];
    });
    const first = against[0];
    if (!first) continue;
    const heavy = first.heavy;
    const more = against.slice(1).map((a) => `${a.heavy.value}, ${timesCi(a.r)}`);
    const chunked = pairedWallRatio(ctx.results, light.chunked.configId, heavy.chunked.configId);
    const slowerToo = chunked && verdict(chunked) === 'above' ? ` Chunked, ${light.value} also took ${timesCi(chunked)} as long as ${heavy.value}: a larger gain over its own slow single does not make it faster.` : '';
    out.push(note(`Against the presets' names: single on ${valueName('preset', light.value)} took ${timesCi(first.r)} as long as on ${valueName('preset', heavy.value)}${more.length ? ` (and longer than on ${list(more)})` : ''}, each paired by round, although x264 documents ${light.value} as the lighter preset. So "work per frame" below is read from single's measured time, not the preset's name.${slowerToo}`));
  }
  return out;
}

function compare(ctx: ReportContext, dimension: Dimension, rows: Row[]): Sentence[] {
  const sentences: Sentence[] = [];
  const withSpeedup = rows.filter((r) => r.chunked.speedup.single && r.single?.wallMs);
  if (withSpeedup.length < 2) return sentences;
  const centre = withSpeedup.find((r) => r.centre);
  const gains = gainsVsCentre(ctx, withSpeedup).filter((g) => !g.row.centre && g.ratio);
  if (centre && gains.length) {
    const each = gains.map(({ row, ratio }) => `${valueName(dimension, row.value)} ${timesCi(ratio as RatioEstimate)}${verdict(ratio as RatioEstimate) === 'unclear' ? '' : verdict(ratio as RatioEstimate) === 'above' ? ' (gains more)' : ' (gains less)'}`);
    sentences.push(finding(`Each ${dimension}'s gain over the single ffmpeg doing the same work, relative to the centre's gain (${valueName(dimension, centre.value)}), paired by round: ${list(each)}. The centre's own gain is the headline.`));
  }
  if (dimension === 'preset') sentences.push(...presetOrderNotes(ctx, withSpeedup));
  // the most and the least work per frame, by single's wall time
  const byWork = [...withSpeedup].sort((a, b) => (a.single?.wallMs?.mean ?? 0) - (b.single?.wallMs?.mean ?? 0));
  const light = byWork[0] as Row;
  const heavy = byWork.at(-1) as Row;
  const r = ratioOfSpeedups(ctx.results, { id: heavy.chunked.configId, singleId: heavy.single?.configId ?? '' }, { id: light.chunked.configId, singleId: light.single?.configId ?? '' });
  if (r) {
    const v = verdict(r);
    const heavyName = valueName(dimension, heavy.value);
    const lightName = valueName(dimension, light.value);
    sentences.push(v === 'unclear'
      ? note(`Does more work per frame gain more? The data do not say: ${heavyName} (the most work per frame, by single's wall time) gains ${timesCi(r)} as much as ${lightName} (the least), paired by round, and that interval includes 1×.`)
      : finding(`${v === 'above' ? 'The most work per frame gains more' : 'The least work per frame gains more'}: ${heavyName} (the most, by single's wall time) gains ${timesCi(r)} as much as ${lightName} (the least), paired by round${v === 'above' ? ' (a likely reason, not tested here: the fixed per-chunk and one-core costs weigh less against heavier work)' : ', against the usual expectation'}.`));
  }
  const vsMt = rows.filter((x) => x.chunked.speedup['single-mt']);
  if (vsMt.length >= 2) {
    const faster = vsMt.filter((x) => verdict(x.chunked.speedup['single-mt'] as NonNullable<ConfigSummary['speedup']['single-mt']>) === 'above').map((x) => valueName(dimension, x.value));
    sentences.push(finding(`Against one ffmpeg on every core: ${vsMt.map((x) => `${valueName(dimension, x.value)} ${timesCi(x.chunked.speedup['single-mt'] as NonNullable<ConfigSummary['speedup']['single-mt']>)}`).join('; ')}; chunking is clearly faster ${faster.length ? `in ${faster.length} of ${vsMt.length} (${faster.join(', ')}), at 95% each, with no allowance for making ${vsMt.length} comparisons` : `in none of the ${vsMt.length}`}.`));
  }
  return sentences;
}

/** Each value's gain over its own single ÷ the centre's gain over its single, paired by round: the centre is 1×
 * by construction, so no number on this chart reads as a speedup to set beside the headline. */
function gainsVsCentre(ctx: ReportContext, rows: Row[]): { row: Row; ratio: RatioEstimate | null }[] {
  const centre = rows.find((r) => r.centre);
  return rows.map((row) => ({ row, ratio: centre && !row.centre && row.single && centre.single ? ratioOfSpeedups(ctx.results, { id: row.chunked.configId, singleId: row.single.configId }, { id: centre.chunked.configId, singleId: centre.single.configId }) : null }));
}

function chart(ctx: ReportContext, dimension: Dimension, rows: Row[]): ChartSpec | null {
  const centre = rows.find((r) => r.centre);
  if (!centre) return null;
  const dots = gainsVsCentre(ctx, rows).flatMap(({ row, ratio }): Dot[] => (row.centre ? [{ label: valueName(dimension, row.value), value: 1, lo: 1, hi: 1, role: 'centre' as const }] : ratio ? [{ label: valueName(dimension, row.value), value: ratio.point, lo: ratio.lo, hi: ratio.hi, role: 'other' as const }] : []));
  if (dots.length < 2) return null;
  return {
    name: dimension === 'preset' ? 'presets' : 'filters',
    title: `Does the gain change with the ${dimension}? Each ${dimension}'s gain over the single ffmpeg doing the same work, divided by the centre's gain (${valueName(dimension, centre.value)}, orange, 1× by definition), paired by round, mean and 95% CI. Right of the dashed line: gains more than the centre; an interval across it: no difference shown.`,
    spec: dotPlot(`Gain by ${dimension}, relative to the centre's`, dots, "gain ÷ the centre's gain (×)", { reference: 1 }),
  };
}

export function workSection(ctx: ReportContext): Section | null {
  const sentences: Sentence[] = [];
  const charts: ChartSpec[] = [];
  const tables: Table[] = [];
  for (const dimension of ['preset', 'filter'] as const) {
    const rows = rowsOf(ctx, dimension);
    if (rows.length < 2) continue;
    sentences.push(...compare(ctx, dimension, rows));
    const c = chart(ctx, dimension, rows);
    if (c) charts.push(c);
    const gains = gainsVsCentre(ctx, rows);
    tables.push({
      collapsed: true,
      caption: `By ${dimension}: wall times, mean [95% CI]; each ${dimension}'s own speedup over the single ffmpeg running the same ${dimension} (not the headline's baseline), and that gain relative to the centre's, paired by round [95% CI].`,
      head: [dimension, 'chunked', `single, same ${dimension}`, `own speedup (over single, same ${dimension})`, "gain ÷ centre's", 'vs single-mt'],
      rows: rows.map((r, i) => {
        const ratio = (e: RatioEstimate | null | undefined) => (e ? timesCi(e) : '—');
        return { cells: [valueName(dimension, r.value), wallCi(r.chunked.wallMs), wallCi(r.single?.wallMs), ratio(r.chunked.speedup.single), r.centre ? '1× (the centre)' : ratio(gains[i]?.ratio), ratio(r.chunked.speedup['single-mt'])], centre: r.centre };
      }),
    });
  }
  if (!charts.length && !sentences.length) return null;
  return { id: 'work', title: 'Does heavier work per frame change the gain?', sentences, tables, charts };
}
