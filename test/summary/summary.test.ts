import { describe, expect, it } from 'vitest';
import { expandGrid } from '../../src/grid/expand.ts';
import { parseGrid } from '../../src/grid/load.ts';
import type { ResultLine, RunMeta } from '../../src/harness/store.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';
import { beforeAfter, toCsv, toMarkdown } from '../../src/summary/export.ts';
import { findBaseline, summarize } from '../../src/summary/summarize.ts';
import { chooseSegment } from '../../src/pipeline/segmentAuto.ts';

const grid = parseGrid('g.json', {
  name: 't',
  inputs: ['tiny'],
  repeats: 3,
  sweeps: [
    { name: 'workers', vary: { workers: [1, 2] } },
    { name: 'baselines', vary: { mode: ['single', 'single-mt'] } },
    { name: 'presets', vary: { preset: ['fast'] } },
  ],
});
const configs = expandGrid(grid);
const meta = { runId: 'r', seed: 1, grid, configs, machine: { cores: 2 } } as unknown as RunMeta;
const id = (label: string) => configs.find((c) => c.label.startsWith(label))?.id ?? '';

/** A minimal ok record: wall time, CPU = 1.8 × wall for chunked w2. */
const record = (wallMs: number, cpuMs: number): RunRecord =>
  ({ state: 'ok', wallMs, ffmpegCpuMs: cpuMs, harnessOverheadMs: 40, segments: [{}, {}], chunks: [{}, {}], output: { bytes: 1000 }, verification: { ok: true }, phases: { probeMs: 10, splitMs: 0, processMs: wallMs - 30, mergeMs: 20, verifyMs: 50 } }) as unknown as RunRecord;
let seq = 0;
const line = (configId: string, round: number, wallMs: number, extra: Partial<ResultLine> = {}): ResultLine => ({ schema: 'chunkbench.result/1', seq: seq++, round, warmup: false, configId, label: '', state: 'ok', wallMs, record: record(wallMs, wallMs * 1.8), ...extra });

// single takes 10 s; chunked w2 takes 5.5 s in every round, except drift: round 2 is 20% slower for both
const results: ResultLine[] = [
  line(id('single ·'), 0, 10_000), line(id('chunked w2 10s exact · veryfast'), 0, 5_500), line(id('chunked w1'), 0, 10_400), line(id('single-mt'), 0, 6_000),
  line(id('single ·'), 1, 10_000), line(id('chunked w2 10s exact · veryfast'), 1, 5_500), line(id('chunked w1'), 1, 10_400), line(id('single-mt'), 1, 6_000),
  line(id('single ·'), 2, 12_000), line(id('chunked w2 10s exact · veryfast'), 2, 6_600), line(id('chunked w1'), 2, 0, { state: 'failed', error: 'process: chunk 3 failed: exit code 1', record: null }), line(id('single-mt'), 2, 7_200),
  { ...line(id('single ·'), 0, 99_999), warmup: true },
];

describe('summarize', () => {
  const summary = summarize(meta, results);
  const w2 = summary.configs.find((c) => c.configId === id('chunked w2 10s exact · veryfast'));
  const w1 = summary.configs.find((c) => c.configId === id('chunked w1'));

  it('excludes warmups and counts failures without timing them', () => {
    expect(summary.measuredRuns).toBe(12);
    expect(summary.failedRuns).toBe(1);
    expect(w1).toMatchObject({ runs: 3, ok: 2, failed: 1 });
    expect(w1?.failures[0]).toMatchObject({ round: 2, error: 'process: chunk 3 failed: exit code 1' });
    expect(w1?.wallMs?.n).toBe(2);
  });

  it('pairs speedups by round, so drift that hits both cancels exactly', () => {
    // per-round ratios 10/5.5, 10/5.5, 12/6.6 are all 1.8181…: the CI collapses to the point
    expect(w2?.speedup.single?.point).toBeCloseTo(10 / 5.5, 12);
    expect(w2?.speedup.single?.lo).toBeCloseTo(10 / 5.5, 12);
    expect(w2?.speedup.single?.hi).toBeCloseTo(10 / 5.5, 12);
    expect(w2?.efficiency.single?.point).toBeCloseTo(10 / 5.5 / 2, 12);
    expect(w2?.speedup['single-mt']?.point).toBeCloseTo(6 / 5.5, 12);
  });

  it('pairs only rounds both completed', () => {
    expect(w1?.speedup.single?.n).toBe(2);
  });

  it('reports the lead-in share from the stored plan, and null for runs that predate the count', () => {
    expect(w2?.leadInShare).toBeNull();
    const withLeadIn = { ...line(id('chunked w2 10s exact · veryfast'), 0, 5_500) };
    withLeadIn.record = { ...(withLeadIn.record as RunRecord), segments: [{ frameCount: 60, leadInFrames: 0 }, { frameCount: 40, leadInFrames: 10 }] } as RunRecord;
    const again = summarize(meta, [withLeadIn]).configs.find((c) => c.configId === id('chunked w2 10s exact · veryfast'));
    expect(again?.leadInShare).toBeCloseTo(0.1, 12);
  });

  it('computes CPU utilisation as Σ CPU / (wall × cores)', () => {
    expect(w2?.cpuUtilisation?.mean).toBeCloseTo(0.9, 12);
  });

  it('matches baselines on the work done: a different preset has no single baseline', () => {
    const fast = configs.find((c) => c.preset === 'fast');
    expect(fast && findBaseline(fast, configs, 'single')).toBeUndefined();
    const centre = configs.find((c) => c.id === id('chunked w2 10s exact · veryfast'));
    expect(centre && findBaseline(centre, configs, 'single')?.mode).toBe('single');
  });

  it('puts the grid\'s centre (declared in advance) against single in the headline', () => {
    expect(summary.headline?.before.label).toMatch(/^single ·/);
    expect(summary.headline?.after.label).toBe('chunked w2 10s exact · veryfast · none · t1');
    expect(beforeAfter(summary.headline)).toMatch(/Speedup {5}1\.82× \[1\.82, 1\.82\]/);
  });

  it('exports a CSV row and a Markdown row per configuration', () => {
    const csv = toCsv(summary).trim().split('\n');
    expect(csv).toHaveLength(1 + configs.length);
    expect(csv[0]).toMatch(/^label,mode,workers,segment_s,split,preset,filter,threads,work_dir,n,failed,mean_s,ci95_lo_s,ci95_hi_s/);
    const md = toMarkdown(summary);
    expect(md).toContain('| chunked w2 10s exact · veryfast · none · t1 | 3 | 5.87 [');
    expect(md).toContain('| 1.82× [1.82, 1.82] |');
    expect(md).toContain('2 (+1 failed)');
  });
});

describe("summarize: segment 'auto'", () => {
  const autoGrid = parseGrid('g.json', { name: 'a', inputs: ['tiny'], sweeps: [{ name: 'segments', vary: { segment: [10, 'auto'] } }, { name: 'baselines', vary: { mode: ['single', 'sequential'] } }] });
  const autoConfigs = expandGrid(autoGrid);
  const autoMeta = { runId: 'a', seed: 1, grid: autoGrid, configs: autoConfigs, machine: { cores: 2 } } as unknown as RunMeta;
  const auto = autoConfigs.find((c) => c.segmentSeconds === 'auto' && c.mode === 'chunked');
  const choice = chooseSegment({ durationSeconds: 4, workers: 2 });
  const autoLine = (round: number): ResultLine => {
    const l = line(auto?.id ?? '', round, 5_000);
    return { ...l, record: { ...(l.record as RunRecord), config: { segmentSeconds: 'auto' }, segmentChoice: choice } as unknown as RunRecord };
  };
  const summary = summarize(autoMeta, [autoLine(0), autoLine(1), line(autoConfigs.find((c) => c.mode === 'single')?.id ?? '', 0, 9_000), line(autoConfigs.find((c) => c.mode === 'single')?.id ?? '', 1, 9_000)]);
  const row = summary.configs.find((c) => c.configId === auto?.id);

  it('keeps what auto chose, and compares it with single like any configuration', () => {
    expect(row?.segmentChoice).toEqual({ segmentSeconds: 2, chunks: 2, waves: 1, reason: choice.reason });
    expect(row?.speedup.single?.point).toBeCloseTo(9 / 5, 12);
    expect(summary.configs.find((c) => c.config.segmentSeconds === 10 && c.config.mode === 'chunked')?.segmentChoice).toBeNull();
  });

  it('has no sequential baseline: sequential auto chooses for one worker, so its chunks are not the same', () => {
    expect(auto && findBaseline(auto, autoConfigs, 'sequential')).toBeUndefined();
    const ten = autoConfigs.find((c) => c.segmentSeconds === 10 && c.mode === 'chunked');
    expect(ten && findBaseline(ten, autoConfigs, 'sequential')?.segmentSeconds).toBe(10);
  });

  it("exports 'auto' and the chosen length to the CSV, and no NaN anywhere", () => {
    const csv = toCsv(summary).trim().split('\n');
    expect(csv[0]).toMatch(/,segment_chosen_s$/);
    const autoRow = csv.find((r) => r.startsWith('chunked w2 auto exact'));
    expect(autoRow).toMatch(/^chunked w2 auto exact · veryfast · none · t1,chunked,2,auto,exact,/);
    expect(autoRow).toMatch(/,2$/);
    expect(toCsv(summary) + toMarkdown(summary)).not.toMatch(/NaN|undefined/);
  });
});

