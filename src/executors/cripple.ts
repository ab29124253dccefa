// A deliberate loss of parallelism, for showing that the CI gate catches one (npm run bench:check):
// CHUNKBENCH_CRIPPLE=L wraps the executor so that every chunk ends with a serial critical section — a
// global lock held, idle, for L / (W · (1 − L)) of the chunk's own time, W the pool's workers. While one
// chunk holds the lock the others that finished wait for it, so per wave of W chunks the run gains about
// L / (1 − L) of a chunk's time in serial work: the speedup falls by about L. How much it really fell is
// measured (bench:check compares the gate's share of the ceiling with and without it); the record says
// what was done: `cripple.fraction` and the serial milliseconds added.
import type { AttemptContext, ChunkExecutor, ChunkOutcome, ChunkTask } from './types.ts';

/** The fraction from CHUNKBENCH_CRIPPLE (0 when unset); a value outside [0, 1) is an error naming it. */
export function crippleFraction(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CHUNKBENCH_CRIPPLE;
  if (raw === undefined || raw === '') return 0;
  const fraction = Number(raw);
  if (!(Number.isFinite(fraction) && fraction >= 0 && fraction < 1)) throw new RangeError(`CHUNKBENCH_CRIPPLE=${raw}: expected the fraction of the speedup to remove, a number in [0, 1) such as 0.15`);
  return fraction;
}

/** The wrapped executor and the serial time it has added so far. */
export interface CrippledExecutor extends ChunkExecutor {
  readonly cripple: { fraction: number; serialMs: number };
}

export function crippledExecutor(inner: ChunkExecutor, fraction: number, workers: number, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): CrippledExecutor {
  const share = fraction / (Math.max(1, workers) * (1 - fraction));
  let lock: Promise<void> = Promise.resolve();
  const cripple = { fraction, serialMs: 0 };
  return {
    name: inner.name,
    ...(inner.retriesInside ? { retriesInside: true } : {}),
    cripple,
    async run(task: ChunkTask, context: AttemptContext): Promise<ChunkOutcome> {
      const outcome = await inner.run(task, context);
      const holdMs = share * outcome.spawnToExitMs;
      // take the lock in arrival order; hold it idle for holdMs
      const mine = lock.then(() => sleep(holdMs));
      lock = mine;
      await mine;
      cripple.serialMs += holdMs;
      return outcome;
    },
    ...(inner.close ? { close: () => inner.close?.() ?? Promise.resolve() } : {}),
  };
}
