// What short segments cost in compression: extra bitrate at equal quality against `single`, per segment
// length, from runs that measured their quality (the grid's `quality` key) at several CRF points. Pure.
//
// Curves. Every configuration that differs from its anchor only in segment length (and mode and workers,
// which do not change the bits an exact split writes) and CRF is one point of a rate–quality curve:
// (video bits, quality) at that CRF. The anchor is `single` on the same input, codec, preset and filter at
// the same CRFs. Quality is SSIM in dB (ExCamera's scale) or PSNR; the cost is the BD-rate (bdRate.ts).
//
// Its interval. x264 with one thread is deterministic, so rounds repeat the same bits and the same
// scores: the uncertainty is not the machine's but the content's — how much the cost depends on which
// stretch of video a chunk holds. Each chunk i of the segment length gives its own BD-rate from its own
// frames in both outputs (the chunked output and single's, frame-exact, so frame k is the same picture in
// both), and the cost is exp(mean of ln(1 + BDᵢ)) − 1 with a Student-t interval over the chunks (the
// method of stats/ratio.ts, n = chunks): a 60 s video in 30 s segments has 2 chunks and a wide interval,
// which is what two chunks can say. The whole video's BD-rate is computed beside it (a check: the report
// quotes the per-chunk figures, which carry an interval).
import type { ResultLine } from '../harness/store.ts';
import type { RunRecord } from '../pipeline/types.ts';
import { plannedSegmentSeconds } from '../pipeline/segmentAuto.ts';
import { ratioFromLogs, estimateOnly, type RatioEstimate } from '../stats/index.ts';
import { bdRate, curveProblem, ssimDb, type RatePoint } from './bdRate.ts';
import { psnrFromMse, type QualityRecord } from './measure.ts';

export type QualityScale = 'ssim-db' | 'psnr-db';

/** One configuration's point: its CRF, the whole output's rate and qualities. */
export interface CurvePoint {
  configId: string;
  crf: number;
  kbps: number;
  ssim: number;
  ssimDb: number;
  psnrDb: number;
}

export interface SegmentCost {
  /** The length the chunks were planned with (for `auto`, what it chose). */
  segmentSeconds: number;
  /** The configuration asked for `--segment auto`. */
  auto: boolean;
  split: string;
  points: CurvePoint[];
  chunks: number;
  /** Chunks whose own curve was not a rate–quality curve (quality not rising with rate), left out. */
  chunksLeftOut: number;
  /** 1 + the extra bitrate at equal quality: per-chunk geometric mean with its t interval (null below 2
   * usable chunks or 2 shared CRF points). */
  costSsim: RatioEstimate | null;
  costPsnr: RatioEstimate | null;
  /** The SSIM cost over the chunks that start on one of the source's keyframes (no lead-in to decode) and
   * over those that start between two: a source that is itself an encode pulses in quality at its own
   * keyframes, and a chunk's keyframe placed on one re-encodes it cheaply where one ffmpeg's keyframes fall
   * elsewhere; between them the chunk pays the keyframe cost ExCamera measured. Null below 2 chunks. */
  onKeyframe: { chunks: number; costSsim: RatioEstimate | null };
  midGop: { chunks: number; costSsim: RatioEstimate | null };
  /** The whole video's BD-rate (fraction), for comparison with the per-chunk mean. */
  wholeSsim: number | null;
  wholePsnr: number | null;
}

export interface RateQualityAnswer {
  /** What the chunked curves are compared with. */
  anchor: { configIds: string[]; points: CurvePoint[] };
  crfs: number[];
  costs: SegmentCost[];
  /** Why nothing could be said, when `costs` is empty. */
  note: string | null;
}

/** The record's settings that must match between a curve and its anchor. */
function familyKey(r: RunRecord): string {
  return [r.source?.path, r.config.codec, r.config.preset, r.config.filter].join('|');
}

/** A config's quality: every ok run of it writes the same bits (deterministic encode), so the one run that
 * measured it — often the warmup, the configuration's first — stands for all. */
function qualityByConfig(lines: readonly ResultLine[]): Map<string, { record: RunRecord; quality: QualityRecord }> {
  const out = new Map<string, { record: RunRecord; quality: QualityRecord }>();
  for (const l of lines) {
    if (l.state !== 'ok' || !l.record?.quality || out.has(l.configId)) continue;
    out.set(l.configId, { record: l.record, quality: l.record.quality });
  }
  return out;
}

function point(configId: string, record: RunRecord, q: QualityRecord): CurvePoint {
  return { configId, crf: record.config.crf, kbps: q.videoKbps, ssim: q.ssim.mean, ssimDb: ssimDb(q.ssim.mean), psnrDb: q.psnrDb.mean };
}

/** Rate and both qualities of frames [from, to) of one output. */
function rangePoint(q: QualityRecord, from: number, to: number): { bytes: number; ssimDb: number; psnrDb: number } {
  let bytes = 0;
  let ssim = 0;
  let mse = 0;
  for (let i = from; i < to; i++) {
    bytes += q.bytesPerFrame[i] ?? 0;
    ssim += q.ssimPerFrame[i] ?? 0;
    mse += q.msePerFrame[i] ?? 0;
  }
  const n = Math.max(1, to - from);
  return { bytes, ssimDb: ssimDb(ssim / n), psnrDb: psnrFromMse(mse / n) };
}

/** BD-rate of one scale, or null when a curve is not one or the curves share no quality. */
function safeBd(anchor: RatePoint[], test: RatePoint[]): number | null {
  if (curveProblem(anchor) || curveProblem(test)) return null;
  if ([...anchor, ...test].some((p) => !Number.isFinite(p.quality))) return null;
  return bdRate(anchor, test)?.fraction ?? null;
}

/** The cost of every segment length against single, from the stored runs. */
export function rateQualityCosts(lines: readonly ResultLine[]): RateQualityAnswer {
  const byConfig = qualityByConfig(lines);
  const empty = (note: string): RateQualityAnswer => ({ anchor: { configIds: [], points: [] }, crfs: [], costs: [], note });
  if (!byConfig.size) return empty('no run measured its quality (the grid’s "quality": true)');
  const singles = [...byConfig.entries()].filter(([, v]) => v.record.config.mode === 'single');
  if (!singles.length) return empty('no single run measured its quality: nothing to compare the chunked outputs with');
  // the family with the most single CRF points is the one answered for
  const families = new Map<string, [string, { record: RunRecord; quality: QualityRecord }][]>();
  for (const entry of singles) families.set(familyKey(entry[1].record), [...(families.get(familyKey(entry[1].record)) ?? []), entry]);
  const [family, anchorRuns] = [...families.entries()].sort((a, b) => b[1].length - a[1].length)[0] as [string, [string, { record: RunRecord; quality: QualityRecord }][]];
  const anchorByCrf = new Map(anchorRuns.map(([id, v]) => [v.record.config.crf, { id, ...v }]));
  const crfs = [...anchorByCrf.keys()].sort((a, b) => a - b);
  if (crfs.length < 2) return { ...empty(`single measured its quality at ${crfs.length} CRF point; a rate–quality curve needs at least 2 (3 or more to interpolate between)`), anchor: { configIds: anchorRuns.map(([id]) => id), points: anchorRuns.map(([id, v]) => point(id, v.record, v.quality)) }, crfs };

  // chunked curves of the same family, by (segment length, split)
  const curves = new Map<string, [string, { record: RunRecord; quality: QualityRecord }][]>();
  for (const [id, v] of byConfig) {
    const c = v.record.config;
    if (c.mode !== 'chunked' || familyKey(v.record) !== family || !anchorByCrf.has(c.crf)) continue;
    const key = `${c.segmentSeconds}|${c.split}`;
    const list = curves.get(key) ?? [];
    // one point per CRF (worker counts write the same bits): the first found
    if (!list.some(([, w]) => w.record.config.crf === c.crf)) list.push([id, v]);
    curves.set(key, list);
  }
  const costs: SegmentCost[] = [];
  for (const [, list] of curves) {
    if (list.length < 2) continue;
    const first = (list[0] as [string, { record: RunRecord; quality: QualityRecord }])[1].record;
    const sorted = [...list].sort((a, b) => a[1].record.config.crf - b[1].record.config.crf);
    const anchors = sorted.map(([, v]) => anchorByCrf.get(v.record.config.crf) as { id: string; record: RunRecord; quality: QualityRecord });
    const whole = (scale: QualityScale) =>
      safeBd(
        anchors.map((a) => ({ rate: a.quality.videoKbps, quality: scale === 'ssim-db' ? ssimDb(a.quality.ssim.mean) : a.quality.psnrDb.mean })),
        sorted.map(([, v]) => ({ rate: v.quality.videoKbps, quality: scale === 'ssim-db' ? ssimDb(v.quality.ssim.mean) : v.quality.psnrDb.mean })),
      );
    // per chunk: the same frame range in every output (the segment plan is the same at every CRF)
    const logs: Record<QualityScale, number[]> = { 'ssim-db': [], 'psnr-db': [] };
    const byStart = { onKeyframe: [] as number[], midGop: [] as number[] };
    let leftOut = 0;
    for (const segment of first.segments) {
      const from = segment.startFrame - (first.segments[0]?.startFrame ?? 0);
      const to = from + segment.frameCount;
      const a = anchors.map((x) => rangePoint(x.quality, from, to));
      const t = sorted.map(([, v]) => rangePoint(v.quality, from, to));
      let usable = true;
      for (const scale of ['ssim-db', 'psnr-db'] as QualityScale[]) {
        const pick = (p: { bytes: number; ssimDb: number; psnrDb: number }) => ({ rate: p.bytes, quality: scale === 'ssim-db' ? p.ssimDb : p.psnrDb });
        const bd = safeBd(a.map(pick), t.map(pick));
        if (bd === null || !(bd > -1)) usable = false;
        else {
          logs[scale].push(Math.log1p(bd));
          if (scale === 'ssim-db') byStart[(segment.leadInFrames ?? 0) > 0 ? 'midGop' : 'onKeyframe'].push(Math.log1p(bd));
        }
      }
      if (!usable) leftOut++;
    }
    const estimate = (scale: QualityScale) => (logs[scale].length >= 2 ? estimateOnly(ratioFromLogs(logs[scale])) : null);
    costs.push({
      segmentSeconds: plannedSegmentSeconds(first) ?? 0,
      auto: first.config.segmentSeconds === 'auto',
      split: first.config.split,
      points: sorted.map(([id, v]) => point(id, v.record, v.quality)),
      chunks: first.segments.length,
      chunksLeftOut: leftOut,
      costSsim: estimate('ssim-db'),
      costPsnr: estimate('psnr-db'),
      onKeyframe: { chunks: byStart.onKeyframe.length, costSsim: byStart.onKeyframe.length >= 2 ? estimateOnly(ratioFromLogs(byStart.onKeyframe)) : null },
      midGop: { chunks: byStart.midGop.length, costSsim: byStart.midGop.length >= 2 ? estimateOnly(ratioFromLogs(byStart.midGop)) : null },
      wholeSsim: whole('ssim-db'),
      wholePsnr: whole('psnr-db'),
    });
  }
  costs.sort((a, b) => a.segmentSeconds - b.segmentSeconds || a.split.localeCompare(b.split));
  return {
    anchor: { configIds: crfs.map((crf) => (anchorByCrf.get(crf) as { id: string }).id), points: crfs.map((crf) => { const a = anchorByCrf.get(crf) as { id: string; record: RunRecord; quality: QualityRecord }; return point(a.id, a.record, a.quality); }) },
    crfs,
    costs,
    note: costs.length ? null : 'no chunked configuration measured its quality at two or more of single’s CRF points',
  };
}
