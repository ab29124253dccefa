// "What happens if a worker fails?": the report's section on fault tolerance, a pure function of the stored
// runs. Configurations that differ only in the injected fault rate form a study: wall time against the
// rate, each rate's cost as a ratio to the fault-free runs of the same rounds (paired, so machine drift
// cancels), retries and faults that struck per run, the CPU thrown away, and how many outputs were still
// verified frame-exact. Configurations that differ only in speculation, with stalls injected, form the
// straggler study: with and without backup attempts.
import { keyWithout } from '../grid/expand.ts';
import type { ResultLine } from '../harness/store.ts';
import type { AttemptRecord } from '../pipeline/types.ts';
import { nonNegativeMean, ratioCI, type RatioEstimate } from '../stats/index.ts';
import type { Summary } from '../summary/summarize.ts';
import { changeCi, timesCi, typographicMinus, valueCi, verdict } from './format.ts';

/** "rose by +15.1% [+4.0%, +27.3%]" only where the interval excludes no change; else says it is unclear. */
const moved = (e: RatioEstimate): string => `${{ above: 'rose by', below: 'fell by', unclear: 'changed by' }[verdict(e)]} ${changeCi(e)}${verdict(e) === 'unclear' ? ' (not clearly: the interval includes no change)' : ''}`;

export interface FaultRow {
  rate: number;
  label: string;
  wall: { value: number; lo: number; hi: number };
  /** Wall time relative to the fault-free configuration, paired by round. */
  cost: RatioEstimate | null;
  faultsPerRun: number;
  retriesPerRun: number;
  /** Worker time spent in attempts that did not produce the chunk, per run, seconds (a killed ffmpeg
   * reports no CPU time of its own, so the loss is measured as the time its worker was busy with it). */
  lostWorkerSeconds: number;
  /** The three per-run figures as mean [95% CI] over the runs (cut at 0: counts and times). */
  perRunCi: { faults: PerRunCi; retries: PerRunCi; lostWorkerSeconds: PerRunCi };
  runs: number;
  verified: number;
}

export type PerRunCi = { value: number; lo: number; hi: number };

export interface StragglerRow {
  speculate: number;
  stalls: number;
  label: string;
  wall: { value: number; lo: number; hi: number };
  /** Wall time relative to the same stalls without speculation, paired by round. */
  vsOff: RatioEstimate | null;
  backupsPerRun: number;
  backupsWon: number;
  timeoutsPerRun: number;
  runs: number;
  verified: number;
}

export interface FaultsSection {
  rows: FaultRow[];
  stragglers: StragglerRow[];
  sentences: string[];
}

const attemptsOf = (line: ResultLine): AttemptRecord[] => line.record?.chunks.flatMap((c) => c.attempts ?? []) ?? [];
const perRun = (lines: ResultLine[], count: (l: ResultLine) => number) => (lines.length ? lines.reduce((s, l) => s + count(l), 0) / lines.length : 0);
/** A per-run figure's mean with its t-interval over the runs, cut at 0 (what it counts is never negative). */
const perRunCi = (lines: ResultLine[], count: (l: ResultLine) => number): PerRunCi => (lines.length ? nonNegativeMean(lines.map(count)) : { value: 0, lo: 0, hi: 0 });
const lostMs = (a: AttemptRecord) => (a.state === 'ok' ? 0 : a.endMs - a.startMs);

/** Ratio of candidate to baseline wall time over the rounds both measured. */
function pairedCost(candidate: ResultLine[], baseline: ResultLine[]): RatioEstimate | null {
  const base = new Map(baseline.filter((l) => l.state === 'ok').map((l) => [l.round, l.wallMs]));
  const pairs = candidate.filter((l) => l.state === 'ok' && base.has(l.round)).map((l) => [l.wallMs, base.get(l.round) as number] as const);
  if (pairs.length < 2) return null;
  const r = ratioCI(pairs.map((p) => p[0]), pairs.map((p) => p[1]), { paired: true });
  return { point: r.point, lo: r.lo, hi: r.hi, n: r.n, method: r.method };
}

export function faultsSection(results: ResultLine[], summary: Summary): FaultsSection | null {
  const measured = results.filter((l) => !l.warmup);
  const linesOf = (id: string) => measured.filter((l) => l.configId === id);
  const chunked = summary.configs.filter((c) => c.config.mode === 'chunked' && c.wallMs);
  const wall = (id: string) => {
    const w = summary.configs.find((c) => c.configId === id)?.wallMs;
    return { value: (w?.mean ?? 0) / 1000, lo: (w?.ci95.lo ?? 0) / 1000, hi: (w?.ci95.hi ?? 0) / 1000 };
  };

  // fault-rate study: same everything but injectFaults, including a fault-free point
  const byKey = new Map<string, typeof chunked>();
  for (const c of chunked.filter((c) => (c.config.injectStalls ?? 0) === 0)) {
    const key = keyWithout(c.config, 'injectFaults');
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  }
  const study = [...byKey.values()].filter((g) => g.length > 1 && g.some((c) => !c.config.injectFaults)).sort((a, b) => b.length - a.length)[0] ?? [];
  const zero = study.find((c) => !c.config.injectFaults);
  const rows: FaultRow[] = study
    .map((c) => {
      const lines = linesOf(c.configId);
      const perRunCis = {
        faults: perRunCi(lines, (l) => attemptsOf(l).filter((a) => a.fault?.fired).length),
        retries: perRunCi(lines, (l) => l.record?.chunks.reduce((s, ch) => s + (ch.retries ?? 0), 0) ?? 0),
        lostWorkerSeconds: perRunCi(lines, (l) => attemptsOf(l).reduce((s, a) => s + lostMs(a), 0) / 1000),
      };
      return {
        rate: c.config.injectFaults ?? 0,
        label: c.label,
        wall: wall(c.configId),
        cost: zero && c !== zero ? pairedCost(lines, linesOf(zero.configId)) : null,
        faultsPerRun: perRunCis.faults.value,
        retriesPerRun: perRunCis.retries.value,
        lostWorkerSeconds: perRunCis.lostWorkerSeconds.value,
        perRunCi: perRunCis,
        runs: lines.length,
        verified: lines.filter((l) => l.record?.verification?.ok).length,
      };
    })
    .sort((a, b) => a.rate - b.rate);

  // straggler study: stalls injected, speculation on and off
  const stallGroups = new Map<string, typeof chunked>();
  for (const c of chunked.filter((c) => (c.config.injectStalls ?? 0) > 0)) {
    const key = keyWithout(c.config, 'speculate');
    stallGroups.set(key, [...(stallGroups.get(key) ?? []), c]);
  }
  const stragglers: StragglerRow[] = [];
  for (const group of stallGroups.values()) {
    const off = group.find((c) => !c.config.speculate);
    for (const c of group) {
      const lines = linesOf(c.configId);
      stragglers.push({
        speculate: c.config.speculate ?? 0,
        stalls: c.config.injectStalls ?? 0,
        label: c.label,
        wall: wall(c.configId),
        vsOff: off && c !== off ? pairedCost(lines, linesOf(off.configId)) : null,
        backupsPerRun: perRun(lines, (l) => attemptsOf(l).filter((a) => a.speculative).length),
        backupsWon: lines.reduce((s, l) => s + attemptsOf(l).filter((a) => a.speculative && a.state === 'ok').length, 0),
        timeoutsPerRun: perRun(lines, (l) => attemptsOf(l).filter((a) => a.reason?.startsWith('timed out')).length),
        runs: lines.length,
        verified: lines.filter((l) => l.record?.verification?.ok).length,
      });
    }
  }
  stragglers.sort((a, b) => a.stalls - b.stalls || a.speculate - b.speculate);
  if (rows.length < 2 && stragglers.length < 2) return null;
  return { rows, stragglers, sentences: sentencesFor(rows, stragglers) };
}


/** The wall time one fault costs, seconds, from the highest rate's paired cost (its interval carried through;
 * the fault-free wall time taken as known): (ratio − 1) × fault-free wall ÷ faults per run. An average over
 * rates would have no interval to give. `clear` only where the paired interval excludes no change. */
export function perFaultCost(rows: FaultRow[]): { rate: number; point: number; lo: number; hi: number; clear: boolean } | null {
  const worst = rows.filter((r) => r.rate > 0 && r.cost).at(-1);
  const base = rows.find((z) => z.rate === 0)?.wall.value ?? 0;
  if (!worst?.cost || !(worst.faultsPerRun > 0) || !(base > 0)) return null;
  const c = worst.cost;
  const perFault = (ratio: number) => ((ratio - 1) * base) / worst.faultsPerRun;
  return { rate: worst.rate, point: perFault(c.point), lo: perFault(c.lo), hi: perFault(c.hi), clear: verdict(c) !== 'unclear' };
}

/** "0.24 s [−0.11, 0.69]". */
export const perFaultText = (e: { point: number; lo: number; hi: number }): string => typographicMinus(`${e.point.toFixed(2)} s [${e.lo.toFixed(2)}, ${e.hi.toFixed(2)}]`);

function sentencesFor(rows: FaultRow[], stragglers: StragglerRow[]): string[] {
  const sentences: string[] = [];
  const faulty = rows.filter((r) => r.rate > 0 && r.cost);
  const total = [...rows, ...stragglers].reduce((s, r) => s + r.runs, 0);
  const verified = [...rows, ...stragglers].reduce((s, r) => s + r.verified, 0);
  if (faulty.length) {
    const worst = faulty.at(-1) as FaultRow;
    sentences.push(`Killing a chunk's ffmpeg outright at a random point of its run, as a crashed worker would be (SIGKILL), costs a retry, not the run: at a fault rate of ${(worst.rate * 100).toFixed(0)}% per chunk, ${valueCi(worst.perRunCi.faults, 1, '')} faults struck per run and the wall time ${moved(worst.cost as RatioEstimate)} over the fault-free runs of the same rounds (95% CI, paired).`);
    const each = perFaultCost(rows);
    if (each) sentences.push(`At ${(each.rate * 100).toFixed(0)}%, each fault that struck cost ${perFaultText(each)} of wall time${each.clear ? '' : ' (not clearly more than nothing)'}: the part of the chunk already done is lost (${valueCi(worst.perRunCi.lostWorkerSeconds, 2, '')} worker-seconds per run) and the chunk runs again, on the other worker.`);
  }
  const withSpec = stragglers.filter((r) => r.speculate > 0 && r.vsOff);
  for (const r of withSpec) {
    const v = r.vsOff as RatioEstimate;
    // one format for this result everywhere on the page (answer, chart, table): the ratio with its interval
    const verdict = v.hi < 1 ? 'faster' : v.lo > 1 ? 'slower' : 'not clearly faster or slower (the interval includes 1×)';
    sentences.push(`Stragglers (a ${(r.stalls * 100).toFixed(0)}% chance per chunk of hanging): with speculative backups at ${r.speculate}× the expected chunk time, runs took ${timesCi(v)} the wall time of waiting for the hung chunk's timeout (95% CI, paired): ${verdict}; ${r.backupsPerRun.toFixed(1)} backups started per run, and ${r.backupsWon} of the ${Math.round(r.backupsPerRun * r.runs)} finished first.`);
  }
  if (total) sentences.push(`${verified} of ${total} outputs of these runs passed verification (frame count, durations, streams)${verified === total ? ': recovery never cost correctness' : ''}.`);
  return sentences;
}
