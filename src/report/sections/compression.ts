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
import { finding, note, type Sentence, type Table } from '../section.ts';

export interface CompressionWords {
  sentences: Sentence[];
  table: Table | null;
  /** The shortest measured length and "at equal quality +12.0% [+8.1%, +16.0%] bitrate against one ffmpeg
   * (more bits)", for the first screen; null without a cost to quote. */
  shortest: { segmentSeconds: number; clause: string } | null;
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
export function compressionWords(results: readonly ResultLine[], answer: RateQualityAnswer = rateQualityCosts(results)): CompressionWords {
  const measuredQuality = results.some((l) => l.record?.quality);
  if (!measuredQuality) return { sentences: [], table: null, shortest: null };
  const costs = answer.costs.filter((c): c is Costed => c.split === 'exact' && c.costSsim !== null);
  if (!costs.length) {
    const why = answer.note ?? 'no exact-split length measured its quality at the CRF points single did';
    return { sentences: [note(`Compression at equal quality is not measured here: ${why}.`)], table: null, shortest: null };
  }
  const crfs = `CRF ${answer.crfs[0]}–${answer.crfs.at(-1)}`;
  const costly = costs.filter((c) => verdict(c.costSsim) === 'above');
  const sentences: Sentence[] = [finding(`Compression at equal quality, against one ffmpeg (the extra bitrate at equal SSIM, a Bjøntegaard delta rate over ${crfs}, per chunk with a 95% CI over the chunks): ${costs.map((c) => `${lengthOf(c)} ${costWords(c.costSsim)}${byStartWords(c)}`).join('; ')}.${costly.length ? ` Clearly more bits at 95%: ${list(costly.map(lengthOf))}.` : ' No length clearly costs bits at 95% on average.'}`)];
  // a source that is itself an encode: where the chunk starts decides the sign, so the average is not the answer
  if (costs.some(startsDiffer)) sentences.push(note("Where a chunk starts decides the sign. This source is itself an encode, with keyframes at fixed intervals, and its quality pulses with them: a chunk that starts on one of them puts its own keyframe there and re-encodes with fewer bits at equal quality than one ffmpeg, whose keyframes fall elsewhere; a chunk that starts between them pays the cost of an extra keyframe, the cost ExCamera (NSDI 2017) measured at +14% to +33% for 1 s chunks of raw video. The average of a length depends on how it lines up with the source's keyframes; the cost between them is the one to expect for sources without that structure."));
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
  return { sentences, table, shortest: { segmentSeconds: shortest.segmentSeconds, clause } };
}
