// The CI regression verdict, in the spirit of Criterion.rs's noise threshold: a metric has REGRESSED only
// when the whole 95% CI of its current value lies below baseline × (1 − tolerance), IMPROVED when it lies
// wholly above baseline × (1 + tolerance), and otherwise shows NO CHANGE. A floor derived from the core
// count applies on any machine, also where the baseline was taken on another one (speedup depends on cores).
import type { RatioEstimate } from '../stats/index.ts';
import type { Summary } from '../summary/summarize.ts';

/** The metrics the check tracks, read from the `ci` grid's summary. */
export const METRICS = ['speedup w2 vs single', 'efficiency w2', 'speedup w1 vs single'] as const;
export type MetricName = (typeof METRICS)[number];

export interface BaselineFile {
  schema: 'chunkbench.baseline/1';
  grid: string;
  createdAt: string;
  commit: string | null;
  machine: { cores: number; cpuModel: string };
  tolerance: number;
  metrics: Record<MetricName, { value: number; lo: number; hi: number }>;
}

export type Verdict = 'regressed' | 'improved' | 'no change';

export interface MetricVerdict {
  metric: MetricName;
  baseline: number | null;
  floor: number;
  now: RatioEstimate;
  change: number | null;
  verdict: Verdict;
  reason: string;
}

/** Values from a ci-grid summary. */
export function readMetrics(summary: Summary): Record<MetricName, RatioEstimate> {
  const chunked = (workers: number) => summary.configs.find((c) => c.config.mode === 'chunked' && c.config.workers === workers);
  const w2 = chunked(2)?.speedup.single;
  const w1 = chunked(1)?.speedup.single;
  const e2 = chunked(2)?.efficiency.single;
  if (!w2 || !w1 || !e2) throw new Error('the ci grid summary lacks chunked w1/w2 speedups over single');
  return { 'speedup w2 vs single': w2, 'efficiency w2': e2, 'speedup w1 vs single': w1 };
}

/** Floors a healthy pipeline stays above on a machine with `cores` cores (tiny fixture: short chunks). */
export function floors(cores: number): Record<MetricName, number> {
  const w2 = cores >= 2 ? 1.25 : 0.8; // two workers on two cores must gain a quarter; on one core, not lose a fifth
  return { 'speedup w2 vs single': w2, 'efficiency w2': w2 / 2, 'speedup w1 vs single': 0.8 };
}

/** Verdict for one metric. */
export function judge(metric: MetricName, now: RatioEstimate, baseline: number | null, floor: number, tolerance: number): MetricVerdict {
  const change = baseline === null ? null : now.point / baseline - 1;
  if (now.hi < floor) return { metric, baseline, floor, now, change, verdict: 'regressed', reason: `the whole 95% CI is below the floor ${floor.toFixed(2)} for this core count` };
  if (baseline !== null && now.hi < baseline * (1 - tolerance)) return { metric, baseline, floor, now, change, verdict: 'regressed', reason: `the whole 95% CI is below baseline × (1 − ${tolerance})` };
  if (baseline !== null && now.lo > baseline * (1 + tolerance)) return { metric, baseline, floor, now, change, verdict: 'improved', reason: `the whole 95% CI is above baseline × (1 + ${tolerance})` };
  return { metric, baseline, floor, now, change, verdict: 'no change', reason: baseline === null ? 'no comparable baseline; floor only' : 'within the tolerance or the noise' };
}

/** Verdicts for every metric; the baseline counts only when it was taken with the same core count. */
export function compare(now: Record<MetricName, RatioEstimate>, baseline: BaselineFile | null, cores: number, tolerance: number): MetricVerdict[] {
  const usable = baseline && baseline.machine.cores === cores ? baseline : null;
  const floor = floors(cores);
  return METRICS.map((m) => judge(m, now[m], usable?.metrics[m]?.value ?? null, floor[m], tolerance));
}

/** The table the check prints. */
export function formatVerdicts(verdicts: MetricVerdict[], note: string): string {
  const rows = verdicts.map((v) => [v.metric, v.baseline === null ? '—' : v.baseline.toFixed(3), `${v.now.point.toFixed(3)} [${v.now.lo.toFixed(3)}, ${v.now.hi.toFixed(3)}]`, v.change === null ? '—' : `${v.change >= 0 ? '+' : ''}${(v.change * 100).toFixed(1)}%`, v.verdict.toUpperCase(), v.reason]);
  const head = ['metric', 'baseline', 'now [95% CI]', 'change', 'verdict', 'why'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), ...rows.map(line), note].join('\n') + '\n';
}
