// The page's words on hand-built numbers (issue #15 review): a share of the machine's ceiling is never "123% of
// what this machine allows" — past 100% the words change and the numbers stay, uncut; an efficiency interval
// past 100% is named as noise; the held-out table names work in the page's own labels; the jargon the page
// keeps (R², SIGKILL) is in the glossary; and a model curve's legend symbol is dashed as the curve is.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGrid } from '../../src/grid/expand.ts';
import { parseGrid } from '../../src/grid/load.ts';
import type { ResultLine, RunMeta } from '../../src/harness/store.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';
import { ceilingClause, ceilingPosition } from '../../src/report/ceiling.ts';
import { MODEL_COLOUR } from '../../src/report/charts.ts';
import { readRun } from '../../src/report/contract.ts';
import { centreLegend, workWords } from '../../src/report/labels.ts';
import { buildReport, GLOSSARY, reportCharts } from '../../src/report/model.ts';
import { efficiencyClause } from '../../src/report/sections/scaling.ts';
import { clusterProjection } from '../../src/report/write.ts';
import { summarize } from '../../src/summary/summarize.ts';
import { REPO } from '../helpers.ts';

const of = (point: number, lo: number, hi: number, n = 4) => ({ point, lo, hi, n, workers: 2 });

describe('the share of the ceiling in words', () => {
  it('keeps "of what this machine allows" only where the whole interval is at or below 100%', () => {
    expect(ceilingPosition(of(0.84, 0.7, 0.98))).toBe('below');
    expect(ceilingClause(of(0.84, 0.7, 0.98))).toBe('84% [70, 98] of what this machine allows at 2 processes (its ceiling)');
  });

  it('says "within the noise" where the interval reaches past 100%, and prints the interval uncut', () => {
    expect(ceilingPosition(of(0.84, 0.57, 1.23))).toBe('within');
    const clause = ceilingClause(of(0.84, 0.57, 1.23));
    expect(clause).toBe('within the noise of what this machine allows at 2 processes (its ceiling): 84% [57, 123] of it, the ceiling itself being uncertain');
    expect(clause).not.toMatch(/\d+% \[[\d, ]+\] of what this machine allows/);
  });

  it('says the measured ceiling came out low where the whole interval is past 100%', () => {
    expect(ceilingPosition(of(1.13, 1.05, 1.21))).toBe('above');
    expect(ceilingClause(of(1.13, 1.05, 1.21))).toMatch(/^above what this machine allows at 2 processes \(its ceiling\) as measured: 113% \[105, 121\] of it, the ceiling having come out low/);
  });

  it('judges a one-round share by its point, the only number printed', () => {
    expect(ceilingPosition(of(1.1, 1.1, 1.1, 1))).toBe('above');
    expect(ceilingPosition(of(0.9, 0.9, 0.9, 1))).toBe('below');
    expect(ceilingClause(of(0.9, 0.9, 0.9, 1))).toBe('90% (1 round, no CI) of what this machine allows at 2 processes (its ceiling)');
  });
});

describe('parallel efficiency in words', () => {
  it('names an interval past 100% as within the noise of no loss, keeping the numbers', () => {
    expect(efficiencyClause({ point: 0.76, lo: 0.57, hi: 1.02, n: 4 })).toBe('each worker does 76% [57, 102] of what one ffmpeg alone does (parallel efficiency), within the noise of no loss at all (the interval reaches past 100%)');
    expect(efficiencyClause({ point: 0.76, lo: 0.6, hi: 0.9, n: 4 })).toBe('each worker does 76% [60, 90] of what one ffmpeg alone does (parallel efficiency)');
  });
});

describe('the work a configuration does, in the labels\' words', () => {
  const config = { codec: 'libx264' as const, preset: 'veryfast', filter: 'none', crf: null, threads: 1, split: 'exact' as const, workDir: 'tmp' };
  it('reads as the centre legend does, with no "work dir tmp" or "filter none"', () => {
    expect(workWords(config)).toBe('libx264 veryfast, no filter, 1 thread per ffmpeg, exact split, chunks in the OS temp dir');
    expect(workWords({ ...config, filter: 'denoise', crf: 23, split: 'copy', workDir: 'tmpfs' })).toBe('libx264 veryfast, denoise filter, crf 23, 1 thread per ffmpeg, copy split, chunks in memory (tmpfs)');
    const legend = centreLegend({ ...config, mode: 'chunked' as const, workers: 2, segmentSeconds: 10, input: 'sd' });
    for (const part of ['no filter', '1 thread per ffmpeg', 'chunks in the OS temp dir']) expect(legend).toContain(part);
  });
});

describe('the sample run\'s page', () => {
  const dir = join(REPO, 'test', 'data', 'default-run');
  const { meta, results, ceilings } = readRun(dir);
  const model = buildReport(meta, results, summarize(meta, results, ceilings), clusterProjection(dir, meta, results));

  it('explains in the glossary the technical terms its sentences keep', () => {
    const terms = GLOSSARY.map((g) => g.term);
    expect(terms).toContain('R²');
    expect(terms).toContain('SIGKILL');
    expect(terms.some((t) => t.startsWith('coefficient of variation'))).toBe(true);
  });

  it('names held-out work in plain words', () => {
    const cells = JSON.stringify(model.sections.find((s) => s.id === 'projection')?.tables);
    expect(cells).toContain('chunks in the OS temp dir');
    expect(cells).not.toMatch(/work dir |filter none/);
  });

  it('draws the projection\'s model legend dashed, as its curves are, and names the log axis plainly', () => {
    const spec = reportCharts(model).find((c) => c.name === 'cluster-projection')?.spec as { layer: { mark: { type: string; strokeDash?: number[] }; encoding: { x: { title: string }; color?: { legend: { symbolDash: number[] } } } }[] };
    const line = spec.layer.find((l) => l.mark.type === 'line');
    expect(line?.mark.strokeDash?.length).toBeGreaterThan(0);
    expect(line?.encoding.color?.legend.symbolDash).toEqual(line?.mark.strokeDash);
    expect(line?.encoding.x.title).toBe('workers (each step doubles)');
  });
});

describe('the scaling chart\'s model legend', () => {
  it('dashes each model explicitly, none solid like a measurement, its legend in the models\' colour', () => {
    const grid = parseGrid('g.json', { name: 'w', inputs: ['tiny'], repeats: 6, sweeps: [{ name: 'workers', vary: { workers: [2, 4, 8] } }, { name: 'baselines', vary: { mode: ['single'] } }] });
    const configs = expandGrid(grid);
    const meta = { schema: 'chunkbench.meta/1', runId: 'r', seed: 1, grid, configs, machine: { cores: 8, cpuModel: 'test', memoryBytes: 2 ** 33, os: 'linux', node: 'v20' }, binaries: { ffmpeg: { version: 'ffmpeg version test' } }, commit: null, startedAt: '2026-01-01T00:00:00Z' } as unknown as RunMeta;
    // Amdahl with 5% serial, ±1% by round and configuration
    const results: ResultLine[] = [];
    for (let round = 0; round < 6; round++) {
      for (const c of configs) {
        const workers = c.mode === 'single' ? 1 : c.workers;
        const ms = 10_000 * (0.05 + 0.95 / workers) * (1 + 0.01 * Math.sin(round * 7 + c.label.length * 3));
        const record = { schema: 'chunkbench.run/1', state: 'ok', wallMs: ms, ffmpegCpuMs: ms * workers * 0.9, harnessOverheadMs: 1, segments: [{ frameCount: 100 }], chunks: [{ index: 0, state: 'ok', workerId: 0, startMs: 0, endMs: ms * 0.9, durationSeconds: 10 }], output: { bytes: 1000 }, verification: { ok: true }, phases: { probeMs: ms * 0.01, splitMs: 0, processMs: ms * 0.97, mergeMs: ms * 0.02, verifyMs: 5 } } as unknown as RunRecord;
        results.push({ schema: 'chunkbench.result/1', seq: results.length, round, warmup: false, configId: c.id, label: c.label, state: 'ok', wallMs: ms, record });
      }
    }
    const spec = reportCharts(buildReport(meta, results, summarize(meta, results))).find((c) => c.name === 'speedup')?.spec as { layer: { mark: { type: string; color?: string }; encoding: { strokeDash?: { scale: { domain: string[]; range: number[][] }; legend: { symbolStrokeColor: string } } } }[] };
    const dash = spec.layer.find((l) => l.mark.type === 'line' && l.encoding.strokeDash)?.encoding.strokeDash;
    expect(dash?.scale.domain).toEqual(['model: Amdahl', 'model: USL']);
    for (const d of dash?.scale.range ?? []) expect(d.length).toBeGreaterThan(1);
    expect(new Set(dash?.scale.range.map(String)).size).toBe(2);
    expect(dash?.legend.symbolStrokeColor).toBe(MODEL_COLOUR);
  });
});
