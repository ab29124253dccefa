// The projection as the CLI prints it: the validation table (measured mean and CI vs the in-sample and the
// held-out prediction on this machine), the projection table, and the sentences, headed by the reminder
// that it is a model. Pure: text out.
import { projectionSentences } from '../report/projection.ts';
import { plural } from '../report/format.ts';
import type { Projection } from './types.ts';
import type { ErrorSummary, Validation } from './validate.ts';

const pad = (cells: string[], widths: number[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');

/** Left-aligned first column, right-aligned numbers. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [pad(header, widths), ...rows.map((r) => pad(r, widths))].join('\n');
}

const s = (ms: number) => (ms / 1000).toFixed(ms >= 100_000 ? 1 : 2);
const signed = (pct: number) => `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
const ci = (inside: boolean | null) => (inside === null ? '—' : inside ? 'in' : 'OUT');

/** "mean |a%|, max |b%| over n points, k of m inside the measured CI". */
function errors(e: ErrorSummary, over: string): string {
  return `mean |${e.meanAbsErrorPct.toFixed(1)}%|, max |${e.maxAbsErrorPct.toFixed(1)}%| over ${over}${e.worst ? ` (worst: ${e.worst})` : ''}; ${e.insideCi} of ${e.withCi} inside the measured 95% CI`;
}

/** The validation: one row per measured point with both predictions, then the summaries, held-out first. */
function validationLines(v: Validation, cores: number): string[] {
  const notHeld = v.points.flatMap((pt) => (pt.heldOut.state === 'not-held-out' ? [`  ${pt.label}: ${pt.heldOut.reason}`] : []));
  return [
    `validation on this ${cores}-core machine: each configuration's measured mean [95% CI] against the model fitted on every configuration (in-sample) and refitted without that configuration's runs (held out: leave one configuration out); in/OUT = inside/outside the measured CI; * = past the core count`,
    table(
      ['configuration', 'workers', 'chunks', 'runs', 'measured s [95% CI]', 'in-sample s', 'error', 'CI', 'held-out s', 'error', 'CI'],
      v.points.map((pt) => {
        const h = pt.heldOut;
        return [
          `${pt.label}${pt.oversubscribed ? ' *' : ''}`,
          String(pt.workers),
          String(pt.chunks),
          String(pt.runs),
          `${s(pt.measuredWallMs)} [${s(pt.measuredCi95.lo)}, ${s(pt.measuredCi95.hi)}]`,
          s(pt.inSample.predictedWallMs),
          signed(pt.inSample.errorPct),
          ci(pt.inSample.insideCi),
          ...(h.state === 'predicted' ? [s(h.predictedWallMs), signed(h.errorPct), ci(h.insideCi)] : ['not held out', '—', '—']),
        ];
      }),
    ),
    v.heldOut.points
      ? `held-out error: ${errors(v.heldOut, `the ${v.heldOut.points} points that could be left out`)}; in-sample on the same points: mean |${v.inSampleOfHeldOut.meanAbsErrorPct.toFixed(1)}%|, max |${v.inSampleOfHeldOut.maxAbsErrorPct.toFixed(1)}%|, ${v.inSampleOfHeldOut.insideCi} of ${v.inSampleOfHeldOut.withCi} inside the CI`
      : 'held-out error: none — no configuration could be left out of the fit',
    `in-sample error: ${errors(v.inSample, `all ${v.inSample.points} points`)} (the fit saw these points' own runs)`,
    ...(notHeld.length ? [`not held out (${notHeld.length}; no prediction without the point's own runs):`, ...notHeld] : []),
    v.withinTarget === null
      ? `target ≤ ${v.targetPct}% on held-out error: not judged (nothing held out)`
      : `target ≤ ${v.targetPct}% on held-out error: ${v.withinTarget ? 'met' : 'NOT met'} over ${v.heldOut.points} of ${v.points.length} points`,
  ];
}

/** The whole printout. */
export function formatProjection(p: Projection, path: string | null): string {
  const sc = p.scenario;
  const lines = [
    `MODEL PROJECTION (a simulation driven by run ${p.runId}'s cost model, not a measurement)`,
    `configuration: ${p.label} (${p.configId})`,
    `cost model: ${p.model.workSecondsPerVideoSecond.toFixed(4)} s of work per second of video; ${p.model.chunkStartupMs.toFixed(1)} ms startup + ${p.model.chunkOverheadMs.toFixed(1)} ms overhead per chunk (R² ${p.model.chunkFitR2.toFixed(3)}, chunk CV ${(p.model.chunkCv * 100).toFixed(1)}%); merge ${p.model.mergeMsPerChunk.toFixed(2)} ms per chunk`,
    '',
    ...validationLines(p.validation, p.model.cores),
    '',
    `projection: ${sc.durationSeconds} s video, ${sc.segmentAuto ? `segment auto (${p.rows.map((r) => `${r.chunks ?? '?'} on ${r.workers}`).join(', ')} chunks)` : `${sc.segmentSeconds} s chunks (${sc.chunks})`}, ${sc.bandwidthMbps.toFixed(0)} Mbit/s per worker (${sc.bandwidthFrom ?? 'stated'}), ${(sc.transferLatencyMs ?? 0).toFixed(1)} ms per transfer (${sc.transferLatencyFrom ?? 'none measured'}), coordinator ${sc.coordinatorMbps} Mbit/s, ${Number(sc.queueLatencyMs.toFixed(1))} ms queue latency (${sc.queueLatencyFrom}), ${plural(sc.threadsPerWorker, 'thread')} per worker`,
    table(
      ['workers', 'wall s', `range s (${sc.replications} reps)`, 'speedup', 'efficiency', 'serial s', 'process s', 'transfer'],
      p.rows.map((r) => [String(r.workers), s(r.wallMs), r.wallRangeMs ? `${s(r.wallRangeMs.loMs)}–${s(r.wallRangeMs.hiMs)}` : '—', `${r.speedup.toFixed(1)}×`, `${(r.efficiency * 100).toFixed(0)}%`, s(r.serialMs), s(r.processMs), `${(r.transferShare * 100).toFixed(0)}%`]),
    ),
    '',
    ...projectionSentences(p),
    '',
    'assumptions:',
    ...p.assumptions.map((a) => `  - ${a}`),
  ];
  if (path) lines.push('', `written: ${path}`);
  return `${lines.join('\n')}\n`;
}

const length = (r: { candidate: number | 'auto'; segmentSeconds: number }) => (r.candidate === 'auto' ? `auto (${Number(r.segmentSeconds.toFixed(2))} s)` : `${r.segmentSeconds} s`);

/** `chunkbench simulate <run> --segments …`: the table, then the answer in words, headed as a model. */
export function formatSegmentAnswer(a: import('./segments.ts').SegmentAnswer): string {
  const range = (r: { wallRangeMs: { loMs: number; hiMs: number } | null }) => (r.wallRangeMs ? `${s(r.wallRangeMs.loMs)}–${s(r.wallRangeMs.hiMs)}` : '—');
  const pct = (x: number) => (x === 1 ? 'fastest' : `+${((x - 1) * 100).toFixed(1)}%`);
  const others = a.near.filter((r) => r !== a.fastest);
  return [
    `A MODEL, not a measurement: the segment length for a ${a.durationSeconds} s video on ${plural(a.workers, 'worker')}, from the cost model and event simulation calibrated on run ${a.runId} (${a.label}); one worker per machine slot, the coordinator probing, merging and moving each chunk.`,
    '',
    table(
      ['segment', 'chunks', 'predicted wall s', 'range s (95% of replications)', 'vs fastest'],
      a.rows.map((r) => [length(r), String(r.chunks), s(r.wallMs), range(r), pct(r.vsFastest)]),
    ),
    '',
    `Fastest predicted: ${length(a.fastest)} (${plural(a.fastest.chunks, 'chunk')}), ${s(a.fastest.wallMs)} s${others.length ? `; within ${a.nearPct}% of it: ${others.map(length).join(', ')}` : `; no other length within ${a.nearPct}%`}. The ranges are scheduling luck in the model (each chunk's cost drawn with the measured chunk-to-chunk variation), not a confidence interval; lengths whose ranges overlap are not told apart by the model.`,
    `--segment auto would pick ${Number(a.auto.segmentSeconds.toFixed(2))} s here: ${a.auto.reason}`,
    a.heldOutPoints
      ? `The model on this run's own points, each configuration predicted by the model refitted without it (held out): ${errors(a.heldOut, plural(a.heldOutPoints, 'configuration'))}. A video length or worker count far from the run's is an extrapolation.`
      : "The run has no configuration that could be held out of the model's fit: this answer is not checked against a measurement.",
    'Not in the model: the compression cost of short chunks at equal quality (each chunk starts with a keyframe); the segments grid measures output size per length.',
    '',
  ].join('\n');
}
