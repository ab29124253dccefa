// The event simulation against schedules computed by hand.
import { describe, expect, it } from 'vitest';
import { lptOrder, simulate, type DesChunk, type DesScenario } from '../../src/simulate/des.ts';

const chunk = (index: number, durationSeconds: number, workMs: number, inBytes = 0, outBytes = 0): DesChunk => ({ index, durationSeconds, workMs, inBytes, outBytes });
const scenario = (over: Partial<DesScenario>): DesScenario => ({
  workers: 1,
  chunks: [],
  beforeMs: 0,
  mergeMs: 0,
  queueLatencyMs: 0,
  workerLinkBytesPerMs: Infinity,
  coordinatorLinkBytesPerMs: Infinity,
  sharedCores: null,
  threadsPerWorker: 1,
  ...over,
});

describe('simulate', () => {
  it('4 equal chunks on 2 workers: two rounds of 100 ms between a 10 ms probe and a 5 ms merge', () => {
    const r = simulate(scenario({ workers: 2, chunks: [0, 1, 2, 3].map((i) => chunk(i, 10, 100)), beforeMs: 10, mergeMs: 5 }));
    expect(r.wallMs).toBeCloseTo(215, 9);
    expect(r.processMs).toBeCloseTo(200, 9);
    expect(r.chunks.map((c) => [c.workerId, c.startMs, c.endMs])).toEqual([[0, 10, 110], [1, 10, 110], [0, 110, 210], [1, 110, 210]]);
  });

  it('hands out the longest chunk first (LPT): 3, 2, 2, 1 s on 2 workers end together at 400 ms', () => {
    const chunks = [chunk(0, 1, 100), chunk(1, 3, 300), chunk(2, 2, 200), chunk(3, 2, 200)];
    expect(lptOrder(chunks).map((c) => c.index)).toEqual([1, 2, 3, 0]);
    const r = simulate(scenario({ workers: 2, chunks }));
    expect(r.wallMs).toBeCloseTo(400, 9);
    const by = Object.fromEntries(r.chunks.map((c) => [c.index, [c.workerId, c.startMs, c.endMs]]));
    expect(by).toEqual({ 1: [0, 0, 300], 2: [1, 0, 200], 3: [1, 200, 400], 0: [0, 300, 400] });
  });

  it('adds queue latency and transfers in and out to every chunk: 5 + 2 + 100 + 3 ms each', () => {
    const r = simulate(scenario({ workers: 1, chunks: [chunk(0, 10, 100, 2000, 3000), chunk(1, 10, 100, 2000, 3000)], queueLatencyMs: 5, workerLinkBytesPerMs: 1000 }));
    expect(r.wallMs).toBeCloseTo(220, 9);
    expect(r.chunks[0]).toMatchObject({ startMs: 0, workStartMs: 7, workEndMs: 107, endMs: 110 });
    expect(r.chunks[1]?.startMs).toBeCloseTo(110, 9);
    expect(r.transferMs).toBeCloseTo(10, 9);
  });

  it('shares the coordinator link fairly: two 1000-byte transfers over 1000 B/ms take 2 ms, capped by the worker link', () => {
    const two = [chunk(0, 1, 0, 1000), chunk(1, 1, 0, 1000)];
    expect(simulate(scenario({ workers: 2, chunks: two, workerLinkBytesPerMs: 1000, coordinatorLinkBytesPerMs: 1000 })).wallMs).toBeCloseTo(2, 9);
    expect(simulate(scenario({ workers: 2, chunks: two, workerLinkBytesPerMs: 400, coordinatorLinkBytesPerMs: 1000 })).wallMs).toBeCloseTo(2.5, 9);
    // one transfer alone gets the whole worker link
    expect(simulate(scenario({ workers: 2, chunks: [chunk(0, 1, 0, 1000)], workerLinkBytesPerMs: 1000, coordinatorLinkBytesPerMs: 1000 })).wallMs).toBeCloseTo(1, 9);
  });

  it('time-shares a node past its core count: 4 workers on 2 cores are no faster than 2', () => {
    const six = [0, 1, 2, 3, 4, 5].map((i) => chunk(i, 10, 100));
    // 4 chunks at half speed (200 ms), then the last 2 at full speed (100 ms)
    expect(simulate(scenario({ workers: 4, chunks: six, sharedCores: 2 })).wallMs).toBeCloseTo(300, 9);
    expect(simulate(scenario({ workers: 2, chunks: six, sharedCores: 2 })).wallMs).toBeCloseTo(300, 9);
    // 3 on 2 cores: each at 2/3 speed
    expect(simulate(scenario({ workers: 3, chunks: six.slice(0, 3), sharedCores: 2 })).wallMs).toBeCloseTo(150, 9);
    // 2 threads per worker on 2 cores: one worker's worth of cores
    expect(simulate(scenario({ workers: 2, chunks: six.slice(0, 2), sharedCores: 2, threadsPerWorker: 2 })).wallMs).toBeCloseTo(200, 9);
  });

  it('leaves extra workers idle and is deterministic', () => {
    const s = scenario({ workers: 16, chunks: [chunk(0, 2, 50), chunk(1, 1, 30)], beforeMs: 1 });
    const a = simulate(s);
    expect(a.wallMs).toBeCloseTo(51, 9);
    expect(simulate(s)).toEqual(a);
    expect(new Set(a.chunks.map((c) => c.workerId)).size).toBe(2);
  });

  it('rejects impossible scenarios', () => {
    expect(() => simulate(scenario({ workers: 0 }))).toThrow(/workers must be a whole number ≥ 1; received 0/);
    expect(() => simulate(scenario({ queueLatencyMs: -1 }))).toThrow(/queueLatencyMs/);
    expect(() => simulate(scenario({ chunks: [chunk(0, 1, NaN)] }))).toThrow(/chunk 0/);
  });
});
