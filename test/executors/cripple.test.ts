import { describe, expect, it } from 'vitest';
import { crippledExecutor, crippleFraction } from '../../src/executors/cripple.ts';
import type { ChunkExecutor, ChunkOutcome } from '../../src/executors/types.ts';

const outcome = (spawnToExitMs: number): ChunkOutcome => ({ command: 'ffmpeg', exitCode: 0, signal: null, timedOut: false, spawnToExitMs, bench: null, framesOut: null, stderrTail: '', stdout: '' });
const task = (index: number, seconds: number) => ({ index, args: [], outputPath: `c${index}`, expectedFrames: null, durationSeconds: seconds });
const context = { workerId: 0, attempt: 1, signal: new AbortController().signal };

/** A virtual clock: chunks "run" for their seconds, the serial sections for what they are asked. */
function virtual() {
  let now = 0;
  const timers: { at: number; fire: () => void }[] = [];
  const wait = (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, fire: resolve }));
  const events: string[] = [];
  const inner: ChunkExecutor = {
    name: 'local',
    run: async (t) => {
      events.push(`start ${t.index} @${now}`);
      await wait(t.durationSeconds * 1000);
      events.push(`end ${t.index} @${now}`);
      return outcome(t.durationSeconds * 1000);
    },
  };
  const sleep = async (ms: number) => {
    events.push(`hold ${ms} @${now}`);
    await wait(ms);
  };
  /** Fires timers in time order until none is left. */
  async function drain(): Promise<number> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (!next) return now;
      now = next.at;
      next.fire();
    }
  }
  return { inner, sleep, events, drain };
}

describe('CHUNKBENCH_CRIPPLE', () => {
  it('reads the fraction, and names the variable and what it accepts when it is wrong', () => {
    expect(crippleFraction({})).toBe(0);
    expect(crippleFraction({ CHUNKBENCH_CRIPPLE: '0.15' })).toBe(0.15);
    expect(() => crippleFraction({ CHUNKBENCH_CRIPPLE: '1.5' })).toThrow('CHUNKBENCH_CRIPPLE=1.5: expected the fraction of the speedup to remove, a number in [0, 1) such as 0.15');
  });

  it('holds an exclusive lock, with nothing running, for L / (W (1 − L)) of each chunk’s time, and records it', async () => {
    const v = virtual();
    // L = 0.2 with 2 workers: 0.2 / (2 · 0.8) = 0.125 of each chunk's time
    const executor = crippledExecutor(v.inner, 0.2, 2, v.sleep);
    // two workers, each taking a second chunk when its first returns
    const worker = async (a: number, b: number) => {
      await executor.run(task(a, 4), context);
      await executor.run(task(b, 4), context);
    };
    const done = Promise.all([worker(0, 1), worker(2, 3)]);
    const end = await v.drain();
    await done;
    // both first chunks end at 4 s; two serial holds of 0.5 s back to back; then the second chunks together
    expect(v.events).toEqual(['start 0 @0', 'start 2 @0', 'end 0 @4000', 'end 2 @4000', 'hold 500 @4000', 'hold 500 @4500', 'start 1 @5000', 'start 3 @5000', 'end 1 @9000', 'end 3 @9000', 'hold 500 @9000', 'hold 500 @9500']);
    // 8 s of parallel work took 10 s: the 2-way speedup falls from 2 to 1.6, by L = 20%
    expect(end).toBe(10_000);
    expect(executor.cripple).toEqual({ fraction: 0.2, serialMs: 2000 });
  });
});
