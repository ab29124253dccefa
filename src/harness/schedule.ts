// The run order: warmup rounds, then `repeats` rounds; each round runs every configuration once, in an
// order shuffled with a seed derived from the run's seed and the round. Interleaving spreads machine
// drift evenly over the configurations, and puts each configuration and its baselines in the same round,
// so speedups are ratios of runs taken minutes, not hours, apart. Pure: resume recomputes it exactly.
import { mulberry32, seedFrom, shuffle } from '../stats/index.ts';

/** One run of the schedule; `seq` is its position, the key that makes resume exact. */
export interface ScheduledRun {
  seq: number;
  round: number;
  warmup: boolean;
  configId: string;
}

/** The full schedule for a run; `roundsOf` gives a configuration that runs fewer measured rounds than
 * `repeats` its own count (a sweep's `repeats`): it runs in the first rounds only, and every warmup. */
export function buildSchedule(configIds: readonly string[], repeats: number, warmupRounds: number, seed: number, roundsOf: (id: string) => number = () => repeats): ScheduledRun[] {
  const runs: ScheduledRun[] = [];
  const rounds = [...Array.from({ length: warmupRounds }, (_, w) => ({ round: w, warmup: true })), ...Array.from({ length: repeats }, (_, r) => ({ round: r, warmup: false }))];
  for (const { round, warmup } of rounds) {
    const ids = warmup ? configIds : configIds.filter((id) => roundsOf(id) > round);
    const order = shuffle(ids, mulberry32(seedFrom(`${seed}:${warmup ? 'warmup' : 'round'}:${round}`)));
    for (const configId of order) runs.push({ seq: runs.length, round, warmup, configId });
  }
  return runs;
}
