// The quality dip at chunk boundaries: every chunk starts with a keyframe and a cold rate control, so the
// frames just after a cut may score lower (or higher) than one ffmpeg's at the same frames. From the stored
// per-frame SSIM of each output (quality/measure.ts; frame-exact outputs line up frame for frame), this
// draws SSIM against one ffmpeg's (single at the same CRF) along the timeline for the shortest exact length
// and the centre, with the shortest length's cuts marked, and says how the first frame after a cut compares
// with single's at that frame: the median paired difference over the cuts with its sign-test 95% interval. Pure.
import type { ResultLine } from '../../harness/store.ts';
import type { RunRecord } from '../../pipeline/types.ts';
import { medianCi } from '../../stats/index.ts';
import { base, CENTRE_COLOUR, OTHER_COLOUR, padded, WIDTH } from '../charts.ts';
import { list, plural } from '../format.ts';
import { finding, type ChartSpec, type Sentence } from '../section.ts';

export interface QualityTimeline {
  sentences: Sentence[];
  charts: ChartSpec[];
}

/** The first record with per-frame SSIM of a configuration (quality is measured once per configuration, on
 * its warmup run: a deterministic encode's output is the same every round). */
function recordOf(results: readonly ResultLine[], configId: string | undefined): RunRecord | null {
  if (!configId) return null;
  return results.find((l) => l.configId === configId && l.state === 'ok' && l.record?.quality?.ssimPerFrame?.length)?.record ?? null;
}

/** The median of the paired differences a − b with its distribution-free 95% interval (stats/medianCi.ts: a
 * t interval of the mean held only 68% here, where one odd cut among thirty is normal); null under 6 pairs. */
export function pairedDifference(a: readonly number[], b: readonly number[]): { median: number; lo: number; hi: number; n: number } | null {
  const m = medianCi(a.map((v, i) => v - (b[i] as number)));
  return m ? { median: m.median, lo: m.lo, hi: m.hi, n: m.n } : null;
}

const ssimWords = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(4)}`;

/** The configurations compared: single (the baseline), the shortest exact length and the centre, each with
 * the label the page gives it. */
export interface TimelineIds {
  singleId: string | undefined;
  shortest: { id: string; label: string } | undefined;
  centre: { id: string; label: string } | undefined;
}

/** The timeline chart and its sentence; nothing where the run kept no per-frame SSIM for single and a length. */
export function qualityTimeline(results: readonly ResultLine[], ids: TimelineIds): QualityTimeline {
  const single = recordOf(results, ids.singleId);
  const shortest = recordOf(results, ids.shortest?.id);
  if (!single?.quality || !single.source || !shortest?.quality || !ids.shortest) return { sentences: [], charts: [] };
  const centreRecord = ids.centre && ids.centre.id !== ids.shortest.id ? recordOf(results, ids.centre.id) : null;
  const base1 = single.quality.ssimPerFrame;
  const fps = single.source.frameCount / single.source.durationSeconds;
  const series = [shortest, ...(centreRecord ? [centreRecord] : [])];
  const nameOf = (r: RunRecord) => (r === centreRecord ? `${ids.centre?.label} (centre)` : (ids.shortest?.label as string));
  const values = series.flatMap((r) => {
    const ssim = r.quality?.ssimPerFrame ?? [];
    const n = Math.min(ssim.length, base1.length);
    return Array.from({ length: n }, (_, i) => ({ t: Number((i / fps).toFixed(3)), delta: Number(((ssim[i] as number) - (base1[i] as number)).toFixed(5)), series: nameOf(r) }));
  });
  const frames = shortest.quality.ssimPerFrame;
  const cutSegments = shortest.segments.slice(1).filter((seg) => seg.startFrame < base1.length && seg.startFrame < frames.length);
  const cuts = cutSegments.map((seg) => seg.startFrame);
  // a chunk that starts on one of the source's keyframes decodes no lead-in; one between two does
  const onKeyframe = cutSegments.filter((seg) => (seg.leadInFrames ?? 0) === 0).map((seg) => seg.startFrame);
  const between = cutSegments.filter((seg) => (seg.leadInFrames ?? 0) > 0).map((seg) => seg.startFrame);
  const diff = (fs: number[], offset = 0) => {
    const at = fs.map((f) => f + offset).filter((f) => f >= 0 && f < frames.length && f < base1.length);
    return pairedDifference(at.map((f) => frames[f] as number), at.map((f) => base1[f] as number));
  };
  const interval = (d: NonNullable<ReturnType<typeof pairedDifference>>) => `${ssimWords(d.median)} [${ssimWords(d.lo)}, ${ssimWords(d.hi)}]`;
  const side = (d: NonNullable<ReturnType<typeof pairedDifference>>) => (d.lo > 0 ? 'higher' : d.hi < 0 ? 'lower' : 'not clearly different');
  const words = (d: NonNullable<ReturnType<typeof pairedDifference>>, where: string) => `${interval(d)} ${where} (${plural(d.n, 'cut')}, ${side(d)})`;
  // the first frame is the chunk's own keyframe: its bits against one ffmpeg's for that frame, at the same CRF
  const bytes = shortest.quality.bytesPerFrame;
  const singleBytes = single.quality.bytesPerFrame;
  const sum = (xs: number[], fs: number[]) => fs.reduce((t, f) => t + (xs[f] ?? 0), 0);
  const bytesRatio = bytes?.length && singleBytes?.length && sum(singleBytes, cuts) > 0 ? sum(bytes, cuts) / sum(singleBytes, cuts) : null;
  const parts = [diff(onKeyframe), diff(between)];
  const all = diff(cuts);
  // the frame before a cut ends the previous chunk; said only where it clearly differs from one ffmpeg's
  const before = [diff(onKeyframe, -1), diff(between, -1)];
  const sentences: Sentence[] = [];
  if (all) {
    // one ffmpeg's own frame at the source's keyframes against the frame before it: where it dips, the
    // difference there is its dip more than the chunk's gain
    const singleDip = pairedDifference(onKeyframe.filter((f) => f > 0).map((f) => base1[f] as number), onKeyframe.filter((f) => f > 0).map((f) => base1[f - 1] as number));
    const dipWords = singleDip && singleDip.hi < 0 ? ` — there one ffmpeg's own frame scores ${interval(singleDip)} against the frame before it, so much of this is its dip —` : '';
    const first = parts[0] && parts[1]
      ? `${words(parts[0], "where the chunk starts on one of the source's keyframes")}${dipWords} and ${words(parts[1], 'where it starts between two')}`
      : words(all, 'over all cuts');
    const anyLower = (parts[0] && parts[1] ? parts : [all]).some((d) => d && side(d) === 'lower');
    const ends = before
      .map((d, i) => (d && side(d) !== 'not clearly different' ? `${interval(d)} before a cut ${i === 0 ? "on one of the source's keyframes" : 'between two'} (${side(d)})` : null))
      .filter((w): w is string => w !== null);
    const endWords = ends.length ? ` The last frame of the chunk before scores ${list(ends)}.` : ' The last frame of the chunk before is not clearly different from one ffmpeg\'s.';
    sentences.push(finding(`At the cuts, at the same CRF (each frame's SSIM minus one ffmpeg's at that frame, paired over the cuts: the median and its distribution-free 95% interval): the first frame of each ${ids.shortest.label} chunk, its own keyframe${bytesRatio ? ` at ${bytesRatio.toFixed(1)}× one ffmpeg's bytes for those frames` : ''}, scores ${first}.${endWords} ${anyLower ? 'So at equal CRF the first frame after some cuts is worse than one ffmpeg\'s' : 'So at equal CRF there is no dip at the cut itself'}, and the keyframe costs bits (the equal-quality comparison above counts them). The timeline below shows every frame, with the cuts marked.`));
  }
  const names = series.map(nameOf);
  const colours = series.map((r) => (r === centreRecord ? CENTRE_COLOUR : OTHER_COLOUR));
  const domain = padded(values.map((v) => v.delta), 0.05);
  const x = { field: 't', type: 'quantitative', title: 'time in the video (s)', scale: { domain: [0, base1.length / fps], nice: false } };
  return {
    sentences,
    charts: [{
      name: 'quality-timeline',
      title: `Quality along the video: each frame's SSIM minus one ffmpeg's (single, the same CRF) at that frame, for ${names.join(' and ')}; grey lines mark the ${ids.shortest.label} cuts. Below 0 the chunked output is worse than one ffmpeg's at that frame; one ffmpeg's own keyframes move the line too (it dips there, so the difference rises).`,
      spec: {
        ...base('Per-frame SSIM against one ffmpeg, with the cuts', 220),
        width: WIDTH,
        layer: [
          { data: { values: cuts.map((f) => ({ t: f / fps })) }, mark: { type: 'rule', color: '#ccc', strokeWidth: 1 }, encoding: { x } },
          { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#888', strokeDash: [4, 3] }, encoding: { y: { field: 'zero', type: 'quantitative', scale: { domain, nice: false } } } },
          // the centre underneath, the shortest length on top: its spikes at the centre's cuts stay visible
          ...[...names].reverse().map((name) => ({ data: { values: values.filter((v) => v.series === name) }, mark: { type: 'line', strokeWidth: 1, opacity: 0.9 }, encoding: { x, y: { field: 'delta', type: 'quantitative', title: 'SSIM minus single’s', scale: { domain, nice: false }, axis: { format: '+.3f' } }, color: { field: 'series', type: 'nominal', title: null, scale: { domain: names, range: colours }, legend: { orient: 'bottom' } } } })),
        ],
      },
    }],
  };
}
