import { describe, expect, it } from 'vitest';
import { compare, floors, formatVerdicts, judge, type BaselineFile } from '../../src/check/compare.ts';
import type { RatioEstimate } from '../../src/stats/index.ts';

const est = (point: number, lo: number, hi: number): RatioEstimate => ({ point, lo, hi, n: 10, method: 'bootstrap-paired-geomean' });

describe('judge (Criterion-style noise threshold)', () => {
  it('calls a regression only when the whole CI is below baseline × (1 − tolerance)', () => {
    expect(judge('speedup w2 vs single', est(1.3, 1.25, 1.34), 1.6, 1.25, 0.1).verdict).toBe('regressed'); // 1.34 < 1.44
    expect(judge('speedup w2 vs single', est(1.4, 1.3, 1.5), 1.6, 1.25, 0.1).verdict).toBe('no change'); // CI reaches 1.44
    expect(judge('speedup w2 vs single', est(1.9, 1.8, 2.0), 1.6, 1.25, 0.1).verdict).toBe('improved'); // 1.8 > 1.76
    expect(judge('speedup w2 vs single', est(1.5, 1.45, 1.55), 1.6, 1.25, 0.1).change).toBeCloseTo(-0.0625, 12);
  });
  it('applies the floor even without a baseline', () => {
    const v = judge('speedup w2 vs single', est(0.97, 0.95, 0.99), null, 1.25, 0.1);
    expect(v).toMatchObject({ verdict: 'regressed', reason: 'the whole 95% CI is below the floor 1.25 for this core count' });
  });
  it('derives floors from the core count', () => {
    expect(floors(2)['speedup w2 vs single']).toBe(1.25);
    expect(floors(1)['speedup w2 vs single']).toBe(0.8);
    expect(floors(8)['efficiency w2']).toBe(0.625);
  });
});

describe('compare', () => {
  const now = { 'speedup w2 vs single': est(1.5, 1.45, 1.55), 'efficiency w2': est(0.75, 0.725, 0.775), 'speedup w1 vs single': est(0.95, 0.93, 0.97) };
  const baseline: BaselineFile = { schema: 'chunkbench.baseline/1', grid: 'ci', createdAt: '2026-11-25T00:00:00Z', commit: null, machine: { cores: 2, cpuModel: 'x' }, tolerance: 0.1, metrics: { 'speedup w2 vs single': { value: 1.55, lo: 1.5, hi: 1.6 }, 'efficiency w2': { value: 0.775, lo: 0.75, hi: 0.8 }, 'speedup w1 vs single': { value: 0.96, lo: 0.94, hi: 0.98 } } };
  it('uses a baseline from the same core count', () => {
    expect(compare(now, baseline, 2, 0.1).map((v) => v.verdict)).toEqual(['no change', 'no change', 'no change']);
    expect(compare(now, baseline, 2, 0.1)[0]?.baseline).toBe(1.55);
  });
  it('ignores a baseline from another core count (speedup depends on cores)', () => {
    expect(compare(now, baseline, 8, 0.1).every((v) => v.baseline === null)).toBe(true);
  });
  it('prints a table with metric, baseline, now [CI], change and verdict', () => {
    const table = formatVerdicts(compare(now, baseline, 2, 0.1), 'note');
    expect(table.split('\n')[0]).toMatch(/^metric\s+baseline\s+now \[95% CI\]\s+change\s+verdict\s+why$/);
    expect(table).toMatch(/speedup w2 vs single\s+1\.550\s+1\.500 \[1\.450, 1\.550\]\s+-3\.2%\s+NO CHANGE/);
  });
});
