import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AttemptContext, ChunkExecutor, ChunkTask } from '../../src/executors/types.ts';
import type { ProcessOutcome } from '../../src/ffmpeg/exec.ts';
import { attemptPath, runPool, scheduleOrder } from '../../src/pipeline/process.ts';
import { drawFault, faultFor } from '../../src/pipeline/faults.ts';
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
    expect(record?.error).toBe('chunk 0 (0.000–1.000 s) failed: wrote 9 frames, expected 10');
  });
});

/** A real-time fake: each attempt takes `ms` (or hangs until cancelled) and ends with the given outcome. */
function timedExecutor(behaviour: (index: number, context: AttemptContext) => { ms: number | 'hang'; outcome?: Partial<ProcessOutcome> }) {
  const calls: { index: number; attempt: number; workerId: number; outputPath: string }[] = [];
  const executor: ChunkExecutor = {
    name: 'timed',
    run(t, context) {
      calls.push({ index: t.index, attempt: context.attempt, workerId: context.workerId, outputPath: t.outputPath });
      const { ms, outcome: over } = behaviour(t.index, context);
      return new Promise((resolve) => {
        const timer = ms === 'hang' ? undefined : setTimeout(() => resolve(outcome(over)), ms);
        context.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve(outcome({ exitCode: null, signal: 'SIGKILL', bench: null, framesOut: null }));
        }, { once: true });
      });
    },
  };
  return { executor, calls };
}

const equalSegments = (n: number, seconds = 0.02) => Array.from({ length: n }, (_, i) => segment(i, seconds));

// Retries, timeouts and speculation on vitest's fake timers: the executor's 20 ms chunks, the pool's
// watchdog and its clock (performance.now) all run on virtual time, so a loaded machine cannot make a
// 50 ms timeout fire early or late (these tests failed 1 run in 52 under load on real timers).
async function settled<T>(running: Promise<T>): Promise<T> {
  await vi.runAllTimersAsync();
  return running;
}

describe('runPool: retries, timeouts, speculation', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());
  it('retries a failed chunk on another worker and records both attempts', async () => {
    const segments = equalSegments(4);
    const { executor, calls } = timedExecutor((i, c) => ({ ms: 20, outcome: i === 1 && c.attempt === 1 ? { exitCode: 1, stderrTail: 'boom' } : {} }));
    const records = await settled(runPool(segments.map(task), segments, { workers: 2, executor, retries: 2 }));
    expect(records.map((r) => r.state)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const chunk = records[1];
    expect(chunk?.retries).toBe(1);
    expect(chunk?.attempts?.map((a) => [a.attempt, a.state, a.reason ?? ''])).toEqual([[1, 'failed', 'exit code 1'], [2, 'ok', '']]);
    const [first, second] = calls.filter((c) => c.index === 1);
    expect(second?.workerId).not.toBe(first?.workerId);
    // the retry wrote beside the chunk's path and the winner was renamed into place (here: nothing to rename)
    expect(second?.outputPath).toBe('/nonexistent.a2');
  });

  it('retries on the same worker when there is no other', async () => {
    const segments = equalSegments(2);
    const { executor, calls } = timedExecutor((i, c) => ({ ms: 5, outcome: i === 0 && c.attempt === 1 ? { exitCode: 1 } : {} }));
    const records = await settled(runPool(segments.map(task), segments, { workers: 1, executor, retries: 1 }));
    expect(records.map((r) => r.state)).toEqual(['ok', 'ok']);
    expect(calls.filter((c) => c.index === 0).map((c) => c.workerId)).toEqual([0, 0]);
  });

  it('fails the run when retries run out, naming the chunk, its range, the signal and the attempts', async () => {
    const segments = equalSegments(3);
    const { executor, calls } = timedExecutor((i) => ({ ms: 5, outcome: i === 2 ? { exitCode: null, signal: 'SIGKILL', stderrTail: 'last words' } : {} }));
    const records = await settled(runPool(segments.map(task), segments, { workers: 2, executor, retries: 2 }));
    const chunk = records.find((r) => r.index === 2);
    expect(chunk?.state).toBe('failed');
    expect(chunk?.error).toBe('chunk 2 (2.000–2.020 s) failed after 3 attempts: killed by SIGKILL; ffmpeg said: last words');
    expect(calls.filter((c) => c.index === 2)).toHaveLength(3);
    expect(chunk?.retries).toBe(2);
  });

  it('kills an attempt that runs past its timeout (a multiple of the median chunk time) and retries it', async () => {
    const segments = equalSegments(6);
    const { executor } = timedExecutor((i, c) => ({ ms: i === 5 && c.attempt === 1 ? 'hang' : 20 }));
    const records = await settled(runPool(segments.map(task), segments, { workers: 2, executor, retries: 1, timeoutFactor: 5, minTimeoutMs: 50 }));
    expect(records.every((r) => r.state === 'ok')).toBe(true);
    const [first, second] = records[5]?.attempts ?? [];
    expect(first?.state).toBe('failed');
    expect(first?.reason).toMatch(/^timed out after \d+ ms$/);
    expect(first?.timeoutMs).toBeGreaterThanOrEqual(50);
    expect(first ? first.endMs - first.startMs : 0).toBeGreaterThanOrEqual(first?.timeoutMs ?? Infinity);
    expect(second?.state).toBe('ok');
  });

  it('honours a fixed timeout', async () => {
    const segments = equalSegments(1);
    const { executor } = timedExecutor(() => ({ ms: 'hang' }));
    const [record] = await settled(runPool(segments.map(task), segments, { workers: 1, executor, retries: 0, timeoutMs: 30 }));
    expect(record?.error).toBe('chunk 0 (0.000–0.020 s) failed: timed out after 30 ms');
  });

  it('starts a speculative backup of a straggler on an idle worker; the first result wins, the other is killed', async () => {
    const segments = equalSegments(6);
    const { executor } = timedExecutor((i, c) => ({ ms: i === 5 && c.attempt === 1 ? 'hang' : 20 }));
    const records = await settled(runPool(segments.map(task), segments, { workers: 2, executor, retries: 0, timeoutFactor: 1000, speculate: 3 }));
    expect(records.every((r) => r.state === 'ok')).toBe(true);
    const attempts = records[5]?.attempts ?? [];
    expect(attempts.map((a) => [a.attempt, a.speculative, a.state, a.reason ?? ''])).toEqual([[1, false, 'cancelled', 'lost-race'], [2, true, 'ok', '']]);
    expect(records[5]?.retries).toBe(0);
  });

  it('does not speculate when speculation is off: the straggler is left to its timeout', async () => {
    const segments = equalSegments(6);
    const { executor, calls } = timedExecutor((i, c) => ({ ms: i === 5 && c.attempt === 1 ? 'hang' : 20 }));
    const records = await settled(runPool(segments.map(task), segments, { workers: 2, executor, retries: 1, timeoutFactor: 8, minTimeoutMs: 10 }));
    expect(records[5]?.attempts?.map((a) => a.speculative)).toEqual([false, false]);
    expect(records[5]?.attempts?.[0]?.reason).toMatch(/^timed out/);
    expect(calls).toHaveLength(7);
  });

  it('stops every attempt when interrupted, without retrying', async () => {
    const segments = equalSegments(4);
    const { executor, calls } = timedExecutor(() => ({ ms: 'hang' }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('SIGINT')), 20);
    const records = await settled(runPool(segments.map(task), segments, { workers: 2, executor, retries: 2, signal: controller.signal }));
    expect(calls).toHaveLength(2);
    expect(records.map((r) => r.attempts?.map((a) => [a.state, a.reason]))).toEqual([[['cancelled', 'interrupted']], [['cancelled', 'interrupted']]]);
    expect(records.every((r) => r.state === 'failed')).toBe(true);
  });

  it('passes an injected fault to first attempts only, placed by the expected time', async () => {
    const segments = equalSegments(20, 1);
    const seen: { index: number; attempt: number; fault?: { kind: string; afterMs: number } }[] = [];
    const { executor } = timedExecutor((index, c) => {
      seen.push({ index, attempt: c.attempt, ...(c.fault ? { fault: c.fault } : {}) });
      return { ms: 1, outcome: c.fault ? { exitCode: null, signal: 'SIGKILL', bench: null } : {} };
    });
    const faults = { kill: 0.3, stall: 0, seed: 7 };
    const records = await settled(runPool(segments.map(task), segments, { workers: 2, executor, retries: 2, faults, priorMsPerVideoSecond: 100 }));
    const hit = Array.from({ length: 20 }, (_, i) => i).filter((i) => drawFault(faults, i) !== null);
    expect(seen.filter((s) => s.fault).map((s) => s.index).sort((a, b) => a - b)).toEqual(hit);
    expect(seen.filter((s) => s.fault).every((s) => s.attempt === 1)).toBe(true);
    expect(records.every((r) => r.state === 'ok')).toBe(true);
    expect(records.filter((r) => r.retries === 1).map((r) => r.index)).toEqual(hit);
  });
});

describe('fault draws', () => {
  it('are deterministic per chunk and near the requested rate', () => {
    const rates = { kill: 0.2, stall: 0.1, seed: 3 };
    const draws = Array.from({ length: 2000 }, (_, i) => drawFault(rates, i));
    expect(draws).toEqual(Array.from({ length: 2000 }, (_, i) => drawFault(rates, i)));
    const kills = draws.filter((d) => d?.kind === 'kill').length / 2000;
    const stalls = draws.filter((d) => d?.kind === 'stall').length / 2000;
    expect(kills).toBeGreaterThan(0.17);
    expect(kills).toBeLessThan(0.23);
    expect(stalls).toBeGreaterThan(0.08);
    expect(stalls).toBeLessThan(0.12);
    expect(draws.every((d) => d === null || (d.fraction >= 0.05 && d.fraction <= 0.95))).toBe(true);
  });

  it('strike at the drawn fraction of the expected time, and never on a retry', () => {
    const rates = { kill: 1, stall: 0, seed: 1 };
    const drawn = drawFault(rates, 4);
    expect(faultFor(rates, 4, 1, 1000)).toEqual({ kind: 'kill', afterMs: Math.round((drawn?.fraction ?? 0) * 1000) });
    expect(faultFor(rates, 4, 2, 1000)).toBeUndefined();
    expect(faultFor({ kill: 0, stall: 0, seed: 1 }, 4, 1, 1000)).toBeUndefined();
  });
});

describe('attemptPath', () => {
  it('keeps attempt 1 on the chunk path and puts others beside it', () => {
    expect(attemptPath('/w/chunk_00001.mkv', 1)).toBe('/w/chunk_00001.mkv');
    expect(attemptPath('/w/chunk_00001.mkv', 3)).toBe('/w/chunk_00001.a3.mkv');
  });
});
