import { describe, expect, it } from 'vitest';
import { expandGrid, centreConfig } from '../../src/grid/expand.ts';
import { gridSchema } from '../../src/grid/schema.ts';
import { headlineHalfWidth, headlinePlan, headlineSpec, MAX_TOTAL_ROUNDS, stopReason } from '../../src/harness/sequential.ts';
import type { ResultLine, RunMeta, SequentialRecord } from '../../src/harness/store.ts';

const grid = gridSchema.parse({ name: 'g', inputs: ['sd'], repeats: 3, budgetSeconds: 100, fixed: { workers: 2, segmentSeconds: 10 }, sweeps: [{ name: 'w', vary: { workers: [1, 2, 4] } }, { name: 'b', vary: { mode: ['single', 'single-mt'] } }] });
const configs = expandGrid(grid);
const centre = centreConfig(grid);
const meta = { grid, configs, centreId: centre.id, ceiling: { workers: [2], configId: centre.id, chunkIndex: 0, chunkSeconds: 10, chunkFrames: 300, args: [] }, machine: { cores: 2 }, seed: 1 } as unknown as RunMeta;
const id = (mode: string) => configs.find((c) => c.mode === mode && (mode !== 'chunked' || c.workers === 2))?.id as string;
const line = (configId: string, round: number, wallMs: number): ResultLine => ({ schema: 'chunkbench.result/1', seq: 0, round, warmup: false, configId, label: configId, state: 'ok', wallMs, record: null });

describe('headlinePlan', () => {
  it('is the centre, its single and single-mt baselines and the ceiling at its worker count', () => {
    const plan = headlinePlan(meta, 2);
    expect(plan?.centreId).toBe(id('chunked'));
    expect(plan?.baselines).toEqual([{ name: 'single', configId: id('single') }, { name: 'single-mt', configId: id('single-mt') }]);
    expect(plan?.ids).toEqual([id('chunked'), id('single'), id('single-mt'), 'ceiling-w2']);
  });

  it('is null when the centre is not in the grid', () => {
    expect(headlinePlan({ ...meta, centreId: 'nope' }, 2)).toBeNull();
  });
});

describe('the stopping rule', () => {
  const plan = headlinePlan(meta, 2);
  if (!plan) throw new Error('no plan');
  const lines = (spread: number) => [0, 1, 2].flatMap((r) => [line(id('single'), r, 8000 * (1 + spread * (r - 1))), line(id('single-mt'), r, 5000), line(id('chunked'), r, 4500)]);

  it('measures the widest relative half-width of the headline comparisons', () => {
    expect(headlineHalfWidth(plan, lines(0))).toBeCloseTo(0, 12);
    expect(headlineHalfWidth(plan, lines(0.1))).toBeGreaterThan(0.1);
    expect(headlineHalfWidth(plan, lines(0).slice(0, 3))).toBeNull();
  });

  it('stops on the target, the round cap or the budget, and looks at the width only', () => {
    const state = { halfWidth: 0.05, elapsedSeconds: 50, roundSeconds: 10, roundsSoFar: 5 };
    expect(stopReason(state, 0.03, 100)).toBeNull();
    expect(stopReason({ ...state, halfWidth: 0.029 }, 0.03, 100)).toBe('target met');
    expect(stopReason({ ...state, elapsedSeconds: 95 }, 0.03, 100)).toBe('budget');
    expect(stopReason({ ...state, roundsSoFar: MAX_TOTAL_ROUNDS }, 0.03, 1e9)).toBe('round cap');
    expect(stopReason(state, 0.03, null)).toBe('no budget');
  });

  it('records what it decided in meta’s sequential record', () => {
    const record = {} as SequentialRecord;
    let elapsed = 0;
    const spec = headlineSpec(meta, { elapsedSeconds: () => elapsed, overheadFactor: () => 1.2 }, record);
    expect(spec?.ids).toEqual(plan.ids);
    expect(spec?.decide({ lines: lines(0.1), ceilings: [] }, 3)).toBe(false);
    expect(record).toMatchObject({ targetHalfWidth: 0.03, budgetSeconds: 100, addedRounds: 0 });
    elapsed = 95;
    expect(spec?.decide({ lines: lines(0.1), ceilings: [] }, 4)).toBe(true);
    expect(record).toMatchObject({ addedRounds: 1, stoppedBecause: 'budget' });
  });
});
