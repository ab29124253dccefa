import { describe, expect, it } from 'vitest';
import type { ChunkExecutor, ChunkTask } from '../../src/executors/types.ts';
import type { ProcessOutcome } from '../../src/ffmpeg/exec.ts';
import { runPool, scheduleOrder } from '../../src/pipeline/process.ts';
import type { Segment } from '../../src/pipeline/types.ts';

const segment = (index: number, durationSeconds: number): Segment => ({ index, startFrame: index * 10, frameCount: 10, startSeconds: index, durationSeconds, inputBytes: 0 });
const task = (s: Segment): ChunkTask => ({ index: s.index, args: [], outputPath: '/nonexistent', expectedFrames: s.frameCount, durationSeconds: s.durationSeconds });
const outcome = (over: Partial<ProcessOutcome> = {}): ProcessOutcome => ({
  command: 'fake', exitCode: 0, signal: null, timedOut: false, spawnToExitMs: 0, bench: { utimeMs: 5, stimeMs: 1, rtimeMs: 4, maxrssKb: 1 }, framesOut: 10, stderrTail: '', stdout: '', ...over,
});

/** A deterministic executor on a virtual clock: a chunk of d seconds takes d × 1000 virtual ms. */
function virtualExecutor(fail: (index: number) => Partial<ProcessOutcome> | null = () => null) {
  let now = 0;
  const pending: { at: number; resolve: () => void }[] = [];
  const executor: ChunkExecutor = {
    name: 'virtual',
    async run(t) {
      const at = now + t.durationSeconds * 1000;
      await new Promise<void>((resolve) => {
        pending.push({ at, resolve });
        // advance the virtual clock to the earliest pending completion once every worker is waiting
        queueMicrotask(() => setTimeout(() => {
          pending.sort((a, b) => a.at - b.at);
          const next = pending.shift();
          if (next) { now = next.at; next.resolve(); }
        }, 0));
      });
      return outcome(fail(t.index) ?? {});
    },
  };
  return { executor, clock: () => now };
}

describe('scheduleOrder', () => {
  it('puts the longest chunks first, ties by index', () => {
    const order = scheduleOrder([segment(0, 10), segment(1, 10), segment(2, 4), segment(3, 12)].map(task));
    expect(order.map((t) => t.index)).toEqual([3, 0, 1, 2]);
  });
});

describe('runPool', () => {
  it('pulls chunks dynamically: a free worker takes the next chunk', async () => {
    const segments = [segment(0, 3), segment(1, 1), segment(2, 1), segment(3, 1)];
    const { executor, clock } = virtualExecutor();
    const records = await runPool(segments.map(task), segments, { workers: 2, executor, clock, originMs: 0 });
    // worker 0 runs the 3 s chunk; worker 1 runs the three 1 s chunks back to back
    expect(records.map((r) => [r.index, r.workerId, r.startMs, r.endMs])).toEqual([
      [0, 0, 0, 3000],
      [1, 1, 0, 1000],
      [2, 1, 1000, 2000],
      [3, 1, 2000, 3000],
    ]);
    expect(records.every((r) => r.state === 'ok')).toBe(true);
  });

  it('never uses more workers than there are chunks', async () => {
    const segments = [segment(0, 1)];
    const { executor, clock } = virtualExecutor();
    const records = await runPool(segments.map(task), segments, { workers: 8, executor, clock, originMs: 0 });
    expect(records).toHaveLength(1);
  });

  it('records a failed chunk with the reason first and stops taking new chunks', async () => {
    const segments = [segment(0, 1), segment(1, 1), segment(2, 1), segment(3, 1)];
    const { executor, clock } = virtualExecutor((i) => (i === 0 ? { exitCode: 1, stderrTail: 'Error while filtering' } : null));
    const records = await runPool(segments.map(task), segments, { workers: 1, executor, clock, originMs: 0 });
    expect(records).toHaveLength(1);
    expect(records[0]?.state).toBe('failed');
    expect(records[0]?.error).toMatch(/^chunk 0 \(0\.000–1\.000 s\) failed: exit code 1; ffmpeg said: Error while filtering/);
  });

  it('fails a chunk that wrote a different number of frames than planned', async () => {
    const segments = [segment(0, 1)];
    const { executor, clock } = virtualExecutor(() => ({ framesOut: 9 }));
    const [record] = await runPool(segments.map(task), segments, { workers: 1, executor, clock, originMs: 0 });
    expect(record?.state).toBe('failed');
    expect(record?.error).toBe('chunk 0 wrote 9 frames, expected 10');
  });
});
