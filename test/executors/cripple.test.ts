import { describe, expect, it } from 'vitest';
import { crippledExecutor, crippleFraction } from '../../src/executors/cripple.ts';
import type { ChunkExecutor, ChunkOutcome } from '../../src/executors/types.ts';

const outcome = (spawnToExitMs: number): ChunkOutcome => ({ command: 'ffmpeg', exitCode: 0, signal: null, timedOut: false, spawnToExitMs, bench: null, framesOut: null, stderrTail: '', stdout: '' });
const inner: ChunkExecutor = { name: 'local', run: async (task) => outcome(task.durationSeconds * 1000) };
const task = (index: number, seconds: number) => ({ index, args: [], outputPath: `c${index}`, expectedFrames: null, durationSeconds: seconds });
const context = { workerId: 0, attempt: 1, signal: new AbortController().signal };

describe('CHUNKBENCH_CRIPPLE', () => {
  it('reads the fraction, and names the variable and what it accepts when it is wrong', () => {
    expect(crippleFraction({})).toBe(0);
    expect(crippleFraction({ CHUNKBENCH_CRIPPLE: '0.15' })).toBe(0.15);
    expect(() => crippleFraction({ CHUNKBENCH_CRIPPLE: '1.5' })).toThrow('CHUNKBENCH_CRIPPLE=1.5: expected the fraction of the speedup to remove, a number in [0, 1) such as 0.15');
  });

  it('holds one global lock, idle, for L / (W (1 − L)) of each chunk’s time, in arrival order, and records it', async () => {
    const held: { start: number; ms: number }[] = [];
    let clock = 0;
    const sleep = async (ms: number) => {
      held.push({ start: clock, ms });
      clock += ms;
    };
    // L = 0.2 with 2 workers: 0.2 / (2 · 0.8) = 0.125 of each chunk's time
    const executor = crippledExecutor(inner, 0.2, 2, sleep);
    await Promise.all([executor.run(task(0, 4), context), executor.run(task(1, 8), context)]);
    expect(held.map((h) => h.ms)).toEqual([500, 1000]);
    // serial: the second hold starts when the first ends
    expect(held[1]?.start).toBe(500);
    expect(executor.cripple).toEqual({ fraction: 0.2, serialMs: 1500 });
  });
});
