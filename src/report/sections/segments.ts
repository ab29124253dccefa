// "Why this segment length?": wall time against segment length (the centre's length in orange), each
// length against the centre paired by round, and what short segments cost: more chunks (an ffmpeg start-up
// and a keyframe each) and a larger output. A length is called faster or slower only where the paired 95%
// interval excludes 1×; the comparison with the centre and the one with single-mt are separate sentences,
// each naming its baseline first, so that "not faster than the centre" and "faster than single-mt" never read
// as one contradictory claim.
import { base, countAxis, padded, roleColour, WIDTH, Y_AXIS_PX } from '../charts.ts';
import { pairedWallRatio } from '../context.ts';
import { change, changeCi, list, plural, roundedSeconds, secondsCi, share, timesCi, verdict, videoLength } from '../format.ts';
import { finding, note, type ChartSpec, type ReportContext, type Section, type Sentence } from '../section.ts';
import { compressionWords } from './compression.ts';
import { segmentMapWords } from './segmentMap.ts';
import { qualityTimeline } from './qualityTimeline.ts';
import type { RatioEstimate } from '../../stats/index.ts';
import type { ResultLine } from '../../harness/store.ts';
import type { GridConfig } from '../../grid/expand.ts';

export interface Row {
  configId: string;
  /** The length the chunks were planned with: for `auto`, the one it chose. */
  segmentSeconds: number;
  auto: boolean;
  /** The split strategy (the segments grid sweeps both). */
  split: string;
  wall: { point: number; lo: number; hi: number; n: number };
  chunks: number;
  /** Output bytes relative to single's, −1…; null without a single baseline. */
  bytesOverSingle: number | null;
  leadInShare: number | null;
  vsCentre: RatioEstimate | null;
  centre: boolean;
  /** The planned chunks' shortest and longest length in seconds (the last chunk, a remainder, left out). */
  chunkSeconds: { lo: number; hi: number } | null;
  /** The source's mean keyframe interval in seconds, where its probe counted keyframes. */
  keyframeSeconds: number | null;
}

/** The shortest and longest planned chunk of a configuration's first successful run, the remainder left out. */
function chunkSecondsOf(results: readonly ResultLine[], configId: string): Row['chunkSeconds'] {
  const segments = results.find((l) => l.configId === configId && l.state === 'ok' && l.record?.segments.length)?.record?.segments ?? [];
  const lengths = (segments.length > 1 ? segments.slice(0, -1) : segments).map((s) => s.durationSeconds).filter((v) => Number.isFinite(v));
  return lengths.length ? { lo: Math.min(...lengths), hi: Math.max(...lengths) } : null;
}

function keyframeSecondsOf(results: readonly ResultLine[], configId: string): number | null {
  const source = results.find((l) => l.configId === configId && l.record?.source)?.record?.source;
  return source?.keyframeCount ? source.durationSeconds / source.keyframeCount : null;
}

/** The settings a configuration must share with the centre to stand beside it here: all but the length and the split. */
const SAME_AS_CENTRE = ['input', 'mode', 'workers', 'codec', 'preset', 'filter', 'threads', 'crf', 'workDir', 'retries', 'injectFaults', 'injectStalls', 'speculate', 'executor'] as const;

function rowsOf(ctx: ReportContext): Row[] {
  const single = ctx.summary.configs.find((c) => c.configId === ctx.centre?.speedup.single?.baselineId);
  const centre = ctx.summary.configs.find((c) => c.configId === ctx.centre?.configId)?.config;
  // the segments sweep, and any configuration that differs from the centre only in its length or split (the
  // segments grid's copy-split sweep: without it the section left out that 10 s copy was clearly slower)
  const lengthOrSplitOnly = (c: GridConfig) => !!centre && SAME_AS_CENTRE.every((k) => c[k] === centre[k]) && (c.transport ?? 'shared') === (centre.transport ?? 'shared');
  return ctx.summary.configs
    // an auto configuration stands at the length it chose (none: its runs never chose one)
    .filter((c) => (c.sweeps.includes('segments') || lengthOrSplitOnly(c.config)) && c.config.mode === 'chunked' && c.wallMs && (typeof c.config.segmentSeconds === 'number' || c.segmentChoice))
    .map((c) => ({
      configId: c.configId,
      segmentSeconds: typeof c.config.segmentSeconds === 'number' ? c.config.segmentSeconds : (c.segmentChoice?.segmentSeconds ?? 0),
      auto: c.config.segmentSeconds === 'auto',
      split: c.config.split ?? 'exact',
      wall: { point: c.wallMs?.mean ?? 0, lo: c.wallMs?.ci95.lo ?? 0, hi: c.wallMs?.ci95.hi ?? 0, n: c.wallMs?.n ?? 0 },
      chunks: c.chunks ?? 0,
      bytesOverSingle: single?.outputBytes && c.outputBytes ? c.outputBytes / single.outputBytes - 1 : null,
      leadInShare: c.leadInShare,
      vsCentre: c.configId === ctx.centre?.configId ? null : pairedWallRatio(ctx.results, c.configId, ctx.centre?.configId ?? ''),
      centre: c.configId === ctx.centre?.configId,
      chunkSeconds: chunkSecondsOf(ctx.results, c.configId),
      keyframeSeconds: keyframeSecondsOf(ctx.results, c.configId),
    }))
    .sort((a, b) => a.segmentSeconds - b.segmentSeconds || Number(a.auto) - Number(b.auto) || a.split.localeCompare(b.split));
}

/** The rows' split strategies, when they are more than one (then every length is named with its split). */
function splitsOf(rows: Row[]): string[] {
  const splits = [...new Set(rows.map((r) => r.split))].sort();
  return splits.length > 1 ? splits : [];
}

function charts(rows: Row[]): ChartSpec[] {
  const lengths = rows.map((r) => r.segmentSeconds);
  const xScale = { type: 'log', domain: [Math.min(...lengths) / 1.35, Math.max(...lengths) * (rows.some((r) => r.auto) ? 1.55 : 1.35)], nice: false };
  const x = { field: 'segment', type: 'quantitative', title: 'segment length (s, log scale)', scale: xScale, axis: { ...countAxis(lengths), format: '~g' } }; // '~g': 0.5 and 7.5 as written, 10 not 1e+1
  const splits = splitsOf(rows);
  // with both split strategies, one mark shape each (and a legend); the two sit side by side at one length
  const shape = splits.length ? { shape: { field: 'split', type: 'nominal', title: 'split', scale: { domain: splits, range: ['circle', 'square', 'triangle-up'].slice(0, splits.length) }, legend: { orient: 'bottom' } } } : {};
  const nudge = (split: string) => (splits.length ? 1 + 0.06 * (splits.indexOf(split) - (splits.length - 1) / 2) : 1);
  // auto stands just right of the fixed length it chose — near enough to read as that length on the axis, far
  // enough for its dot not to cover the fixed length's — labelled with what it chose (a shift of 1.25 put a
  // 30 s choice at 37.5 s)
  const AUTO_SHIFT = 1.12;
  const autoShift = (r: Row) => (r.auto ? AUTO_SHIFT : 1);
  const dots = rows.map((r) => ({ segment: r.segmentSeconds * nudge(r.split) * autoShift(r), seconds: r.segmentSeconds, split: r.split, auto: r.auto, value: r.wall.point / 1000, lo: r.wall.lo / 1000, hi: r.wall.hi / 1000, role: r.centre ? 'centre' : 'other', autoLabel: r.auto ? `auto: ${Number(r.segmentSeconds.toFixed(2))} s` : '' }));
  const yDomain = padded(dots.flatMap((d) => [d.lo, d.hi]), 0.1);
  // one y-axis width in both charts, so that their plots (and so their segment-length axes) line up when the
  // reader compares a length's wall time with its chunks and output size
  const yAxisExtent = { minExtent: Y_AXIS_PX, maxExtent: Y_AXIS_PX };
  const y = (field: string) => ({ field, type: 'quantitative', title: 'wall time (s)', axis: yAxisExtent, scale: { domain: yDomain, nice: false, zero: false } });
  const cost = rows.flatMap((r) => [{ segment: r.segmentSeconds * nudge(r.split), split: r.split, chunks: r.chunks, bytes: r.bytesOverSingle === null ? null : r.bytesOverSingle, role: r.centre ? 'centre' : 'other' }]);
  const panel = (field: string, title: string, axis: object, domain: [number, number]) => ({
    width: WIDTH,
    height: 130,
    data: { values: cost.filter((c) => c[field as 'chunks' | 'bytes'] !== null) },
    layer: [
      { mark: { type: 'line', color: '#999' }, encoding: { x, y: { field, type: 'quantitative', title, axis: { ...axis, ...yAxisExtent }, scale: { domain, nice: false, zero: false } }, ...(splits.length ? { detail: { field: 'split' } } : {}) } },
      { mark: { type: 'point', filled: true, size: 80, opacity: 1 }, encoding: { x, y: { field, type: 'quantitative', title, axis: { ...axis, ...yAxisExtent }, scale: { domain, nice: false, zero: false } }, color: roleColour, ...shape } },
    ],
  });
  const chunks = rows.map((r) => r.chunks);
  const bytes = rows.map((r) => r.bytesOverSingle).filter((b): b is number => b !== null);
  return [
    {
      name: 'segments-wall',
      title: `Wall time against segment length, mean and 95% CI; the centre's length in orange${rows.some((r) => r.auto) ? '; auto just right of the length it chose, labelled with it' : ''}.`,
      spec: { ...base('Wall time vs segment length', 220), layer: [{ data: { values: dots }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color: roleColour } }, { data: { values: dots }, mark: { type: 'point', filled: true, size: 90, opacity: 1 }, encoding: { x, y: y('value'), color: roleColour, ...shape } }, ...(rows.some((r) => r.auto) ? [{ data: { values: dots.filter((d, i) => d.auto && dots.findIndex((e) => e.auto && e.seconds === d.seconds) === i).map((d) => ({ ...d, segment: d.seconds * AUTO_SHIFT, hi: Math.max(...dots.filter((e) => e.auto && e.seconds === d.seconds).map((e) => e.hi)) })) }, mark: { type: 'text', dy: -10, fontSize: 12 }, encoding: { x, y: y('hi'), text: { field: 'autoLabel' } } }] : [])] },
    },
    {
      name: 'segments-cost',
      title: `What short segments cost: chunks per run (each an ffmpeg start-up and a keyframe)${bytes.length ? ', and output size against one ffmpeg\'s' : ''}; the centre in orange.`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: 'Chunks and output size vs segment length',
        background: 'white',
        config: base('').config,
        vconcat: [
          // no floor at 0: the fewest chunks would sit on the axis, half the point drawn below the plot
          panel('chunks', 'chunks per run', { format: 'd', tickMinStep: 1 }, padded(chunks, 0.1)),
          ...(bytes.length ? [panel('bytes', 'output vs single', { format: '+.1%' }, padded(bytes, 0.15))] : []),
        ],
      },
    },
  ];
}

/** Each length against the centre, paired by round: the sentence's lead naming the baseline, the full list with
 * intervals (the section) and the brief one (the summary). Faster or slower only where the interval excludes 1×. */
export function againstCentre(rows: Row[], centre: Row, len: (r: Row) => string): { lead: string; detail: string; brief: string } {
  const faster = rows.filter((r) => r.vsCentre && verdict(r.vsCentre) === 'below');
  const slower = rows.filter((r) => r.vsCentre && verdict(r.vsCentre) === 'above');
  const named = (rs: Row[]) => list(rs.map((r) => `${len(r)} (${changeCi(r.vsCentre as RatioEstimate)})`));
  // every one named: "4 lengths from 1 s to 20 s" read as all of them, when 5 s and 15 s were not slower
  const few = (rs: Row[]) => list(rs.map(len));
  return {
    lead: `Against the centre (${len(centre)})`,
    detail: `${faster.length ? `clearly faster at 95%: ${named(faster)}.` : 'no length was clearly faster at 95%.'} ${slower.length ? `Clearly slower: ${named(slower)}.` : 'None was clearly slower.'}`,
    brief: `${faster.length ? `${list(faster.map(len))} ${faster.length === 1 ? 'was' : 'were'} clearly faster` : 'no length was clearly faster'}${slower.length ? `, ${few(slower)} clearly slower` : ''}`,
  };
}

/** Each length against one ffmpeg using every core (single-mt), a baseline other than the centre, in a sentence
 * of its own that names it first; only when the lengths do not all share the centre's verdict (otherwise the
 * headline has said it). Null without single-mt. */
export function againstSingleMt(rows: Row[], mtOf: (r: Row) => RatioEstimate | undefined, len: (r: Row) => string): string | null {
  const centre = rows.find((r) => r.centre);
  const centreMt = centre ? mtOf(centre) : undefined;
  if (!centre || !centreMt) return null;
  const beat = rows.filter((r) => mtOf(r) && verdict(mtOf(r) as RatioEstimate) === 'above');
  const centreBeats = beat.includes(centre);
  const others = beat.filter((r) => r !== centre);
  if (!others.length || centreBeats) return null;
  // each with its comparison to the centre, so that a length clearing single-mt is never read as beating the centre
  const vsCentre = (r: Row) => (r.vsCentre ? `; against the centre ${changeCi(r.vsCentre)}${verdict(r.vsCentre) === 'unclear' ? ', not clearly different' : ''}` : '');
  return `Against one ffmpeg using every core (single-mt): ${list(others.map((r) => `${len(r)} (${timesCi(mtOf(r) as RatioEstimate)}${vsCentre(r)})`))} ${others.length === 1 ? 'was' : 'were'} clearly faster; ${len(centre)}, the centre, was not (${timesCi(centreMt)}).`;
}

/** "2 s" or "4–6 s": the planned chunks' lengths. */
const chunkLengthWords = (c: Row['chunkSeconds']) => (!c ? '—' : Math.abs(c.hi - c.lo) < 0.05 ? roundedSeconds(c.lo) : `${roundedSeconds(c.lo).replace(' s', '')}–${roundedSeconds(c.hi)}`);
/** True where the chunks differ from the length asked for by more than a tenth (a copy split snaps to keyframes). */
const relabelled = (r: Row) => !r.auto && !!r.chunkSeconds && (Math.abs(r.chunkSeconds.lo - r.segmentSeconds) > 0.1 * r.segmentSeconds || Math.abs(r.chunkSeconds.hi - r.segmentSeconds) > 0.1 * r.segmentSeconds);

/** "A length names what was asked, not the chunks: 1 s copy made chunks of 2 s (…why…)", so that a length label
 * is not read as its chunks' length; null when every length's chunks are as asked (within a tenth). */
export function relabelledWords(rows: Row[], len: (r: Row) => string): string | null {
  const off = rows.filter(relabelled);
  if (!off.length) return null;
  const gop = off.find((r) => r.keyframeSeconds)?.keyframeSeconds;
  const why = [
    gop ? `the source has a keyframe every ${roundedSeconds(gop)}` : null,
    off.some((r) => r.split === 'copy') ? 'a copy split cuts only at keyframes' : null,
    off.some((r) => r.split !== 'copy') ? 'an exact split moves a cut onto a keyframe within a quarter of the length, so that no frames are decoded only to be thrown away' : null,
  ].filter((w): w is string => w !== null);
  return `A length names what was asked, not the chunks: ${list(off.map((r) => `${len(r)} made chunks of ${chunkLengthWords(r.chunkSeconds)}`))} (${why.join('; ')}).`;
}

/** Why a length's chunks suit the workers: "one chunk per worker, one wave", "2 full waves of 2", or the
 * chunks and the idle share of the last wave. */
function waveWords(chunks: number, workers: number): string {
  if (chunks === workers) return 'one chunk per worker, in one wave';
  if (chunks < workers) return `${plural(chunks, 'chunk')}, fewer than the ${workers} workers`;
  if (chunks % workers === 0) return `${chunks} chunks: ${chunks / workers} full waves of ${workers}`;
  return `${chunks} chunks on ${workers} workers: the last wave part idle`;
}

/** The section's conclusion for the run's own case, said first: the fastest length measured and why (its
 * chunks against the workers), the lengths not clearly slower than it, where the centre stands against it
 * and what auto chose — each comparison a paired ratio of wall times. `brief` opens the first screen's answer. */
export function conclusion(rows: Row[], centre: Row, ratio: (a: Row, b: Row) => RatioEstimate | null, len: (r: Row) => string, videoSeconds: number | undefined, workers: number): { sentence: string; brief: string; fastest: Row } {
  const fixed = rows.filter((r) => !r.auto);
  const fastest = fixed.reduce((a, b) => (b.wall.point < a.wall.point ? b : a));
  const ties = fixed.filter((r) => {
    const vs = r === fastest || r === centre ? null : ratio(r, fastest);
    // no common round is no evidence that it was slower
    return r !== fastest && r !== centre && (!vs || verdict(vs) !== 'above');
  });
  const video = videoSeconds ? `this ${videoLength(videoSeconds)} video on ${workers} workers` : `this video on ${workers} workers`;
  const centreVs = centre === fastest ? null : ratio(centre, fastest);
  // the centre has a sentence of its own
  const centreTied = !!centreVs && verdict(centreVs) !== 'above';
  const tied = ties.length ? ` ${list(ties.map(len))} ${ties.length === 1 ? 'was' : 'were'} not clearly slower than it at 95%.` : ` Every other length${centreTied ? ' but the centre' : ''} was clearly slower at 95%.`;
  const centreWords = centre === fastest
    ? ` The centre, ${len(centre)}, is that length.`
    : centreVs ? ` The centre, ${len(centre)}, measured ${changeCi(centreVs)} against it${verdict(centreVs) === 'above' ? ', clearly slower' : ', not clearly different'}.` : '';
  const auto = rows.find((r) => r.auto);
  const autoVs = auto ? ratio(auto, fastest) : null;
  const autoWords = auto ? ` Auto (--segment auto) chose ${Number(auto.segmentSeconds.toFixed(2))} s (${plural(auto.chunks, 'chunk')})${autoVs ? `, ${changeCi(autoVs)} against the fastest` : ''}.` : '';
  return {
    sentence: `In short, for ${video}: ${len(fastest)} was the fastest length measured (${secondsCi(fastest.wall)}; ${waveWords(fastest.chunks, workers)}${fastest.chunkSeconds ? `, chunks of ${chunkLengthWords(fastest.chunkSeconds)}` : ''}).${tied}${centreWords}${autoWords}`,
    // a point estimate: where the centre is not clearly slower, the brief says so, so that "fastest" is not
    // read as a difference the intervals do not carry
    brief: `For ${video}, ${len(fastest)} measured fastest (${waveWords(fastest.chunks, workers)})${centreTied ? ', not clearly faster than the centre' : ''}`,
    fastest,
  };
}

export function segmentsSection(ctx: ReportContext): Section | null {
  const rows = rowsOf(ctx);
  const centre = rows.find((r) => r.centre);
  if (rows.length < 2 || !centre) return null;
  const splitNamed = splitsOf(rows).length > 0;
  const len = (r: Row) => `${r.auto ? `auto (${Number(r.segmentSeconds.toFixed(2))} s)` : `${r.segmentSeconds} s`}${splitNamed ? ` ${r.split}` : ''}`;
  const sentences: Sentence[] = [];
  const workers = ctx.summary.configs.find((c) => c.configId === centre.configId)?.config.workers ?? ctx.cores;
  const sourceSeconds = ctx.results.find((l) => l.configId === centre.configId && l.record?.source)?.record?.source?.durationSeconds;
  const inShort = conclusion(rows, centre, (a, b) => pairedWallRatio(ctx.results, a.configId, b.configId), len, sourceSeconds, workers);
  sentences.push(finding(inShort.sentence));
  const vsCentre = againstCentre(rows, centre, len);
  sentences.push(finding(`${vsCentre.lead}, ${secondsCi(centre.wall)}, wall time paired by round: ${vsCentre.detail} The others are within the noise of it.`));
  const labels = relabelledWords(rows, len);
  if (labels) sentences.push(note(labels));
  // the shortest length, and of its splits the one that made the most chunks (a copy split cannot cut between keyframes)
  const shortest = rows.filter((r) => r.segmentSeconds === rows[0]?.segmentSeconds).sort((a, b) => b.chunks - a.chunks)[0] as Row;
  if (shortest !== centre) {
    const leadIn = shortest.leadInShare ? `, with ${share(shortest.leadInShare)} more frames decoded only to reach cuts between the source's keyframes` : '';
    // at the same CRF, not at equal quality: the compression sentences below compare bits at equal SSIM, and the
    // two can differ in sign (short chunks can reach a higher SSIM at the same CRF)
    const measuredQuality = ctx.results.some((l) => l.record?.quality);
    const bytes = shortest.bytesOverSingle !== null ? `, and at the same CRF the output is ${change(1 + shortest.bytesOverSingle)} against one ffmpeg's size${measuredQuality ? ' (at equal quality, below, the bits compare differently)' : ''}` : '';
    sentences.push(finding(`Short segments cost: at ${len(shortest)} there are ${shortest.chunks} chunks, each paying an ffmpeg start-up and a keyframe${leadIn}${bytes}.`));
  }
  const uneven = rows.filter((r) => r.chunks % workers !== 0 && r.chunks < 4 * workers).at(-1);
  // the idle worker is arithmetic; whether it cost measurable time is the paired comparison's to say
  const measured = (r: Row) => (r.vsCentre ? ` Measured against the centre: ${changeCi(r.vsCentre)}${verdict(r.vsCentre) === 'above' ? ', clearly slower' : verdict(r.vsCentre) === 'below' ? ', clearly faster all the same' : ', not clearly different'}.` : '');
  if (uneven) sentences.push(finding(`Long segments can cost too: at ${len(uneven)} there are ${uneven.chunks} chunks for ${workers} workers, so in the last wave a worker has nothing to do.${measured(uneven)}`));
  // the other side of short segments: bits at equal quality, where the run measured its outputs' quality
  const compression = compressionWords(ctx.results, undefined, centre.auto ? undefined : centre.segmentSeconds);
  sentences.push(...compression.sentences);
  // the quality dip at the cuts, frame by frame, where the run kept per-frame SSIM
  const shortestExact = rows.filter((r) => !r.auto && r.split === 'exact').sort((a, b) => a.segmentSeconds - b.segmentSeconds)[0];
  const timeline = qualityTimeline(ctx.results, {
    singleId: ctx.centre?.speedup.single?.baselineId,
    shortest: shortestExact ? { id: shortestExact.configId, label: `${shortestExact.segmentSeconds} s` } : undefined,
    centre: centre.split === 'exact' && !centre.auto ? { id: centre.configId, label: `${centre.segmentSeconds} s` } : undefined,
  });
  sentences.push(...timeline.sentences);
  const bits = compression.shortest && compression.shortest.segmentSeconds === shortest.segmentSeconds ? compression.shortest.clause : null;
  const cost = shortest === centre ? '' : bits ? ` (${len(shortest)} segments make ${plural(shortest.chunks, 'chunk')}; ${bits})` : shortest.bytesOverSingle !== null && centre.bytesOverSingle !== null ? ` (${len(shortest)} segments make ${plural(shortest.chunks, 'chunk')} and a ${change(1 + shortest.bytesOverSingle)} larger output)` : '';
  // against one ffmpeg on every core — the bar a parallel pipeline has to clear — a different baseline from the
  // centre's, so a sentence of its own that names it first
  const mt = againstSingleMt(rows, (r) => ctx.summary.configs.find((c) => c.configId === r.configId)?.speedup['single-mt'], len);
  if (mt) sentences.push(finding(`${mt.replace(/\.$/, '')}, paired by round.`));
  // other videos and worker counts: the cost model's map, beside the length this run measured fastest
  const map = segmentMapWords(ctx, sourceSeconds ? { segmentSeconds: inShort.fastest.segmentSeconds, durationSeconds: sourceSeconds, workers } : null);
  sentences.push(...map.sentences);
  // the conclusion is this video's; the map is where other videos and worker counts are answered
  if (map.charts.length) sentences[0] = finding(`${inShort.sentence} That answer is this video's; for other video lengths and worker counts, see the model's map below${map.tenSecondsClause ? `, which ${map.tenSecondsClause} (a model, not a measurement)` : ''}.`);
  return {
    id: 'segments',
    title: `Why ${len(centre)} segments?`,
    // the first screen compares lengths with the centre only: a length that clears single-mt where the centre does
    // not is the section's detail (with its comparison to the centre), not a rival headline
    answers: { question: 'segments', text: `${inShort.brief}. ${vsCentre.lead}: ${vsCentre.brief}${cost}.` },
    sentences,
    tables: [{
      collapsed: true,
      caption: 'Each length against the centre: wall time relative to the centre, paired by round (below 1×: faster), mean [95% CI].',
      head: ['segment', 'chunks', 'chunk length', 'wall time', 'vs centre', 'output vs single'],
      rows: rows.map((r) => ({ cells: [len(r), String(r.chunks), chunkLengthWords(r.chunkSeconds), secondsCi(r.wall), r.vsCentre ? changeCi(r.vsCentre) : '—', r.bytesOverSingle === null ? '—' : change(1 + r.bytesOverSingle)], centre: r.centre })),
    }, ...(compression.table ? [compression.table] : [])],
    charts: [...charts(rows), ...compression.charts, ...timeline.charts, ...map.charts],
  };
}
