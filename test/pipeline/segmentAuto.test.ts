// `--segment auto`'s chooser: the issue's sanity figures, one worker, short videos, the floor and the cap,
// how the choice moves with each cost, and where its default costs come from.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMeta, readResults } from '../../src/harness/store.ts';
import type { StreamPackets } from '../../src/pipeline/probe.ts';
import { chooseSegment, DEFAULT_SEGMENT_COSTS, expectedMaxNormal, MIN_CHUNK_SECONDS, plannedSegmentSeconds, predictSegmentWaves, resolveSegmentSeconds, segmentCostsFromModel, type SegmentCosts } from '../../src/pipeline/segmentAuto.ts';
import { planSegments } from '../../src/pipeline/split.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';
import { fitFamilies, modelFor } from '../../src/simulate/calibrate.ts';
import { REPO } from '../helpers.ts';

/** The issue's figures: c = 0.3, o = 0.3 s, σ = 0.1, and no serial cost per chunk (its model has none). */
const ISSUE: SegmentCosts = { workSecondsPerVideoSecond: 0.3, perChunkSeconds: 0.3, chunkCv: 0.1, serialSecondsPerChunk: 0, from: 'issue #14' };

describe('expectedMaxNormal (z_W)', () => {
  it("reproduces Tippett's and Harter's tables", () => {
    expect(expectedMaxNormal(1)).toBe(0);
    expect(expectedMaxNormal(2)).toBeCloseTo(1 / Math.sqrt(Math.PI), 6);
    expect(expectedMaxNormal(3)).toBeCloseTo(1.5 / Math.sqrt(Math.PI), 6);
    expect(expectedMaxNormal(5)).toBeCloseTo(1.16296, 5);
    expect(expectedMaxNormal(10)).toBeCloseTo(1.53875, 5);
    expect(expectedMaxNormal(100)).toBeCloseTo(2.50759, 5);
  });

  it('grows with W, and refuses what is not a worker count', () => {
    const zs = [1, 2, 4, 8, 64, 1024].map(expectedMaxNormal);
    zs.slice(1).forEach((z, i) => expect(z).toBeGreaterThan(zs[i] as number));
    expect(() => expectedMaxNormal(0)).toThrow(RangeError);
    expect(() => expectedMaxNormal(1.5)).toThrow(RangeError);
  });
});

describe('chooseSegment: the sanity figures', () => {
  it('60 s on 2 workers (c 0.3, o 0.3 s, σ 0.1): 2 chunks of 30 s, one wave, and says why', () => {
    const choice = chooseSegment({ durationSeconds: 60, workers: 2, costs: ISSUE });
    expect(choice).toMatchObject({ chunks: 2, segmentSeconds: 30, waves: 1, bound: 'model' });
    // m* = (σ·c·D·z_2 / (2·W·o))^(2/3) = (0.1·0.3·60·0.5642 / 1.2)^(2/3)
    expect(choice.optimumWaves).toBeCloseTo(((0.1 * 0.3 * 60 * expectedMaxNormal(2)) / 1.2) ** (2 / 3), 9);
    expect(choice.reason).toBe('2 chunks of 30 s: one wave on 2 workers; a second wave would add 0.3 s of per-chunk cost and save 0.15 s of imbalance.');
    expect(choice.predicted?.seconds).toBeCloseTo(0.3 * 30 + 0.3 + 0.1 * 9 * expectedMaxNormal(2), 9);
    expect(choice.inputs).toMatchObject({ durationSeconds: 60, workers: 2, workSecondsPerVideoSecond: 0.3, perChunkSeconds: 0.3, chunkCv: 0.1, from: 'issue #14' });
  });

  it('7200 s on 64 workers: a few full waves of 10–30 s chunks', () => {
    const choice = chooseSegment({ durationSeconds: 7200, workers: 64, costs: ISSUE });
    expect(choice.waves).toBeGreaterThanOrEqual(2);
    expect(choice.waves).toBeLessThanOrEqual(8);
    expect(choice.chunks).toBe(64 * choice.waves);
    expect(choice.segmentSeconds).toBeGreaterThanOrEqual(10);
    expect(choice.segmentSeconds).toBeLessThanOrEqual(30);
    expect(choice.reason).toMatch(/^384 chunks of 18\.75 s: 6 waves on 64 workers; a seventh wave would add 0\.3 s .*, one wave fewer would save 0\.3 s of per-chunk cost and add [\d.]+ s of imbalance\.$/);
  });

  it("with the sample run's costs: 30 s chunks for its own 60 s on 2 workers; at 64 workers the merge's cost per chunk makes fewer waves", () => {
    expect(chooseSegment({ durationSeconds: 60, workers: 2 })).toMatchObject({ chunks: 2, segmentSeconds: 30 });
    const withMerge = chooseSegment({ durationSeconds: 7200, workers: 64 });
    const withoutMerge = chooseSegment({ durationSeconds: 7200, workers: 64, costs: { ...DEFAULT_SEGMENT_COSTS, serialSecondsPerChunk: 0 } });
    expect(withoutMerge.segmentSeconds).toBeGreaterThanOrEqual(10);
    expect(withoutMerge.segmentSeconds).toBeLessThanOrEqual(30);
    expect(withMerge).toMatchObject({ chunks: 192, waves: 3, segmentSeconds: 37.5 });
    expect(withMerge.waves).toBeLessThan(withoutMerge.waves);
  });

  it('picks the best whole number of waves (T is convex in m: the two integers around m* hold the minimum)', () => {
    for (const [D, W] of [[60, 2], [66, 2], [180, 4], [7200, 2], [7200, 64], [3600, 16]] as const) {
      for (const costs of [ISSUE, DEFAULT_SEGMENT_COSTS]) {
        const choice = chooseSegment({ durationSeconds: D, workers: W, costs });
        const mMax = Math.floor(D / W);
        const z = expectedMaxNormal(W);
        const best = Array.from({ length: Math.min(mMax, 400) }, (_, i) => predictSegmentWaves(costs, D, W, i + 1, z)).sort((a, b) => a.seconds - b.seconds)[0];
        expect(choice.waves, `${D} s on ${W}`).toBe(best?.waves);
      }
    }
  });
});

describe('chooseSegment: one worker', () => {
  it('makes one chunk whatever the costs: with W = 1 there is no imbalance to even out (z_1 = 0)', () => {
    for (const D of [4, 60, 7200]) {
      for (const costs of [ISSUE, DEFAULT_SEGMENT_COSTS, { ...ISSUE, chunkCv: 0.9, workSecondsPerVideoSecond: 10 }, { ...ISSUE, perChunkSeconds: 0, serialSecondsPerChunk: 0 }]) {
        const choice = chooseSegment({ durationSeconds: D, workers: 1, costs });
        expect(choice).toMatchObject({ chunks: 1, waves: 1, segmentSeconds: D, bound: 'one-worker', optimumWaves: 0 });
      }
    }
    expect(chooseSegment({ durationSeconds: 60, workers: 1, costs: ISSUE }).reason).toBe('1 chunk of 60 s: on one worker there is no imbalance to even out, so every extra chunk would only add 0.3 s of per-chunk cost.');
  });
});

describe('chooseSegment: short videos, the floor and the cap', () => {
  it('a video too short for one full wave of 1 s chunks gets ⌊D / 1 s⌋ chunks (at least one), and says who idles', () => {
    expect(chooseSegment({ durationSeconds: 0.5, workers: 2 })).toMatchObject({ chunks: 1, segmentSeconds: 0.5, bound: 'short', predicted: null });
    const three = chooseSegment({ durationSeconds: 3.5, workers: 4 });
    expect(three).toMatchObject({ chunks: 3, waves: 1, bound: 'short' });
    expect(three.segmentSeconds).toBeCloseTo(3.5 / 3, 12);
    expect(three.reason).toBe('3 chunks of 1.17 s: a 3.5 s video holds fewer than 4 chunks of at least 1 s, so 1 of 4 workers idle.');
    expect(chooseSegment({ durationSeconds: 0.4, workers: 1 })).toMatchObject({ chunks: 1, segmentSeconds: 0.4, bound: 'one-worker' });
  });

  it('exactly one wave of floor-length chunks when that is all the video holds', () => {
    expect(chooseSegment({ durationSeconds: 4, workers: 4, costs: ISSUE })).toMatchObject({ chunks: 4, segmentSeconds: 1, waves: 1 });
    expect(chooseSegment({ durationSeconds: 4, workers: 4, costs: ISSUE }).reason).toMatch(/a second wave would cut chunks shorter than the 1 s floor/);
  });

  it('never cuts below the floor, even when extra chunks cost nothing (o = μ = 0: m* unbounded)', () => {
    const free = { ...ISSUE, perChunkSeconds: 0, serialSecondsPerChunk: 0 };
    const choice = chooseSegment({ durationSeconds: 60, workers: 2, costs: free });
    expect(choice).toMatchObject({ chunks: 60, segmentSeconds: 1, waves: 30, bound: 'floor', optimumWaves: null });
    expect(choice.reason).toMatch(/a 31st wave would cut chunks shorter than the 1 s floor \(extra chunks cost nothing in this model\)/);
    expect(chooseSegment({ durationSeconds: 60, workers: 2, costs: free, minChunkSeconds: 5 })).toMatchObject({ chunks: 12, segmentSeconds: 5, bound: 'floor' });
  });

  it('keeps every chunk between the floor and D/W, in full waves, over a grid of inputs', () => {
    for (const D of [1, 2.5, 7, 20, 60, 66, 180, 600, 7200, 36000]) {
      for (const W of [1, 2, 3, 4, 8, 64, 256]) {
        for (const costs of [ISSUE, DEFAULT_SEGMENT_COSTS, { ...ISSUE, chunkCv: 0.5 }, { ...ISSUE, perChunkSeconds: 0.001 }]) {
          const choice = chooseSegment({ durationSeconds: D, workers: W, costs });
          const where = `${D} s on ${W}`;
          expect(choice.segmentSeconds * choice.chunks, where).toBeCloseTo(D, 9);
          expect(Number.isInteger(choice.chunks) && choice.chunks >= 1, where).toBe(true);
          if (D >= W * MIN_CHUNK_SECONDS) {
            expect(choice.chunks % W, where).toBe(0);
            expect(choice.segmentSeconds, where).toBeLessThanOrEqual(D / W + 1e-9);
            expect(choice.segmentSeconds, where).toBeGreaterThanOrEqual(MIN_CHUNK_SECONDS - 1e-9);
          } else {
            expect(choice.chunks, where).toBeLessThan(W);
          }
          expect(choice.reason, where).not.toMatch(/NaN|undefined|Infinity/);
        }
      }
    }
  });
});

describe('chooseSegment: how the choice moves', () => {
  const chunksWith = (change: Partial<SegmentCosts>, D = 600, W = 4) => chooseSegment({ durationSeconds: D, workers: W, costs: { ...ISSUE, ...change } }).chunks;
  const nonIncreasing = (xs: number[]) => xs.slice(1).every((x, i) => x <= (xs[i] as number));
  const nonDecreasing = (xs: number[]) => xs.slice(1).every((x, i) => x >= (xs[i] as number));

  it('fewer chunks as the fixed cost per chunk (o, μ) grows', () => {
    const byO = [0.01, 0.03, 0.1, 0.3, 1, 3, 10].map((o) => chunksWith({ perChunkSeconds: o }));
    expect(nonIncreasing(byO)).toBe(true);
    expect(byO[0]).toBeGreaterThan(byO.at(-1) as number);
    const byMu = [0, 0.001, 0.01, 0.1].map((mu) => chunksWith({ serialSecondsPerChunk: mu }, 7200, 64));
    expect(nonIncreasing(byMu)).toBe(true);
    expect(byMu[0]).toBeGreaterThan(byMu.at(-1) as number);
  });

  it('more chunks as chunks vary more (σ), as the work per second grows (c) and as the video gets longer', () => {
    const bySigma = [0, 0.05, 0.1, 0.2, 0.4, 0.8].map((s) => chunksWith({ chunkCv: s }));
    expect(nonDecreasing(bySigma)).toBe(true);
    expect(bySigma[0]).toBe(4); // no variation: one wave
    expect(bySigma.at(-1)).toBeGreaterThan(4);
    expect(nonDecreasing([0.05, 0.1, 0.3, 1, 3].map((c) => chunksWith({ workSecondsPerVideoSecond: c })))).toBe(true);
    const byLength = [20, 60, 180, 600, 3600, 7200].map((D) => chooseSegment({ durationSeconds: D, workers: 4, costs: ISSUE }).waves);
    expect(nonDecreasing(byLength)).toBe(true);
  });
});

describe('chooseSegment: inputs', () => {
  it('refuses what cannot be a video length, a worker count or a cost', () => {
    expect(() => chooseSegment({ durationSeconds: 0, workers: 2 })).toThrow(RangeError);
    expect(() => chooseSegment({ durationSeconds: Number.NaN, workers: 2 })).toThrow(RangeError);
    expect(() => chooseSegment({ durationSeconds: 60, workers: 0 })).toThrow(RangeError);
    expect(() => chooseSegment({ durationSeconds: 60, workers: 2, costs: { ...ISSUE, perChunkSeconds: -1 } })).toThrow(/perChunkSeconds must be a finite number ≥ 0, got -1/);
    expect(() => chooseSegment({ durationSeconds: 60, workers: 2, minChunkSeconds: 0 })).toThrow(RangeError);
  });

  it('resolveSegmentSeconds passes a number through and chooses for auto', () => {
    expect(resolveSegmentSeconds(10, 60, 2)).toEqual({ segmentSeconds: 10, choice: null });
    const auto = resolveSegmentSeconds('auto', 60, 2, ISSUE);
    expect(auto.segmentSeconds).toBe(30);
    expect(auto.choice?.chunks).toBe(2);
  });

  it('plannedSegmentSeconds reads what a stored run planned with', () => {
    const config = (segmentSeconds: number | 'auto') => ({ config: { segmentSeconds } }) as unknown as RunRecord;
    expect(plannedSegmentSeconds(config(10))).toBe(10);
    expect(plannedSegmentSeconds(config('auto'))).toBeNull();
    const choice = chooseSegment({ durationSeconds: 60, workers: 2 });
    expect(plannedSegmentSeconds({ ...config('auto'), segmentChoice: choice })).toBe(30);
  });
});

describe('the planner does the rest', () => {
  /** 60 s at 30 fps with a keyframe every `gop` frames. */
  const video = (frames: number, gop: number): StreamPackets => ({
    timesSeconds: Array.from({ length: frames }, (_, i) => i / 30),
    durationsSeconds: Array.from({ length: frames }, () => 1 / 30),
    sizesBytes: Array.from({ length: frames }, () => 100),
    keyframe: Array.from({ length: frames }, (_, i) => i % gop === 0),
  });

  it('D/k handed to planSegments gives k chunks, snapped to the keyframe grid', () => {
    for (const [W, gop] of [[2, 60], [4, 60], [3, 45], [8, 90]] as const) {
      const choice = chooseSegment({ durationSeconds: 60, workers: W, costs: { ...ISSUE, chunkCv: 0.3 } });
      const segments = planSegments(video(1800, gop), choice.segmentSeconds, 'exact', 'mov,mp4,m4a,3gp,3g2,mj2');
      expect(segments, `${W} workers, GOP ${gop}`).toHaveLength(choice.chunks);
      expect(segments.reduce((n, s) => n + s.frameCount, 0)).toBe(1800);
      // every cut is within a quarter segment of its nominal place
      segments.forEach((s, i) => expect(Math.abs(s.startSeconds - i * choice.segmentSeconds)).toBeLessThanOrEqual(choice.segmentSeconds / 4 + 1e-9));
    }
  });
});

describe('DEFAULT_SEGMENT_COSTS', () => {
  it("are the cost model's fit of the committed sample run, rounded", () => {
    const dir = join(REPO, 'test', 'data', 'default-run');
    const meta = readMeta(dir);
    const centre = meta.configs.find((c) => c.mode === 'chunked' && c.workers === 2 && c.segmentSeconds === 10 && c.split === 'exact' && c.preset === 'veryfast' && c.filter === 'none');
    const model = centre && modelFor(centre, fitFamilies(meta, readResults(dir)));
    if (!model) throw new Error('no model for the centre of the sample run');
    const fitted = segmentCostsFromModel(model);
    expect(fitted.workSecondsPerVideoSecond).toBeCloseTo(DEFAULT_SEGMENT_COSTS.workSecondsPerVideoSecond, 3);
    expect(fitted.perChunkSeconds).toBeCloseTo(DEFAULT_SEGMENT_COSTS.perChunkSeconds, 3);
    expect(fitted.chunkCv).toBeCloseTo(DEFAULT_SEGMENT_COSTS.chunkCv, 3);
    expect(fitted.serialSecondsPerChunk).toBeCloseTo(DEFAULT_SEGMENT_COSTS.serialSecondsPerChunk, 4);
    expect(fitted.from).toMatch(/^the cost model of chunked w2 10s exact .*\(610 chunks from 35 runs\)$/);
    // and a fitted model is taken as it is
    expect(chooseSegment({ durationSeconds: 60, workers: 2, costs: fitted }).inputs.from).toBe(fitted.from);
  });
});
