// The CI gate's statistics, pure functions of the stored runs. It must fail a change that makes the pipeline
// less parallel and must not fail unchanged code on a busy or different runner. The runner's capacity
// swings by a third within seconds on a shared VM, so the raw speedup is partly a reading of the
// neighbours; the gate judges instead the speedup's share of the machine's own 2-way ceiling measured in
// the same rounds (harness/ceiling.ts):
//   per round i   xᵢ = ln(singleᵢ / chunkedᵢ) − ln(ceilingᵢ),  ceilingᵢ = 2 · aloneᵢ / togetherᵢ
// A neighbour's load lowers the speedup and the ceiling alike and cancels; lost parallelism lowers only
// the speedup.
//
// Against a baseline (its own n, mean and sd of xᵢ, stored), the change r = exp(x̄ − x̄_base) gets a Welch
// t interval that carries both samples' uncertainty (stats/ratio.ts). Sequential test, looked at after
// every round from the grid's own rounds up to a cap (rounds are added to the same sample, never a second
// measurement that replaces the first):
//   REGRESSED  the whole 95% CI of r is below 1 − tolerance/2, or at the cap the point is below
//              1 − tolerance and the CI below 1;
//   NO CHANGE  the CI's lower end is above 1 − tolerance (a loss as large as the tolerance is excluded),
//              or the cap is reached without a regression;
//   IMPROVED   (reported, never a failure) the whole CI above 1 + tolerance/2.
// Each look is a 95% interval; the margin of tolerance/2 between "no change" and the regression line keeps
// the repeated looks from adding up to false alarms (npm run bench:check measures the rate).
// INCONCLUSIVE  the ceiling itself is below MIN_CEILING: two ffmpegs at once barely beat one, so the
//              machine cannot show parallelism at all and no verdict about it is possible.
import type { CeilingLine } from '../harness/ceiling.ts';
import type { HeadlinePlan } from '../harness/sequential.ts';
import type { ResultLine } from '../harness/store.ts';
import { logSummary, ratioFromLogs, ratioOfLogSummaries, type LogSummary, type RatioEstimate } from '../stats/index.ts';

/** Below this 2-way ceiling (point estimate) the runner cannot judge parallelism. */
export const MIN_CEILING = 1.2;
/** Without a comparable baseline: the least share of the ceiling a healthy pipeline reaches (it measured
 * 0.80–0.90 on the `small` fixture; a pool that runs one chunk at a time reaches ~0.45). */
export const SHARE_FLOOR = 0.6;

/** One round's measurements. */
export interface GateRound {
  round: number;
  singleMs: number;
  chunkedMs: number;
  ceiling: number;
}

/** What the gate measured: per-round values, and the three estimates it prints. */
export interface GateSample {
  rounds: GateRound[];
  /** The statistic judged: the log share of the ceiling per round. */
  logs: number[];
  share: RatioEstimate;
  speedup: RatioEstimate;
  ceiling: RatioEstimate;
}

export type GateVerdict = 'regressed' | 'no change' | 'improved' | 'inconclusive' | 'undecided';

export interface GateDecision {
  verdict: GateVerdict;
  reason: string;
  /** r = share now / share in the baseline, with its Welch CI (null without a baseline). */
  change: RatioEstimate | null;
}

/** The baseline's statistic as stored. */
export interface BaselineShare {
  n: number;
  meanLog: number;
  sdLog: number;
}

const strip = ({ point, lo, hi, n, method }: RatioEstimate): RatioEstimate => ({ point, lo, hi, n, method });

/** Rounds where single, the chunked centre and the ceiling all succeeded; null below two rounds. */
export function gateSample(plan: HeadlinePlan, lines: ResultLine[], ceilings: CeilingLine[]): GateSample | null {
  const single = plan.baselines.find((b) => b.name === 'single');
  if (!single || !plan.ceilingId) return null;
  const ok = (id: string) => new Map(lines.filter((l) => !l.warmup && l.configId === id && l.state === 'ok').map((l) => [l.round, l.wallMs]));
  const singles = ok(single.configId);
  const chunked = ok(plan.centreId);
  const ceiling = new Map(ceilings.filter((c) => !c.warmup && c.configId === plan.ceilingId && c.state === 'ok').map((c) => [c.round, c.ceiling]));
  const rounds = [...chunked.keys()]
    .filter((r) => singles.has(r) && ceiling.has(r))
    .sort((a, b) => a - b)
    .map((round) => ({ round, singleMs: singles.get(round) as number, chunkedMs: chunked.get(round) as number, ceiling: ceiling.get(round) as number }));
  if (rounds.length < 2) return null;
  const logs = rounds.map((r) => Math.log(r.singleMs / r.chunkedMs) - Math.log(r.ceiling));
  return {
    rounds,
    logs,
    share: strip(ratioFromLogs(logs)),
    speedup: strip(ratioFromLogs(rounds.map((r) => Math.log(r.singleMs / r.chunkedMs)))),
    ceiling: strip(ratioFromLogs(rounds.map((r) => Math.log(r.ceiling)))),
  };
}

/** The sample's statistic in the baseline file's shape. */
export function toBaselineShare(sample: GateSample): BaselineShare {
  const s = logSummary(sample.logs);
  return { n: sample.logs.length, meanLog: s.mean, sdLog: s.se * Math.sqrt(sample.logs.length) };
}

function baselineLog(b: BaselineShare): LogSummary {
  return { mean: b.meanLog, se: b.sdLog / Math.sqrt(b.n), df: b.n - 1 };
}

/** The verdict after a look at `sample`; `final` at the cap, where "undecided" is not an answer. */
export function decide(sample: GateSample, baseline: BaselineShare | null, tolerance: number, final: boolean): GateDecision {
  const change = baseline ? strip(ratioOfLogSummaries(logSummary(sample.logs), baselineLog(baseline), sample.logs.length)) : null;
  if (sample.ceiling.point < MIN_CEILING) {
    if (!final) return { verdict: 'undecided', reason: `the ceiling is ${sample.ceiling.point.toFixed(2)}×, below ${MIN_CEILING}: more rounds`, change };
    return { verdict: 'inconclusive', reason: `this runner's 2-way ceiling is ${sample.ceiling.point.toFixed(2)}× [${sample.ceiling.lo.toFixed(2)}, ${sample.ceiling.hi.toFixed(2)}] (two ffmpegs at once vs one alone), below ${MIN_CEILING}: it cannot show parallelism, so none was judged`, change };
  }
  if (!baseline || !change) {
    const { share } = sample;
    if (share.hi < SHARE_FLOOR) return { verdict: 'regressed', reason: `the whole 95% CI of the share of the ceiling is below the floor ${SHARE_FLOOR}`, change: null };
    if (share.lo > SHARE_FLOOR) return { verdict: 'no change', reason: `no comparable baseline; the share of the ceiling is above the floor ${SHARE_FLOOR}`, change: null };
    if (!final) return { verdict: 'undecided', reason: 'the CI spans the floor', change: null };
    return share.point < SHARE_FLOOR
      ? { verdict: 'regressed', reason: `at the round cap the share of the ceiling is below the floor ${SHARE_FLOOR}`, change: null }
      : { verdict: 'no change', reason: `no comparable baseline; at the round cap the share's CI still spans the floor ${SHARE_FLOOR}`, change: null };
  }
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  if (change.hi < 1 - tolerance / 2) return { verdict: 'regressed', reason: `the whole 95% CI of the change is below −${pct(tolerance / 2)}`, change };
  if (change.lo > 1 - tolerance) {
    if (change.lo > 1 + tolerance / 2) return { verdict: 'improved', reason: `the whole 95% CI of the change is above +${pct(tolerance / 2)}`, change };
    return { verdict: 'no change', reason: `a loss of ${pct(tolerance)} or more is excluded by the 95% CI`, change };
  }
  if (!final) return { verdict: 'undecided', reason: `the CI reaches both a ${pct(tolerance)} loss and no loss`, change };
  if (change.point < 1 - tolerance && change.hi < 1) return { verdict: 'regressed', reason: `at the round cap the change is beyond −${pct(tolerance)} and its CI below no change`, change };
  return { verdict: 'no change', reason: `at the round cap the CI still reaches a ${pct(tolerance)} loss, but no loss is not excluded: not a regression`, change };
}
