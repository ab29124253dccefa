// A deliberate loss of parallelism, for showing that the CI gate catches one (npm run bench:check):
// CHUNKBENCH_CRIPPLE=L wraps the executor so that every chunk ends with a serial section — a global
// exclusive lock held, idle, for L / (W · (1 − L)) of the chunk's own time, W the pool's workers. The lock
// is exclusive in the reader–writer sense: a serial section waits until no chunk is running, and no chunk
// starts while one is pending or held, so nothing runs during it. For N chunks of time d on W workers the
// run gains N · L/(W(1 − L)) · d ≈ wall · L/(1 − L) of serial time: the speedup falls by about L (more,
// where the waits for running chunks add idle time). The record says what was done: `cripple.fraction`
// and the serial milliseconds added; bench:check measures what it cost.
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
  const cripple = { fraction, serialMs: 0 };
  let running = 0;
  let idleWaiters: (() => void)[] = [];
  // every serial section queued so far, in order; a chunk starts only once they are all done
  let serial: Promise<void> = Promise.resolve();
  const whenIdle = () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)));
  return {
    name: inner.name,
    ...(inner.retriesInside ? { retriesInside: true } : {}),
    cripple,
    async run(task: ChunkTask, context: AttemptContext): Promise<ChunkOutcome> {
      await serial;
      running++;
      let outcome: ChunkOutcome;
      try {
        outcome = await inner.run(task, context);
      } finally {
        running--;
        if (running === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const wake of waiters) wake();
        }
      }
      const holdMs = share * outcome.spawnToExitMs;
      const mine = serial.then(whenIdle).then(() => sleep(holdMs));
      serial = mine;
      await mine;
      cripple.serialMs += holdMs;
      return outcome;
    },
    ...(inner.close ? { close: () => inner.close?.() ?? Promise.resolve() } : {}),
  };
}
