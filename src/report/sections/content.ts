// "Does it hold on camera footage?": the grid's `content` sweep runs the centre, single and single-mt on
// more than one input — the noisy testsrc2 fixtures and the camera-like `natural` one. Content changes what
// one frame costs to encode, and with it how much the fixed per-chunk costs weigh: each input's speedups
// are shown beside its encode cost (ms of one core per frame, from single's ffmpeg CPU) and its bits per
// pixel, and the two inputs' speedups are compared paired by round. A difference is stated only when that
// ratio's 95% interval excludes 1×.
import { basename, extname } from 'node:path';
import type { RatioEstimate } from '../../stats/index.ts';
import { contentCost } from '../../summary/content.ts';
import type { ConfigSummary } from '../../summary/summarize.ts';
import { dotPlot } from '../charts.ts';
import { ratioOfSpeedups } from '../context.ts';
import { list, timesCi, valueCi, verdict } from '../format.ts';
import { finding, note, type ChartSpec, type ReportContext, type Section, type Sentence } from '../section.ts';

interface Row {
  input: string;
  chunked: ConfigSummary;
  single: ConfigSummary | undefined;
  /** ms of one core per frame, mean [95% CI] over single's runs. */
  msPerFrame: { value: number; lo: number; hi: number } | null;
  bitsPerPixel: number | null;
  centre: boolean;
}

const inputName = (path: string): string => basename(path, extname(path));

/** ms of one core per frame and the source's bits per pixel (summary/content.ts), from single's measured runs. */
function contentFacts(ctx: ReportContext, singleId: string | undefined): Pick<Row, 'msPerFrame' | 'bitsPerPixel'> {
  const records = ctx.results.filter((l) => !l.warmup && l.state === 'ok' && l.configId === singleId && l.record).map((l) => l.record as NonNullable<typeof l.record>);
  const cost = contentCost(records);
  return cost ? { msPerFrame: { value: cost.msPerFrame, ...cost.msPerFrameCi }, bitsPerPixel: cost.bitsPerPixel } : { msPerFrame: null, bitsPerPixel: null };
}

function rowsOf(ctx: ReportContext): Row[] {
  const chunked = ctx.summary.configs.filter((c) => c.sweeps.includes('content') && c.config.mode === 'chunked' && c.wallMs);
  return chunked.map((c) => {
    const single = ctx.summary.configs.find((s) => s.configId === c.speedup.single?.baselineId);
    return { input: inputName(c.config.input), chunked: c, single, ...contentFacts(ctx, single?.configId), centre: c.configId === ctx.centre?.configId };
  });
}

export function contentSection(ctx: ReportContext): Section | null {
  const rows = rowsOf(ctx);
  if (rows.length < 2) return null;
  const sentences: Sentence[] = [];
  const ratio = (e: RatioEstimate | undefined) => (e ? timesCi(e) : '—');
  const cost = (r: Row) => (r.msPerFrame === null ? 'encode cost not measured' : `${valueCi(r.msPerFrame, 2, ' ms')} of one core per frame${r.bitsPerPixel === null ? '' : `, ${r.bitsPerPixel.toFixed(3)} bits per pixel`}`);
  sentences.push(finding(`The centre's configuration run on each input, against one ffmpeg with the same thread limit on that input: ${list(rows.map((r) => `${r.input} ${ratio(r.chunked.speedup.single)} (${cost(r)})`))}.`));
  const withMt = rows.filter((r) => r.chunked.speedup['single-mt']);
  if (withMt.length) sentences.push(finding(`Against one ffmpeg on every core: ${list(withMt.map((r) => `${r.input} ${ratio(r.chunked.speedup['single-mt'])}`))}.`));
  const centreRow = rows.find((r) => r.centre) ?? (rows[0] as Row);
  for (const other of rows.filter((r) => r !== centreRow)) {
    const r = ratioOfSpeedups(ctx.results, { id: other.chunked.configId, singleId: other.single?.configId ?? '' }, { id: centreRow.chunked.configId, singleId: centreRow.single?.configId ?? '' });
    if (!r) continue;
    const v = verdict(r);
    sentences.push(v === 'unclear'
      ? note(`On ${other.input} the gain over single is ${timesCi(r)} the gain on ${centreRow.input}, paired by round: the interval includes 1×, so this run does not show the content changing the gain.`)
      : finding(`On ${other.input} the gain over single is ${timesCi(r)} the gain on ${centreRow.input}, paired by round: ${v === 'below' ? 'lighter content gains less, because the fixed per-chunk costs (process start, encoder start-up, the lead-in decode to each cut) weigh more against less work per frame' : 'it gains more here'}.`));
  }
  const dots = rows.filter((r) => r.chunked.speedup.single).map((r) => {
    const s = r.chunked.speedup.single as RatioEstimate;
    return { label: r.input, value: s.point, lo: s.lo, hi: s.hi, role: r.centre ? ('centre' as const) : ('other' as const) };
  });
  const charts: ChartSpec[] = dots.length >= 2 ? [{ name: 'content', title: 'The centre\'s speedup over single on each input: mean and 95% CI, paired by round; the centre\'s input in orange; the dashed line is 1×.', spec: dotPlot('Speedup by content', dots, 'speedup over single (×)', { reference: 1 }) }] : [];
  return {
    id: 'content',
    title: 'Does it hold on camera-like content?',
    sentences,
    tables: [{
      caption: 'By input: encode cost of one frame on one core (single\'s ffmpeg CPU), the source\'s bits per pixel, and the centre\'s speedups paired by round [95% CI].',
      head: ['input', 'ms per frame (1 core)', 'bits per pixel', 'own speedup (over single, same input)', 'own speedup over single-mt'],
      rows: rows.map((r) => ({ cells: [r.input, r.msPerFrame === null ? '—' : valueCi(r.msPerFrame, 2, ''), r.bitsPerPixel === null ? '—' : r.bitsPerPixel.toFixed(3), ratio(r.chunked.speedup.single), ratio(r.chunked.speedup['single-mt'])], centre: r.centre })),
    }],
    charts,
  };
}
