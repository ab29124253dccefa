import { describe, expect, it } from 'vitest';
import { lossBudget } from '../../src/pipeline/lossBudget.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';

const run = (phases: { probeMs: number; splitMs: number; processMs: number; mergeMs: number }, chunks: [number, number][], leadIn: number[] = []): RunRecord =>
  ({
    wallMs: phases.probeMs + phases.splitMs + phases.processMs + phases.mergeMs,
    phases: { ...phases, verifyMs: 0 },
    chunks: chunks.map(([rtimeMs, spawnToExitMs]) => ({ rtimeMs, spawnToExitMs })),
    segments: chunks.map((_, i) => ({ frameCount: 10, leadInFrames: leadIn[i] ?? 0 })),
  }) as unknown as RunRecord;

describe('lossBudget', () => {
  // single: 20 s of ffmpeg. chunked on 2 workers: 4 chunks of 5.25 s rtime (+0.02 s start each), worker
  // lanes 10.54 s and 10.6 s (0.06 s idle), probe 0.05 s, merge 0.15 s
  const single = run({ probeMs: 50, splitMs: 0, processMs: 20_030, mergeMs: 0 }, [[20_000, 20_030]]);
  const chunked = run({ probeMs: 50, splitMs: 0, processMs: 10_600, mergeMs: 150 }, [[5250, 5270], [5250, 5270], [5250, 5270], [5250, 5270]], [0, 30, 0, 30]);
  const budget = lossBudget(chunked, single, 2);

  it('splits the wall time into shares that add up to exactly 1', () => {
    expect(budget.ideal + budget.serial + budget.extra + budget.start + budget.idle).toBeCloseTo(1, 12);
  });

  it('attributes each loss to its cause', () => {
    const lanes = 2 * 10_800;
    expect(budget.ideal).toBeCloseTo(20_000 / lanes, 12);
    expect(budget.serial).toBeCloseTo(200 / 10_800, 12);
    expect(budget.extra).toBeCloseTo(1000 / lanes, 12);
    expect(budget.start).toBeCloseTo(80 / lanes, 12);
    expect(budget.idle).toBeCloseTo((21_200 - 21_080) / lanes, 12);
    expect(budget.leadInFrames).toBe(60);
  });

  it('gives the speedup ceiling that the shares imply: single wall / chunked wall', () => {
    // with the ideal share alone the speedup would be 2 × (single's wall / its rtime)
    expect(single.wallMs / chunked.wallMs).toBeCloseTo((2 * budget.ideal * 20_080) / 20_000, 12);
  });
});
