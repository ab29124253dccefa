// The other cost of short segments: compression at equal quality. Every chunk starts with a keyframe and a
// cold rate control, so at the same CRF a chunked output spends more bits for the same pictures than one
// ffmpeg does. quality/rateQuality.ts measures it as ExCamera did (NSDI 2017): the extra bitrate at equal
// quality against single (a Bjøntegaard delta rate over the CRF points both measured), per chunk, with a
// Student-t interval over the chunks. This module words it for the segments section: one sentence, one
// folded table, and the clause the first screen uses; a length is said to cost bits only where its
// interval excludes no change. Pure.
import { rateQualityCosts, type RateQualityAnswer, type SegmentCost } from '../../quality/rateQuality.ts';
import type { ResultLine } from '../../harness/store.ts';
import type { RatioEstimate } from '../../stats/index.ts';
import { changeCi, list, verdict } from '../format.ts';
import { base, CENTRE_COLOUR, OTHER_COLOUR, padded, rowPlotWidth, WIDTH } from '../charts.ts';
import { finding, note, type ChartSpec, type Sentence, type Table } from '../section.ts';

export interface CompressionWords {
  sentences: Sentence[];
  table: Table | null;
  /** The shortest measured length and "at equal quality +12.0% [+8.1%, +16.0%] bitrate against one ffmpeg
   * (more bits)", for the first screen; null without a cost to quote. */
  shortest: { segmentSeconds: number; clause: string } | null;
  /** The cost per length with its interval, and the rate–quality curves it is read from. */
  charts: ChartSpec[];
}

/** A length whose SSIM cost was measured. */
type Costed = SegmentCost & { costSsim: RatioEstimate };

const lengthOf = (c: SegmentCost) => `${c.auto ? `auto (${Number(c.segmentSeconds.toFixed(2))} s)` : `${c.segmentSeconds} s`}`;

/** "+12.0% [+8.1%, +16.0%], more bits" — or "not clearly more or fewer" where the interval includes no change. */
function costWords(e: RatioEstimate): string {
  const v = verdict(e);
  return `${changeCi(e)}${v === 'above' ? ', more bits' : v === 'below' ? ', fewer bits' : ', not clearly more or fewer'}`;
}

/** "(on the source's keyframes −13.2% [..], 30 chunks; between them +6.2% [..], 30 chunks)", where both
 * kinds of chunk start were measured; '' otherwise. */
function byStartWords(c: SegmentCost): string {
  if (!c.onKeyframe.costSsim || !c.midGop.costSsim) return '';
  return ` (chunks starting on the source's keyframes ${changeCi(c.onKeyframe.costSsim)}, ${c.onKeyframe.chunks} of them; between them ${changeCi(c.midGop.costSsim)}, ${c.midGop.chunks})`;
}

/** True when chunks starting on the source's keyframes and between them clearly differ (intervals apart). */
const startsDiffer = (c: SegmentCost): boolean => {
  const on = c.onKeyframe.costSsim;
  const mid = c.midGop.costSsim;
  return !!on && !!mid && (on.hi < mid.lo || mid.hi < on.lo);
};

/** The compression cost of each measured length in words, from the stored runs alone. */
export function compressionWords(results: readonly ResultLine[], answer: RateQualityAnswer = rateQualityCosts(results), centreSeconds?: number): CompressionWords {
  const measuredQuality = results.some((l) => l.record?.quality);
  if (!measuredQuality) return { sentences: [], table: null, shortest: null, charts: [] };
  const costs = answer.costs.filter((c): c is Costed => c.split === 'exact' && c.costSsim !== null);
  if (!costs.length) {
    const why = answer.note ?? 'no exact-split length measured its quality at the CRF points single did';
    return { sentences: [note(`Compression at equal quality is not measured here: ${why}.`)], table: null, shortest: null, charts: [] };
  }
  const crfs = `CRF ${answer.crfs[0]}–${answer.crfs.at(-1)}`;
  const costly = costs.filter((c) => verdict(c.costSsim) === 'above');
  const sentences: Sentence[] = [finding(`Compression at equal quality, against one ffmpeg (the extra bitrate at equal SSIM, a Bjøntegaard delta rate over ${crfs}, per chunk with a 95% CI over the chunks): ${costs.map((c) => `${lengthOf(c)} ${costWords(c.costSsim)}${byStartWords(c)}`).join('; ')}.${costly.length ? ` Clearly more bits at 95%: ${list(costly.map(lengthOf))}.` : ' No length clearly costs bits at 95% on average.'}`)];
  // a source that is itself an encode: where the chunk starts decides the sign, so the average is not the answer
  if (costs.some(startsDiffer)) sentences.push(note("Where a chunk starts decides the sign. This source is itself an encode, with keyframes at fixed intervals: a chunk that starts on one of them puts its own keyframe there and re-encodes with fewer bits at equal quality than one ffmpeg, whose keyframes fall elsewhere; a chunk that starts between them pays the cost of an extra keyframe, the cost ExCamera (NSDI 2017) measured at +14% to +33% for 1 s chunks of raw video. The average of a length depends on how it lines up with the source's keyframes; the cost between them is the closer guide for sources without that structure (measured here on this one source)."));
  const shortest = costs[0] as Costed;
  const table: Table = {
    collapsed: true,
    caption: `Extra bitrate at equal quality against one ffmpeg (single) at the same ${crfs}: per chunk, the geometric mean with a 95% CI over the chunks (a length with few chunks has a wide interval: two chunks say little); SSIM in dB (ExCamera's scale) and PSNR; and at equal SSIM again, over the chunks that start on one of the source's keyframes and over those that start between two.`,
    head: ['segment', 'chunks', 'at equal SSIM', 'at equal PSNR', "starting on the source's keyframes", 'starting between them'],
    rows: costs.map((c) => ({
      cells: [
        lengthOf(c),
        String(c.chunks),
        changeCi(c.costSsim),
        c.costPsnr ? changeCi(c.costPsnr) : '—',
        c.onKeyframe.costSsim ? `${changeCi(c.onKeyframe.costSsim)} (${c.onKeyframe.chunks})` : `— (${c.onKeyframe.chunks})`,
        c.midGop.costSsim ? `${changeCi(c.midGop.costSsim)} (${c.midGop.chunks})` : `— (${c.midGop.chunks})`,
      ],
    })),
  };
  const overall = shortest.costSsim;
  const bitsWord = (e: RatioEstimate) => ({ above: 'more bits', below: 'fewer bits', unclear: 'not clearly different' } as const)[verdict(e)];
  const clause = startsDiffer(shortest) && shortest.midGop.costSsim && shortest.onKeyframe.costSsim
    ? `at equal quality ${changeCi(shortest.midGop.costSsim)} bitrate against one ffmpeg where a chunk starts between the source's keyframes (${bitsWord(shortest.midGop.costSsim)}), ${changeCi(shortest.onKeyframe.costSsim)} where it starts on one`
    : `at equal quality ${changeCi(overall)} bitrate against one ffmpeg (${bitsWord(overall)})`;
  return { sentences, table, shortest: { segmentSeconds: shortest.segmentSeconds, clause }, charts: compressionCharts(answer, costs, centreSeconds) };
}

const SINGLE = 'single (one ffmpeg, dashed)';
const ALL = 'all chunks';
const ON = "starting on the source's keyframes";
const BETWEEN = 'starting between them';
const KIND_COLOURS = { [ALL]: '#222', [ON]: OTHER_COLOUR, [BETWEEN]: '#e45756' };

/** Two charts: the change in bitrate at equal SSIM per length with its 95% CI, one row per length and kind
 * of chunk start (a length whose chunks all start on the source's keyframes is coloured as such: its
 * figure is theirs, not a mix), 0 marked; and the rate–quality curves it is read from, one line per length
 * through its CRF points, single's dashed in black. */
function compressionCharts(answer: RateQualityAnswer, costs: Costed[], centreSeconds?: number): ChartSpec[] {
  const rowsOf = (c: Costed): { kind: string; e: RatioEstimate }[] => {
    if (c.onKeyframe.costSsim && c.midGop.costSsim) return [{ kind: ALL, e: c.costSsim }, { kind: ON, e: c.onKeyframe.costSsim }, { kind: BETWEEN, e: c.midGop.costSsim }];
    return [{ kind: c.midGop.chunks === 0 ? ON : c.onKeyframe.chunks === 0 ? BETWEEN : ALL, e: c.costSsim }];
  };
  const short = { [ALL]: 'all chunks', [ON]: 'on keyframes', [BETWEEN]: 'between' } as Record<string, string>;
  const dots = costs.flatMap((c) => {
    const rows = rowsOf(c);
    return rows.map(({ kind, e }) => ({ row: rows.length > 1 ? `${lengthOf(c)}, ${short[kind]}` : lengthOf(c), length: lengthOf(c), kind, value: e.point - 1, lo: e.lo - 1, hi: e.hi - 1 }));
  });
  const domain = padded([0, ...dots.flatMap((d) => [d.lo, d.hi])], 0.08);
  const x = (field: string) => ({ field, type: 'quantitative', title: 'change in bitrate at equal SSIM against one ffmpeg (95% CI over the chunks)', scale: { domain, nice: false, zero: false }, axis: { format: '+.0%', tickCount: 6 } });
  const y = { field: 'row', type: 'nominal', sort: null, title: 'segment', axis: { labelFontWeight: 'normal' } };
  const shownKinds = [ALL, ON, BETWEEN].filter((k) => dots.some((d) => d.kind === k));
  const colour = { field: 'kind', type: 'nominal', title: null, scale: { domain: shownKinds, range: shownKinds.map((k) => KIND_COLOURS[k as keyof typeof KIND_COLOURS]) }, legend: { orient: 'bottom', labelLimit: 0 } };
  const cost: ChartSpec = {
    name: 'compression-cost',
    title: `What the segment length changes in bits: the bitrate at equal SSIM against one ffmpeg (a Bjøntegaard delta rate over CRF ${answer.crfs[0]}–${answer.crfs.at(-1)}), per chunk, geometric mean and 95% CI over the chunks; right of 0 costs bits, left of it saves them. Coloured by where the chunks start: on one of the source's own keyframes, or between two.`,
    spec: {
      ...base('Bitrate at equal quality vs segment length', Math.max(120, 26 * dots.length)),
      width: rowPlotWidth(dots.map((d) => d.row)),
      data: { values: dots },
      layer: [
        { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { x: { ...x('zero') } } },
        { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, x: x('lo'), x2: { field: 'hi' }, color: colour } },
        { mark: { type: 'point', filled: true, size: 70, opacity: 1 }, encoding: { y, x: x('value'), color: colour, tooltip: [{ field: 'row' }, { field: 'kind' }, { field: 'value', format: '+.1%' }, { field: 'lo', format: '+.1%' }, { field: 'hi', format: '+.1%' }] } },
      ],
    },
  };
  const curve = (label: string, points: readonly { crf: number; kbps: number; ssimDb: number }[]) => points.map((p) => ({ label, crf: p.crf, kbps: p.kbps, ssimDb: p.ssimDb }));
  const lines = [...curve(SINGLE, answer.anchor.points), ...costs.flatMap((c) => curve(lengthOf(c), c.points))];
  const labels = [SINGLE, ...costs.map(lengthOf)];
  // single black, the centre's length in the centre's orange as everywhere on the page, the rest in turn
  const others = ['#4c78a8', '#72b7b2', '#54a24b', '#b8860b', '#e45756', '#b279a2', '#9d755d', '#bab0ac'];
  let next = 0;
  const colours = ['#222', ...costs.map((c) => (!c.auto && c.segmentSeconds === centreSeconds ? CENTRE_COLOUR : (others[next++ % others.length] as string)))];
  const kbpsDomain = padded(lines.map((l) => l.kbps), 0.04, 1);
  // a log axis labels only its powers of ten's neighbours: name round rates across the whole span
  const ticks = [50, 100, 150, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7000, 10000, 15000, 20000, 30000, 50000].filter((t) => t >= kbpsDomain[0] && t <= kbpsDomain[1]);
  const rq: ChartSpec = {
    name: 'rate-quality',
    title: 'The rate–quality curves the cost is read from: each length’s whole output at each CRF (bitrate against SSIM in dB), single’s dashed in black, the centre’s length in orange. Compare the curves at equal SSIM, not the points at equal CRF: a curve to the right of single’s spends more bits for the same quality, one to the left fewer.',
    spec: {
      ...base('Rate–quality curves (SSIM dB vs bitrate)', 280),
      width: WIDTH,
      data: { values: lines },
      encoding: {
        x: { field: 'kbps', type: 'quantitative', title: 'video bitrate (kbit/s, log scale)', scale: { type: 'log', domain: kbpsDomain, nice: false }, axis: { values: ticks, format: ',d' } },
        y: { field: 'ssimDb', type: 'quantitative', title: 'SSIM (dB)', scale: { domain: padded(lines.map((l) => l.ssimDb), 0.06), nice: false, zero: false } },
        color: { field: 'label', type: 'nominal', title: 'segment', sort: labels, scale: { domain: labels, range: colours }, legend: { orient: 'bottom', columns: 4, labelLimit: 0 } },
        tooltip: [{ field: 'label' }, { field: 'crf', title: 'CRF' }, { field: 'kbps', format: '.0f' }, { field: 'ssimDb', format: '.2f' }],
      },
      // single's curve on top, dashed: where a length's curve coincides with it, both stay visible
      layer: [
        { transform: [{ filter: `datum.label !== '${SINGLE}'` }], mark: { type: 'line', strokeWidth: 1.5 }, encoding: { order: { field: 'crf' } } },
        { mark: { type: 'point', filled: true, size: 50, opacity: 1 } },
        { transform: [{ filter: `datum.label === '${SINGLE}'` }], mark: { type: 'line', strokeWidth: 2, strokeDash: [6, 4] }, encoding: { order: { field: 'crf' } } },
      ],
    },
  };
  return [cost, rq];
}
