// The segment map on hand-made cost models, where the answer is known: with no scatter between chunks and a
// fixed cost per chunk, one chunk per worker is fastest (nothing to even out, fewest start-ups); with
// scatter, long chunks leave the slowest worker late and the fastest length comes down. And its sentence.
import { describe, expect, it } from 'vitest';
import type { CostModel } from '../../src/simulate/costModel.ts';
import { candidatesFor, segmentMap } from '../../src/simulate/segmentMap.ts';
import { longVideoWords } from '../../src/report/sections/segmentMap.ts';

const model = (chunkCv: number): CostModel => ({
  configId: 'c', label: 'c', familyIds: ['c'], calibrationRuns: 5, calibrationChunks: 30, phaseRuns: 5, cores: 2, threadsPerWorker: 1, split: 'exact',
  sourceDurationSeconds: 60, workSecondsPerVideoSecond: 0.1, chunkStartupMs: 100, chunkOverheadMs: 30, chunkFitR2: 0.99, chunkCv,
  probeFixedMs: 30, probeMsPerVideoSecond: 0, splitFixedMs: 0, splitMsPerVideoSecond: 0, mergeFixedMs: 30, mergeMsPerChunk: 2, mergeMsPerVideoSecond: 0,
  inputBytesPerVideoSecond: 0, outputBytesPerVideoSecond: 0, queueWaitMs: null, localDispatchMs: 0, borrowed: [],
});
const link = { queueLatencyMs: 5, transferLatencyMs: 0, bandwidthMbps: null, coordinatorMbps: null };

describe('segmentMap', () => {
  it('offers the round lengths up to the video’s and one, two and three chunks per worker', () => {
    expect(candidatesFor(60, 2)).toEqual([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 45, 60]);
    expect(candidatesFor(100, 64)).toEqual([1, 1.563, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 45, 60, 90]);
  });

  it('without scatter, one chunk per worker is fastest: each extra chunk only adds its start-up', () => {
    const map = segmentMap(model(0), link, [2, 4], [60, 600], 5, 1);
    expect(map.points.map((p) => [p.workers, p.durationSeconds, p.bestSeconds])).toEqual([[2, 60, 30], [2, 600, 300], [4, 60, 15], [4, 600, 150]]);
    for (const p of map.points) expect(p.tenSecondsVsBest).toBeGreaterThan(1);
  });

  it('with scatter the slowest of a few long chunks sets the wall time, and a 2 h video is cut shorter than one chunk per worker', () => {
    const map = segmentMap(model(0.3), link, [4], [7200], 5, 16, 1);
    const [p] = map.points;
    expect(p?.bestSeconds).toBeLessThan(1800);
    expect(p?.nearLoSeconds).toBeLessThanOrEqual(p?.bestSeconds as number);
    expect(p?.nearHiSeconds).toBeGreaterThanOrEqual(p?.bestSeconds as number);
  });

  it('words the longest video per worker count and how far 10 s is from the fastest', () => {
    const map = { kind: 'model' as const, nearPct: 5, points: [
      { workers: 2, durationSeconds: 600, bestSeconds: 45, bestWallMs: 1, nearLoSeconds: 15, nearHiSeconds: 300, tenSecondsVsBest: 1.08 },
      { workers: 2, durationSeconds: 7200, bestSeconds: 120, bestWallMs: 1, nearLoSeconds: 25, nearHiSeconds: 600, tenSecondsVsBest: 1.12 },
      { workers: 64, durationSeconds: 7200, bestSeconds: 37.5, bestWallMs: 1, nearLoSeconds: 15, nearHiSeconds: 112.5, tenSecondsVsBest: 1.11 },
    ] };
    expect(longVideoWords(map, 'held-out error 4.1% mean, 12.4% worst on this run\'s points', 0.134)).toBe(
      "The cost model (a model, not a measurement; held-out error 4.1% mean, 12.4% worst on this run's points) for a 2 h video: the fastest length, and in parentheses every length within 5% of it, is 2 workers 120 s (25 s–600 s) and 64 workers 38 s (15 s–113 s). For videos of 10 min to 2 h, 10 s is 8%–12% slower than the fastest length. It prices each chunk's start-up and merge, and the last wave's imbalance with each chunk's measured scatter (13%); it does not price what argues for shorter chunks besides: the work a failed chunk loses, the wait for the first finished chunk, or the compression cost above.",
    );
  });
});
