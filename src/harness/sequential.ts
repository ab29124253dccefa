// Sequential sampling for the headline: after the grid's own rounds, more rounds of only the configurations
// the page leads with — the centre (the configuration the team ships, declared in the grid before any data),
// its `single` and `single-mt` baselines, and the machine's ceiling for the centre's worker count — until
// the headline's 95% CI is narrow enough (half-width ≤ 3% of the point by default) or the time budget is
// spent. The stopping rule looks only at the interval's width, never at the point estimate, so it cannot
// steer the estimate toward a preferred value (a fixed-width rule; Chow & Robbins 1965 show such rules keep
// their nominal coverage as the target narrows). Pure functions; the runner executes what they decide.
import { ratioCI } from '../stats/index.ts';
import { findBaseline, type BaselineName } from '../summary/summarize.ts';
import { ceilingId, type CeilingLine } from './ceiling.ts';
import type { SequentialSpec } from './runner.ts';
import type { ResultLine, RunMeta, SequentialRecord } from './store.ts';

export const DEFAULT_TARGET_HALF_WIDTH = 0.03;
/** Rounds in all (the grid's and the added) past which no more are added, whatever the budget. */
export const MAX_TOTAL_ROUNDS = 40;

/** The headline comparisons: the centre against each baseline the grid has. */
export interface HeadlinePlan {
  centreId: string;
  baselines: { name: BaselineName; configId: string }[];
  ceilingId: string | null;
  /** Every schedule id a sequential round runs. */
  ids: string[];
}

/** The centre and its single / single-mt baselines, and the ceiling for its workers; null without a centre
 * in the grid or without a baseline to compare it with. */
export function headlinePlan(meta: Pick<RunMeta, 'centreId' | 'configs' | 'ceiling'>, cores: number): HeadlinePlan | null {
  const centre = meta.configs.find((c) => c.id === meta.centreId);
  if (!centre) return null;
  const baselines: HeadlinePlan['baselines'] = [];
  for (const name of ['single', 'single-mt'] as const) {
    const config = findBaseline(centre, meta.configs, name);
    if (config) baselines.push({ name, configId: config.id });
  }
  if (!baselines.length) return null;
  const n = Math.min(centre.workers, cores);
  const ceiling = meta.ceiling?.workers.includes(n) ? ceilingId(n) : null;
  return { centreId: centre.id, baselines, ceilingId: ceiling, ids: [centre.id, ...baselines.map((b) => b.configId), ...(ceiling ? [ceiling] : [])] };
}

/** Wall times of a configuration's successful measured runs, by round. */
function byRound(lines: ResultLine[], configId: string): Map<number, number> {
  return new Map(lines.filter((l) => !l.warmup && l.configId === configId && l.state === 'ok').map((l) => [l.round, l.wallMs]));
}

/** The widest relative half-width, (hi − lo) / (2 · point), of the headline's paired speedups; null while
 * a comparison has fewer than two paired rounds. */
export function headlineHalfWidth(plan: HeadlinePlan, lines: ResultLine[]): number | null {
  const centre = byRound(lines, plan.centreId);
  let widest = 0;
  for (const b of plan.baselines) {
    const base = byRound(lines, b.configId);
    const rounds = [...centre.keys()].filter((r) => base.has(r));
    if (rounds.length < 2) return null;
    const r = ratioCI(rounds.map((k) => base.get(k) as number), rounds.map((k) => centre.get(k) as number), { paired: true });
    widest = Math.max(widest, (r.hi - r.lo) / (2 * r.point));
  }
  return widest;
}

/** Seconds one more sequential round is expected to take: the mean stored time of each member, plus what
 * verification and start-up add (the ratio of elapsed time to summed wall time so far). */
export function roundSecondsEstimate(plan: HeadlinePlan, lines: ResultLine[], ceilings: CeilingLine[], overheadFactor: number): number {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const measured = (id: string) => mean(lines.filter((l) => !l.warmup && l.configId === id && l.state === 'ok').map((l) => l.wallMs));
  const ceiling = plan.ceilingId ? mean(ceilings.filter((c) => c.configId === plan.ceilingId && c.state === 'ok').map((c) => c.aloneMs + c.togetherMs)) : 0;
  const runsMs = [plan.centreId, ...plan.baselines.map((b) => b.configId)].reduce((sum, id) => sum + measured(id), 0);
  return ((runsMs + ceiling) * overheadFactor) / 1000;
}

export interface SequentialState {
  halfWidth: number | null;
  elapsedSeconds: number;
  roundSeconds: number;
  roundsSoFar: number;
}

/** Continue (null) or the reason to stop. */
export function stopReason(state: SequentialState, target: number, budgetSeconds: number | null): SequentialRecord['stoppedBecause'] | null {
  if (state.halfWidth !== null && state.halfWidth <= target) return 'target met';
  if (state.roundsSoFar >= MAX_TOTAL_ROUNDS) return 'round cap';
  if (budgetSeconds === null) return 'no budget';
  if (state.elapsedSeconds + state.roundSeconds > budgetSeconds) return 'budget';
  return null;
}

/** The runner's sequential spec for the headline, writing what it did into `record` as it goes. */
export function headlineSpec(meta: RunMeta, clock: { elapsedSeconds: () => number; overheadFactor: () => number }, record: SequentialRecord): SequentialSpec | undefined {
  const plan = headlinePlan(meta, meta.machine.cores);
  Object.assign(record, { targetHalfWidth: meta.grid.targetHalfWidth ?? DEFAULT_TARGET_HALF_WIDTH, budgetSeconds: meta.grid.budgetSeconds ?? null, configIds: plan?.ids ?? [], addedRounds: 0, halfWidth: null, stoppedBecause: plan ? 'interrupted' : 'no headline' } satisfies SequentialRecord);
  if (!plan) return undefined;
  return {
    ids: plan.ids,
    decide: ({ lines, ceilings }, rounds) => {
      record.addedRounds = rounds - meta.grid.repeats;
      record.halfWidth = headlineHalfWidth(plan, lines);
      const reason = stopReason({ halfWidth: record.halfWidth, elapsedSeconds: clock.elapsedSeconds(), roundSeconds: roundSecondsEstimate(plan, lines, ceilings, clock.overheadFactor()), roundsSoFar: rounds }, record.targetHalfWidth, record.budgetSeconds);
      record.stoppedBecause = reason ?? 'interrupted';
      return reason !== null;
    },
  };
}
