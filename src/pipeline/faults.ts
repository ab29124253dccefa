// Fault and straggler injection for experiments: which chunks are hit, and when. The draw is per chunk from
// a seeded generator (seed, chunk index), so the same chunks are hit at the same fraction of their run
// whatever the timing of the others; only first attempts are hit, so the measured cost is that of one
// failure per affected chunk, and a retry (a fresh worker) runs clean.
import type { FaultSpec } from '../executors/types.ts';
import { rngFrom } from '../stats/random.ts';

export interface FaultRates {
  /** Probability that a chunk's first attempt is SIGKILLed (a crashed worker). */
  kill: number;
  /** Probability that it is SIGSTOPped instead (a hung worker: a straggler). */
  stall: number;
  seed: number;
}

/** The fault (if any) for a chunk's first attempt, as a kind and a fraction of the attempt's run in (0.05, 0.95). */
export function drawFault(rates: FaultRates, chunkIndex: number): { kind: FaultSpec['kind']; fraction: number } | null {
  if (rates.kill <= 0 && rates.stall <= 0) return null;
  const rng = rngFrom(`${rates.seed}:fault:${chunkIndex}`);
  const draw = rng();
  const fraction = 0.05 + 0.9 * rng();
  if (draw < rates.kill) return { kind: 'kill', fraction };
  if (draw < rates.kill + rates.stall) return { kind: 'stall', fraction };
  return null;
}

/** The fault for an attempt expected to take `expectedMs`: it strikes at that fraction of its run. */
export function faultFor(rates: FaultRates, chunkIndex: number, attempt: number, expectedMs: number): FaultSpec | undefined {
  if (attempt !== 1) return undefined;
  const drawn = drawFault(rates, chunkIndex);
  return drawn ? { kind: drawn.kind, afterMs: Math.max(1, Math.round(drawn.fraction * expectedMs)) } : undefined;
}
