// A deliberate loss of parallelism, for showing that the CI gate catches one (npm run bench:check):
// CHUNKBENCH_CRIPPLE=L appends to a chunked run's process phase a serial section, idle, of
// elapsed · L / (1 − L), `elapsed` being the run's time from its probe to the end of the pool. The run's
// wall time becomes about elapsed / (1 − L), so its speedup (and its schedule efficiency) falls by L, less
// the merge's small share. It is Amdahl's serial part growing, as if a step ran on one worker while the
// others waited. The record says what was done: `cripple.fraction` and the serial milliseconds added.
//
// An executor wrapper that held a global lock after each chunk was tried first: it cannot know the run's
// wall time, and the other workers ran on while one held the lock, so CHUNKBENCH_CRIPPLE=0.15 cost about
// 7% (13% once the lock was made exclusive): not the loss it claimed.

/** The fraction from CHUNKBENCH_CRIPPLE (0 when unset); a value outside [0, 1) is an error naming it. */
export function crippleFraction(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CHUNKBENCH_CRIPPLE;
  if (raw === undefined || raw === '') return 0;
  const fraction = Number(raw);
  if (!(Number.isFinite(fraction) && fraction >= 0 && fraction < 1)) throw new RangeError(`CHUNKBENCH_CRIPPLE=${raw}: expected the fraction of the speedup to remove, a number in [0, 1) such as 0.15`);
  return fraction;
}

/** The serial section that makes a run of `elapsedMs` so far lose `fraction` of its speed. */
export function serialSectionMs(fraction: number, elapsedMs: number): number {
  return (elapsedMs * fraction) / (1 - fraction);
}
