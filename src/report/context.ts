// The context every section is computed from, and the one comparison the page makes between two
// configurations: a ratio of wall times paired by round (the runs were interleaved in rounds, so drift
// that hits both cancels), the same statistic as the summary's speedups (stats/ratio.ts).
import type { ResultLine, RunMeta } from '../harness/store.ts';
import type { Projection } from '../simulate/index.ts';
import { describe, pairedRatio, ratioFromLogs, estimateOnly, type RatioEstimate } from '../stats/index.ts';
import type { Estimate } from './format.ts';
import type { Summary } from '../summary/summarize.ts';
import { centreConfig, type GridConfig } from '../grid/expand.ts';
import { shortLabel } from './labels.ts';
import type { ReportContext } from './section.ts';

/** Wall times of a configuration's successful measured runs, by round. */
export function wallByRound(results: readonly ResultLine[], configId: string): Map<number, number> {
  return new Map(results.filter((l) => l.configId === configId && !l.warmup && l.state === 'ok').map((l) => [l.round, l.wallMs]));
}

/** wall(a) / wall(b), geometric mean of per-round ratios with its paired 95% CI; null with no common round. */
export function pairedWallRatio(results: readonly ResultLine[], aId: string, bId: string): RatioEstimate | null {
  const a = wallByRound(results, aId);
  const b = wallByRound(results, bId);
  const rounds = [...a.keys()].filter((r) => b.has(r)).sort((x, y) => x - y);
  if (!rounds.length) return null;
  return pairedRatio(rounds.map((r) => a.get(r) as number), rounds.map((r) => b.get(r) as number));
}

/** (single_a / a) / (single_b / b) per round: how much more `a` gains over its own single than `b` over its
 * own, paired by round; null with no round all four completed. */
export function ratioOfSpeedups(results: readonly ResultLine[], a: { id: string; singleId: string }, b: { id: string; singleId: string }): RatioEstimate | null {
  const [ca, sa, cb, sb] = [a.id, a.singleId, b.id, b.singleId].map((id) => wallByRound(results, id)) as [Map<number, number>, Map<number, number>, Map<number, number>, Map<number, number>];
  const rounds = [...ca.keys()].filter((r) => sa.has(r) && cb.has(r) && sb.has(r));
  if (!rounds.length) return null;
  const logs = rounds.map((r) => Math.log((sa.get(r) as number) / (ca.get(r) as number)) - Math.log((sb.get(r) as number) / (cb.get(r) as number)));
  return estimateOnly(ratioFromLogs(logs));
}

/** The share of the wall time a configuration spends in `phases`, per successful measured run: the mean
 * over runs with its Student-t 95% CI; null without two such runs. */
export function phaseShare(results: readonly ResultLine[], configId: string, phases: readonly ('probeMs' | 'splitMs' | 'processMs' | 'mergeMs')[]): Estimate | null {
  const shares = results.filter((l) => l.configId === configId && !l.warmup && l.state === 'ok' && l.record).map((l) => phases.reduce((s, p) => s + (l.record?.phases[p] ?? 0), 0) / l.wallMs);
  if (shares.length < 2) return null;
  const d = describe(shares);
  return { point: d.mean, lo: d.ci95.lo, hi: d.ci95.hi, n: d.n };
}

/** The configuration short labels are relative to: the centre, measured or not (a grid may sweep around
 * it without running it). */
export function labelReference(meta: RunMeta, measured?: GridConfig): GridConfig | undefined {
  if (measured) return measured;
  try {
    return meta.configs.find((c) => c.id === meta.centreId) ?? centreConfig(meta.grid);
  } catch {
    return undefined;
  }
}

/** The context of one report. */
export function reportContext(meta: RunMeta, results: ResultLine[], summary: Summary, cluster: Projection | null): ReportContext {
  const centre = summary.configs.find((c) => c.configId === summary.centreId) ?? null;
  const byId = new Map(meta.configs.map((c) => [c.id, c]));
  const short = meta.configs.map((c) => [c.id, shortLabel(c, labelReference(meta, centre?.config))] as const);
  // two configurations that differ only in what the short label leaves out keep their full labels
  const counts = new Map<string, number>();
  for (const [, l] of short) counts.set(l, (counts.get(l) ?? 0) + 1);
  const labels = new Map(short.map(([id, l]) => [id, (counts.get(l) ?? 0) > 1 ? (byId.get(id)?.label ?? l) : l]));
  // configurations a sweep ran for fewer rounds than the grid's (CRF points of a rate–quality curve) are
  // there for their bits: their timing, two runs wide, stays out of every timing comparison on the page
  // (compression reads the result lines, not this list)
  const timed = { ...summary, configs: summary.configs.filter((c) => c.config.rounds === undefined || c.configId === summary.centreId) };
  return {
    meta,
    results,
    summary: timed,
    centre,
    cores: summary.cores,
    label: (id) => labels.get(id) ?? byId.get(id)?.label ?? id,
    cluster,
  };
}
