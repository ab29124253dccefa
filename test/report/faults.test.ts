// The fault-tolerance section computed from stored runs: paired costs, faults, retries, backups, verification.
import { describe, expect, it } from 'vitest';
import type { GridConfig } from '../../src/grid/expand.ts';
import type { ResultLine } from '../../src/harness/store.ts';
import type { AttemptRecord, ChunkRecord, RunRecord } from '../../src/pipeline/types.ts';
import { faultsSection } from '../../src/report/faults.ts';
import { renderSvg } from '../../src/report/render.ts';
import type { ReportContext } from '../../src/report/section.ts';
import { faultsReportSection } from '../../src/report/sections/faults.ts';
import type { RunMeta } from '../../src/harness/store.ts';
import type { Summary } from '../../src/summary/summarize.ts';

const base: Omit<GridConfig, 'id' | 'label'> = { sweeps: [], input: 'sd', mode: 'chunked', workers: 2, segmentSeconds: 5, split: 'exact', codec: 'libx264', preset: 'veryfast', filter: 'none', threads: 1, crf: null, workDir: 'tmp', retries: 2, injectFaults: 0, injectStalls: 0, speculate: 0, executor: 'local' };
const config = (id: string, over: Partial<GridConfig>): GridConfig => ({ ...base, id, label: id, ...over });

const attempt = (over: Partial<AttemptRecord>): AttemptRecord => ({ attempt: 1, workerId: 0, startMs: 0, endMs: 100, state: 'ok', speculative: false, exitCode: 0, signal: null, timeoutMs: null, utimeMs: 1, stimeMs: 0, rtimeMs: 1, ...over });
const chunk = (attempts: AttemptRecord[], retries = 0): ChunkRecord => ({ index: 0, state: 'ok', workerId: 0, startMs: 0, endMs: 1, startFrame: 0, frameCount: 1, framesOut: 1, durationSeconds: 5, inputBytes: 1, outputBytes: 1, exitCode: 0, signal: null, spawnToExitMs: 1, utimeMs: 1, stimeMs: 0, rtimeMs: 1, maxrssKb: 1, stderrTail: '', attempts, retries });
const line = (c: GridConfig, round: number, wallMs: number, chunks: ChunkRecord[]): ResultLine => ({
  schema: 'chunkbench.result/1', seq: round * 10, round, warmup: false, configId: c.id, label: c.label, state: 'ok', wallMs,
  record: { chunks, verification: { ok: true, checks: [] } } as unknown as RunRecord,
});
const summaryOf = (configs: GridConfig[], walls: Record<string, number>): Summary =>
  ({ configs: configs.map((c) => ({ configId: c.id, label: c.label, config: c, wallMs: { mean: walls[c.id], ci95: { lo: (walls[c.id] ?? 0) * 0.9, hi: (walls[c.id] ?? 0) * 1.1 } } })) }) as unknown as Summary;

describe('faultsSection', () => {
  const clean = config('clean', {});
  const faulty = config('faulty', { injectFaults: 0.2 });
  const killed = attempt({ state: 'failed', reason: 'killed by SIGKILL', signal: 'SIGKILL', endMs: 400, fault: { kind: 'kill', afterMs: 300, fired: true } });
  const retry = attempt({ attempt: 2, workerId: 1, startMs: 400, endMs: 900 });
  const results = [0, 1, 2, 3].flatMap((round) => [
    line(clean, round, 1000 + round, [chunk([attempt({})])]),
    line(faulty, round, 1200 + round, [chunk([killed, retry], 1), chunk([attempt({})])]),
  ]);

  it('measures the cost of a fault rate as a paired ratio, with faults, retries, lost time and verification', () => {
    const section = faultsSection(results, summaryOf([clean, faulty], { clean: 1001.5, faulty: 1201.5 }));
    expect(section?.rows.map((r) => r.rate)).toEqual([0, 0.2]);
    const row = section?.rows[1];
    expect(row?.cost?.point).toBeCloseTo(Math.exp([0, 1, 2, 3].reduce((s, r) => s + Math.log((1200 + r) / (1000 + r)), 0) / 4), 10);
    expect(row?.cost?.lo).toBeLessThanOrEqual(row?.cost?.point ?? 0);
    expect(row?.faultsPerRun).toBe(1);
    expect(row?.retriesPerRun).toBe(1);
    expect(row?.lostWorkerSeconds).toBeCloseTo(0.4, 10);
    expect(row?.verified).toBe(4);
    expect(section?.sentences[0]).toMatch(/at a fault rate of 20% per chunk, 1\.0 \[[\d.]+, [\d.]+\] faults struck per run and the wall time rose by \+20\.0% \[/);
    // the cost per fault carries the paired cost's interval: (ratio − 1) × the fault-free wall time ÷ faults per run
    const cost = row?.cost as { point: number; lo: number; hi: number };
    const perFault = (r: number) => (((r - 1) * 1001.5) / 1000).toFixed(2);
    expect(section?.sentences[1]).toBe(`At 20%, each fault that struck cost ${perFault(cost.point)} s [${perFault(cost.lo)}, ${perFault(cost.hi)}] of wall time: the part of the chunk already done is lost (0.40 [0.40, 0.40] worker-seconds per run) and the chunk runs again, on the other worker.`);
    expect(section?.sentences.at(-1)).toBe('8 of 8 outputs of these runs passed verification (frame count, durations, streams): recovery never cost correctness.');
  });

  it('becomes the page\'s section: the answer to "what if a worker fails", a chart that renders, and its table', async () => {
    const summary = summaryOf([clean, faulty], { clean: 1001.5, faulty: 1201.5 });
    const ctx: ReportContext = { meta: {} as RunMeta, results, summary, centre: null, cores: 2, label: (id) => id, cluster: null };
    const section = faultsReportSection(ctx);
    expect(section?.answers?.question).toBe('faults');
    expect(section?.answers?.text).toMatch(/^A killed ffmpeg costs a retry, not the run: each fault that struck cost 0\.20 s \[[\d.]+, [\d.]+\] of wall time \(at 20% of chunks killed, 1\.0 \[[\d.]+, [\d.]+\] faults per run: \+20\.0% \[\+[\d.]+%, \+[\d.]+%\] wall time, paired by round\)\. 8 of 8 outputs verified\.$/);
    expect(section?.charts.map((c) => c.name)).toEqual(['faults']);
    // the chart draws the paired cost the text quotes, the fault-free rate at 1× by definition
    const values = (section?.charts[0]?.spec as { layer: { data?: { values: { rate: number; value: number; lo: number; hi: number }[] } }[] }).layer[1]?.data?.values;
    const cost = faultsSection(results, summary)?.rows[1]?.cost;
    // (no centre in this context: nothing is drawn in the centre's colour)
    expect(values).toEqual([{ rate: 0, value: 1, lo: 1, hi: 1, centre: false }, { rate: 0.2, value: cost?.point, lo: cost?.lo, hi: cost?.hi, centre: false }]);
    expect(await renderSvg(section?.charts[0]?.spec ?? {})).toMatch(/^<svg/);
    expect(section?.tables[0]?.rows.map((r) => r.cells[0])).toEqual(['0%', '20%']);
  });

  it('compares stragglers with and without speculation', () => {
    const off = config('off', { injectStalls: 0.1 });
    const on = config('on', { injectStalls: 0.1, speculate: 1.5 });
    const stalled = attempt({ state: 'failed', reason: 'timed out after 2000 ms', endMs: 2000, fault: { kind: 'stall', afterMs: 50, fired: true } });
    const lost = attempt({ state: 'cancelled', reason: 'lost-race', endMs: 300, fault: { kind: 'stall', afterMs: 50, fired: true } });
    const backup = attempt({ attempt: 2, speculative: true, startMs: 150, endMs: 250 });
    const runs = [0, 1, 2].flatMap((round) => [line(off, round, 3000 + round, [chunk([stalled, retry], 1)]), line(on, round, 1500 + round, [chunk([lost, backup])])]);
    const section = faultsSection(runs, summaryOf([off, on], { off: 3001, on: 1501 }));
    expect(section?.rows).toEqual([]);
    const [without, withBackups] = section?.stragglers ?? [];
    expect(without?.timeoutsPerRun).toBe(1);
    expect(withBackups?.backupsPerRun).toBe(1);
    expect(withBackups?.backupsWon).toBe(3);
    expect(withBackups?.vsOff?.hi).toBeLessThan(1);
    expect(section?.sentences[0]).toMatch(/^Stragglers \(a 10% chance per chunk of hanging\): with speculative backups at 1\.5× the expected chunk time, runs took 0\.50× \[0\.50, 0\.50\] the wall time of waiting for the hung chunk's timeout \(95% CI, paired\): faster; 1\.0 backups started per run, and 3 of the 3 finished first\.$/);
    // the chart plots that paired ratio (backups ÷ timeout only, by round), not each configuration's own interval
    const ctx: ReportContext = { meta: {} as RunMeta, results: runs, summary: summaryOf([off, on], { off: 3001, on: 1501 }), centre: null, cores: 2, label: (id) => id, cluster: null };
    const page = faultsReportSection(ctx);
    const chart = page?.charts.find((c) => c.name === 'stragglers');
    expect(chart?.title).toMatch(/with speculative backups ÷ without .* paired by round/);
    const dots = JSON.stringify(chart?.spec);
    expect(dots).toContain(`"label":"timeout only, 10% hung","value":1,"lo":1,"hi":1`);
    expect(dots).toContain(`"label":"backups at 1.5×, 10% hung","value":${withBackups?.vsOff?.point},"lo":${withBackups?.vsOff?.lo},"hi":${withBackups?.vsOff?.hi}`);
    expect(page?.answers?.text).toMatch(/^With backups for hung chunks runs took 0\.50× \[[\d.]+, [\d.]+\] the time of waiting for the timeout, faster; 6 of 6 outputs verified\.$/);
  });

  it('is absent when the grid injected nothing', () => {
    expect(faultsSection(results.filter((l) => l.configId === 'clean'), summaryOf([clean], { clean: 1000 }))).toBeNull();
  });
});
