// Report sections on hand-built runs: a model is fitted and drawn with its band only where the run has more
// worker counts within the cores than the model has parameters; a preset that gains more is named only
// when the paired interval says so; and the contract rejects what it does not know.
import { describe, expect, it } from 'vitest';
import { expandGrid } from '../../src/grid/expand.ts';
import { parseGrid } from '../../src/grid/load.ts';
import type { ResultLine, RunMeta } from '../../src/harness/store.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';
import { ceilingSection } from '../../src/report/ceiling.ts';
import { parseMeta, parseProjection, parseResults } from '../../src/report/contract.ts';
import { changeCi, plural, shareCi, timesCi, typographicMinus, verdict } from '../../src/report/format.ts';
import { centreLegend, shortLabel } from '../../src/report/labels.ts';
import { buildReport, reportCharts } from '../../src/report/model.ts';
import { renderSvg } from '../../src/report/render.ts';
import { answerText, costClause, linkSentence, queueReportSection, readVsSentText } from '../../src/report/sections/queue.ts';
import { CPU_BOUND_SHARE, cpuVerdict, storageClause } from '../../src/report/sections/bottleneck.ts';
import { AMDAHL_MIN_COUNTS } from '../../src/report/sections/scaling.ts';
import { conclusion, relabelledWords, type Row } from '../../src/report/sections/segments.ts';
import { summarize } from '../../src/summary/summarize.ts';
import { chooseSegment } from '../../src/pipeline/segmentAuto.ts';

/** A run of `grid` on a machine with `cores`, each configuration's wall time per round from `wallMs`. */
function run(gridJson: object, cores: number, wallMs: (label: string, round: number) => number, rounds = 6): { meta: RunMeta; results: ResultLine[] } {
  const grid = parseGrid('g.json', gridJson);
  const configs = expandGrid(grid);
  const meta = { schema: 'chunkbench.meta/1', runId: 'r', seed: 1, grid, configs, machine: { cores, cpuModel: 'test', memoryBytes: 2 ** 33, os: 'linux', node: 'v20' }, binaries: { ffmpeg: { version: 'ffmpeg version test' } }, commit: null, startedAt: '2026-01-01T00:00:00Z' } as unknown as RunMeta;
  let seq = 0;
  const results: ResultLine[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const c of configs) {
      const ms = wallMs(c.label, round);
      const record = { schema: 'chunkbench.run/1', state: 'ok', wallMs: ms, ffmpegCpuMs: ms * Math.min(cores, c.workers) * 0.9, harnessOverheadMs: 1, segments: [{ frameCount: 100 }], chunks: [{ index: 0, state: 'ok', workerId: 0, startMs: 0, endMs: ms * 0.9, durationSeconds: 10 }], output: { bytes: 1000 }, verification: { ok: true }, phases: { probeMs: ms * 0.01, splitMs: 0, processMs: ms * 0.97, mergeMs: ms * 0.02, verifyMs: 5 } } as unknown as RunRecord;
      results.push({ schema: 'chunkbench.result/1', seq: seq++, round, warmup: false, configId: c.id, label: c.label, state: 'ok', wallMs: ms, record });
    }
  }
  return { meta, results };
}

// Amdahl with a 5% serial part: T(N) = 10 s · (0.05 + 0.95/N), ±1% noise that differs by round and configuration
const noise = (label: string, round: number) => 1 + 0.01 * Math.sin(round * 7 + label.length * 3);
const amdahl = (workers: number) => 10_000 * (0.05 + 0.95 / workers);

describe('the scaling section', () => {
  it('fits Amdahl and the USL, each with its band, when 8 cores carry four worker counts', () => {
    const { meta, results } = run({ name: 'w', inputs: ['tiny'], repeats: 6, sweeps: [{ name: 'workers', vary: { workers: [2, 4, 8] } }, { name: 'baselines', vary: { mode: ['single'] } }] }, 8, (label, round) => {
      const workers = label.startsWith('single') ? 1 : Number(/w(\d+)/.exec(label)?.[1]);
      return amdahl(workers) * noise(label, round);
    });
    const model = buildReport(meta, results, summarize(meta, results));
    const scaling = model.sections.find((s) => s.id === 'scaling');
    const text = scaling?.sentences.map((s) => s.text).join(' ') ?? '';
    expect(text).toMatch(/Model: Amdahl's law fitted to 4 worker counts within the cores gives a serial fraction of [45]\.\d% \[[\d.]+%, [\d.]+%\]/);
    const spec = JSON.stringify(reportCharts(model).find((c) => c.name === 'speedup')?.spec);
    expect(spec).toContain('"model":"model: Amdahl"');
    expect(spec).toContain('"model":"model: USL"');
    expect(spec).toContain('"type":"area"'); // the bands
    // curves stay within the cores
    expect(Math.max(...[...spec.matchAll(/"workers":([\d.]+),"model"/g)].map((m) => Number(m[1])))).toBeLessThanOrEqual(8);
  });

  it('fits nothing through two worker counts within two cores, and names the grid that would', () => {
    const { meta, results } = run({ name: 'w', inputs: ['tiny'], repeats: 6, sweeps: [{ name: 'workers', vary: { workers: [1, 2, 4] } }, { name: 'baselines', vary: { mode: ['single'] } }] }, 2, (label, round) => {
      const workers = label.startsWith('single') ? 1 : Math.min(2, Number(/w(\d+)/.exec(label)?.[1]));
      return amdahl(workers) * noise(label, round);
    });
    const model = buildReport(meta, results, summarize(meta, results));
    const text = model.sections.find((s) => s.id === 'scaling')?.sentences.map((s) => s.text).join(' ') ?? '';
    expect(text).toMatch(/^.*No scaling model is fitted: within the 2 cores this run measured 2 worker counts/);
    expect(JSON.stringify(reportCharts(model))).not.toMatch(/model: Amdahl|model: USL|karp-flatt/);
  });
});

describe('the work-per-frame section', () => {
  const grid = { name: 'p', inputs: ['tiny'], repeats: 6, sweeps: [{ name: 'presets', vary: { mode: ['chunked', 'single'], preset: ['veryfast', 'slow'] } }] };
  const text = (gain: number) => {
    // single: veryfast 10 s, slow 30 s; chunked gains 1.6× on veryfast, 1.6 × gain on slow
    const { meta, results } = run(grid, 2, (label, round) => {
      const slow = label.includes('slow');
      const single = slow ? 30_000 : 10_000;
      return (label.startsWith('single') ? single : single / (1.6 * (slow ? gain : 1))) * noise(label, round);
    });
    return buildReport(meta, results, summarize(meta, results)).sections.find((s) => s.id === 'work')?.sentences.map((s) => s.text).join(' ') ?? '';
  };

  it('names the heavier preset as gaining more only when the paired interval excludes 1×', () => {
    expect(text(1.3)).toMatch(/The most work per frame gains more: preset slow \(the most, by single's wall time\) gains 1\.\d\d× \[1\.\d\d, 1\.\d\d\] as much as preset veryfast/);
    expect(text(1)).toMatch(/Does more work per frame gain more\? The data do not say/);
  });
});

describe('the formatting module', () => {
  it('writes every interval one way, and says when there is none', () => {
    expect(timesCi({ point: 1.7246, lo: 1.634, hi: 1.82, n: 5 })).toBe('1.72× [1.63, 1.82]');
    expect(timesCi({ point: 1.7246, lo: 1.7246, hi: 1.7246, n: 1 })).toBe('1.72× (1 round, no CI)');
    expect(shareCi({ point: 0.86, lo: 0.82, hi: 0.91 })).toBe('86% [82, 91]');
    expect(changeCi({ point: 0.974, lo: 0.942, hi: 1.006 })).toBe('−2.6% [−5.8%, +0.6%]');
    expect(verdict({ point: 1.12, lo: 0.99, hi: 1.27 })).toBe('unclear');
    expect(verdict({ point: 1.72, lo: 1.63, hi: 1.82 })).toBe('above');
    expect(verdict({ point: 2, lo: 2, hi: 2, n: 1 })).toBe('unclear');
  });

  it('writes plurals as words (the simulation text uses the same helper) and mends the minus sign', () => {
    expect(`at most ${plural(2, 'busy thread')} on 2 cores; ${plural(1, 'core')} each; ${plural(1, 'worker')}`).toBe('at most 2 busy threads on 2 cores; 1 core each; 1 worker');
    expect(typographicMinus('2.75 s, -8.0%, outside the CI [-2.7%, +1.0%]; a-1 stays')).toBe('2.75 s, −8.0%, outside the CI [−2.7%, +1.0%]; a-1 stays');
  });
});

describe('short labels', () => {
  const centre = { mode: 'chunked', workers: 2, segmentSeconds: 10, split: 'exact', codec: 'libx264', preset: 'veryfast', filter: 'none', threads: 1, crf: null, workDir: 'tmp', input: 'sd' } as const;
  it('name only what differs from the centre', () => {
    expect(shortLabel(centre, centre)).toBe('centre');
    expect(shortLabel({ ...centre, workers: 4 }, centre)).toBe('4 workers');
    expect(shortLabel({ ...centre, mode: 'single', workers: 1, segmentSeconds: null, split: null }, centre)).toBe('single');
    expect(shortLabel({ ...centre, mode: 'single-mt', workers: 1, segmentSeconds: null, split: null, threads: 0 }, centre)).toBe('single-mt');
    expect(shortLabel({ ...centre, mode: 'single', workers: 1, segmentSeconds: null, split: null, preset: 'faster' }, centre)).toBe('single · preset faster');
    expect(shortLabel({ ...centre, split: 'copy', workDir: 'disk' }, centre)).toBe('copy split · on disk');
    expect(shortLabel({ ...centre, executor: 'queue' }, { ...centre, executor: 'local' })).toBe('task queue');
    expect(centreLegend(centre)).toBe('chunked, 2 workers, 10 s segments, exact split, libx264 veryfast, no filter, 1 thread per ffmpeg, chunks in the OS temp dir, input sd');
  });
});

describe("segment 'auto' in the report", () => {
  it('labels it auto', () => {
    const centre = { mode: 'chunked', workers: 2, segmentSeconds: 10, split: 'exact', codec: 'libx264', preset: 'veryfast', filter: 'none', threads: 1, crf: null, workDir: 'tmp', input: 'sd' } as const;
    expect(shortLabel({ ...centre, segmentSeconds: 'auto' }, centre)).toBe('auto segments');
    expect(centreLegend({ ...centre, segmentSeconds: 'auto' })).toBe('chunked, 2 workers, auto segments, exact split, libx264 veryfast, no filter, 1 thread per ffmpeg, chunks in the OS temp dir, input sd');
  });

  it('puts auto in the segment sweep at the length it chose, named as auto, with no NaN', () => {
    const seconds = (label: string) => (label.includes(' auto ') ? 30 : Number(/ (\d+)s /.exec(label)?.[1] ?? 60));
    const { meta, results } = run({ name: 's', inputs: ['tiny'], repeats: 6, fixed: { segment: 10 }, sweeps: [{ name: 'segments', vary: { segment: [5, 10, 30, 'auto'] } }, { name: 'baselines', vary: { mode: ['single'] } }] }, 2, (label, round) => (label.startsWith('single') ? 9_000 : 4_000 + 3_000 / seconds(label)) * noise(label, round));
    const choice = chooseSegment({ durationSeconds: 60, workers: 2 });
    const auto = meta.configs.find((c) => c.segmentSeconds === 'auto');
    for (const l of results) if (l.configId === auto?.id && l.record) l.record = { ...l.record, config: { segmentSeconds: 'auto' }, segmentChoice: choice } as unknown as RunRecord;
    expect(() => parseMeta(JSON.parse(JSON.stringify(meta)), 'meta.json')).not.toThrow();
    const model = buildReport(meta, results, summarize(meta, results));
    const section = model.sections.find((x) => x.id === 'segments');
    const rows = section?.tables[0]?.rows.map((r) => r.cells[0]);
    expect(rows).toEqual(['5 s', '10 s', '30 s', 'auto (30 s)']);
    const text = JSON.stringify(section);
    expect(text).not.toMatch(/NaN|undefined|null s/);
    expect(text).toContain('auto just right of the length it chose, labelled with it');
    expect(text).toContain('"autoLabel":"auto: 30 s"');
    expect(model.sections.flatMap((x) => x.sentences.map((y) => y.text)).join(' ')).not.toMatch(/NaN|undefined s/);
  });
});

describe('the stored-run contract', () => {
  const ok = { schema: 'chunkbench.result/1', seq: 0, round: 0, warmup: false, configId: 'a', label: 'a', state: 'failed', wallMs: 0, error: 'x', record: null };
  const ceiling = { schema: 'chunkbench.ceiling/1', seq: 1, round: 0, warmup: false, configId: 'ceiling-w2', label: 'c', workers: 2, state: 'ok', aloneMs: 1, togetherMs: 1, ceiling: 2 };

  it('reads result and ceiling lines, and skips a torn last line', () => {
    const { results, ceilings } = parseResults(`${JSON.stringify(ok)}\n${JSON.stringify(ceiling)}\n{"schema":"chunk`);
    expect(results).toHaveLength(1);
    expect(ceilings).toHaveLength(1);
  });

  it('rejects a line of an unknown schema, naming the line and what it reads', () => {
    expect(() => parseResults(`${JSON.stringify(ok)}\n${JSON.stringify({ ...ok, schema: 'chunkbench.result/2' })}\n`, 'r.jsonl')).toThrow(/^r\.jsonl:2: unknown line schema "chunkbench\.result\/2"; this report reads chunkbench\.result\/1 and chunkbench\.ceiling\/1/);
  });

  it('rejects a known line with a wrong field, and a broken line that is not the last', () => {
    expect(() => parseResults(JSON.stringify({ ...ok, state: 'maybe' }), 'r.jsonl')).toThrow(/^r\.jsonl:1: a chunkbench\.result\/1 line the report cannot read \(state: /);
    expect(() => parseResults(`{"schema":\n${JSON.stringify(ok)}\n`, 'r.jsonl')).toThrow(/^r\.jsonl:1: not JSON; only the last line may be partial/);
  });

  it('rejects a meta.json that is not a run\'s', () => {
    expect(() => parseMeta({ schema: 'chunkbench.meta/1', runId: 'r' }, 'meta.json')).toThrow(/^meta\.json: not a chunkbench run's meta\.json \(grid: /);
  });
});

describe('the task-queue section', () => {
  const { meta, results } = run({ name: 'q', inputs: ['tiny'], repeats: 6, sweeps: [{ name: 'workers', vary: { workers: [2] } }] }, 2, () => 1000);
  const summary = summarize(meta, results);
  const ctx = { meta, results, summary, centre: summary.configs[0] ?? null, cores: 2, label: () => 'centre', cluster: null };
  const transfer = { chunks: 30, readBytesPerChunk: 338_000, readChunks: 30, servedBytesPerChunk: 459_000, fetchRequestsPerChunk: 5.5, uploadBytesPerChunk: 124_000, uploadMsPerChunk: 4.3, uploadMsCi: { lo: 3.6, hi: 5.0 }, checkMsPerChunk: 42.4, checkMsCi: null };
  const link = { latencyMs: 2.0, mbps: 452, transfers: 360, method: 'least squares per round' as const, rounds: 5, latencyMsCi: { lo: 0, hi: 4.9 }, mbpsCi: { lo: 210, hi: null } };
  const row = { label: summary.configs[0]?.label ?? '', local: { value: 2.8, lo: 2.7, hi: 2.9 }, queue: { value: 3.0, lo: 2.9, hi: 3.1 }, ratio: { point: 1.07, lo: 1.04, hi: 1.1, n: 5, method: 'paired-t-log' as const }, addedMsPerChunk: { value: 33, lo: 20, hi: 46 }, waitMsPerChunk: { value: 4, lo: 3, hi: 5 }, chunks: 6, rounds: 5, transport: 'http' as const, transfer, vsShared: { point: 1.02, lo: 0.99, hi: 1.05, n: 5, method: 'paired-t-log' as const }, addedMsPerChunkVsShared: { value: -10, lo: -115.6, hi: 95.7 } };

  it('answers "really distributed" with how the chunks moved, and each cost with its verdict by its interval', async () => {
    const section = queueReportSection(ctx, { rows: [row], link });
    expect(section?.answers).toEqual({ question: 'distributed', text: 'Yes, as far as one machine can show: the chunks run as jobs on a task queue, taken by separate worker processes that fetch their chunk and upload the result over HTTP, sharing no files with the coordinator. For centre, paired by round: wall time +7.0% [+4.0%, +10.0%] against the local pool, slower; over HTTP +2.0% [−1.0%, +5.0%] against shared files, not clearly slower or faster (the interval includes no change).' });
    expect(section?.tables[0]?.rows[0]?.cells.slice(0, 2)).toEqual(['centre', 'HTTP']);
    expect(await renderSvg(section?.charts[0]?.spec ?? {})).toMatch(/^<svg/);
  });

  it('states a cost as slower or faster only where its interval excludes no change', () => {
    expect(costClause({ point: 1.113, lo: 0.728, hi: 1.702, n: 5 }, 'the local pool')).toBe('+11.3% [−27.2%, +70.2%] against the local pool, not clearly slower or faster (the interval includes no change)');
    expect(costClause({ point: 1.2, lo: 1.1, hi: 1.3, n: 5 }, 'x')).toMatch(/, slower$/);
    expect(costClause({ point: 0.8, lo: 0.7, hi: 0.9, n: 5 }, 'x')).toMatch(/, faster$/);
    for (const e of [{ point: 1.113, lo: 0.728, hi: 1.702, n: 5 }, { point: 0.97, lo: 0.62, hi: 1.53, n: 5 }]) {
      const text = answerText({ rows: [{ ...row, ratio: { ...e, method: 'paired-t-log' }, vsShared: { ...e, method: 'paired-t-log' } }], link }, () => '1 s segments');
      expect(text).toMatch(/For 1 s segments, paired by round, no cost is clear: wall time [+−][\d.]+% \[[^\]]+\] against the local pool and over HTTP [+−][\d.]+% \[[^\]]+\] against shared files \(both intervals include no change\)\.$/);
      expect(text).not.toMatch(/\b(slower|faster)\b/);
    }
  });

  it('writes every negative number with the minus sign, and the technical terms only in the glossary', () => {
    const section = queueReportSection(ctx, { rows: [{ ...row, addedMsPerChunk: { value: -10, lo: -115.6, hi: 95.7 } }], link });
    const texts = [...(section?.sentences.map((x) => x.text) ?? []), section?.answers?.text ?? '', ...(section?.tables.flatMap((t) => [t.caption ?? '', ...t.rows.flatMap((r) => r.cells)]) ?? [])];
    expect(texts.filter((t) => /(^|[\s(\[,])-\d/.test(t))).toEqual([]);
    expect(texts.join(' ')).toContain('per chunk −10.0 ms [−115.6, +95.7]');
    expect(texts.filter((t) => /BullMQ|Redis|ffprobe|range requests|least squares|intercept|enqueue/.test(t))).toEqual([]);
    const glossary = buildReport(meta, results, summary).glossary.map((g) => `${g.term}: ${g.meaning}`).join(' ');
    for (const term of ['BullMQ', 'Redis', 'ffprobe', 'range requests', 'enqueue']) expect(glossary).toContain(term);
  });

  it('quotes one link for the whole run, with its interval, and no per-configuration figures beside it', () => {
    const texts = queueReportSection(ctx, { rows: [row], link })?.sentences.map((x) => x.text) ?? [];
    expect(texts.filter((t) => t.includes('Mbit/s'))).toEqual(["The link, from all 360 uploads of this run (a straight-line fit of upload time against size in each of 5 rounds, 95% CI over the rounds): 2.0 ms [0.0, 4.9] per upload plus 452 Mbit/s (at least 210; these uploads set no upper limit); the projection uses the same figures. This run's network: loopback when the workers ran on this machine."]);
    expect(linkSentence({ ...link, average: 'geometric', mbpsCi: { lo: 210, hi: 1300 } })).toContain('plus 452 Mbit/s [210, 1300] in a typical round;');
    expect(linkSentence({ latencyMs: 2.5, mbps: 541, transfers: 30, method: 'least squares' })).toContain('(one straight-line fit of upload time against size, no interval: fewer than two rounds could be fitted): 2.5 ms per upload plus 541 Mbit/s;');
    expect(linkSentence({ latencyMs: 3, mbps: null, transfers: 30, method: 'mean time only (no size effect)' })).toMatch(/^The link: upload times do not grow with size over the run's 30 uploads \(3\.0 ms each\)/);
  });

  it('puts both counts of the source in one table and says in one sentence how they relate', () => {
    const section = queueReportSection(ctx, { rows: [row], link });
    const table = section?.tables[1];
    expect(table?.rows[0]?.cells.slice(5)).toEqual(['4.3 ms [3.6, 5.0]', '42.4 ms']);
    expect(table?.head.slice(1, 3)).toEqual(['read by ffmpeg', 'sent by the coordinator (with read-ahead)']);
    expect(table?.rows[0]?.cells.slice(1, 3)).toEqual(['338 kB', '459 kB']);
    expect(table?.caption).toContain("Read by ffmpeg is what each chunk's ffmpeg consumed of the source, by its own count; sent by the coordinator is larger because it also counts read-ahead");
    expect(readVsSentText([{ t: { ...transfer, readBytesPerChunk: null } }])).toMatch(/^ffmpeg's own count of what it read was not reported: only what the coordinator sent is known, which includes read-ahead/);
    expect(readVsSentText([{ t: { ...transfer, readBytesPerChunk: null, servedBytesPerChunk: null } }])).toMatch(/predate the byte counts/);
  });
});

describe('the stored projection', () => {
  it('is read through the contract: a newer schema is rejected with what to do', () => {
    expect(() => parseProjection({ schema: 'chunkbench.projection/3', kind: 'model' }, 'p.json')).toThrow(/^p\.json: not a projection this report reads \(schema: .*rerun `chunkbench simulate`$/);
  });
});

describe('the headline\'s note on sequential sampling', () => {
  it('says how many rounds were added and why it stopped', () => {
    const { meta, results } = run({ name: 's', inputs: ['tiny'], repeats: 3, sweeps: [{ name: 'baselines', vary: { mode: ['chunked', 'single'] } }] }, 2, (label, round) => (label.startsWith('single') ? 10_000 : 6_000) * noise(label, round), 3);
    const summary = summarize(meta, results);
    const base = { targetHalfWidth: 0.05, budgetSeconds: 600, configIds: [], halfWidth: 0.031 };
    summary.sequential = { ...base, addedRounds: 4, stoppedBecause: 'target met' };
    expect(ceilingSection(summary)?.headline.at(-1)).toBe("The headline's configurations got 4 extra rounds beyond the grid's own, until their widest 95% CI (against single or single-mt) was within ±5% (now ±3.1%).");
    summary.sequential = { ...base, addedRounds: 0, stoppedBecause: 'budget' };
    expect(ceilingSection(summary)?.headline.at(-1)).toBe('No rounds were added to the headline (the time budget of 600 s left no room; widest CI ±3.1%).');
  });
});

describe('the content section', () => {
  it('compares the centre on two inputs paired by round, and says the content changes the gain only when the interval excludes 1×', () => {
    const grid = { name: 'c', inputs: ['sd'], repeats: 6, fixed: { workers: 2 }, sweeps: [{ name: 'content', vary: { input: ['sd', 'natural'], mode: ['chunked', 'single'] } }] };
    // sd gains 1.8×, natural 1.5× (lighter work, the same fixed costs)
    const wall = (label: string, round: number) => {
      const natural = label.includes('natural');
      const single = label.startsWith('single');
      return (single ? 10_000 : natural ? 10_000 / 1.5 : 10_000 / 1.8) * (natural ? 0.6 : 1) * noise(label, round);
    };
    const { meta, results } = run(grid, 2, wall);
    // single's records say what one frame costs: 0.9 × its wall time of CPU over 100 frames, 0.05 bits per pixel
    for (const l of results) if (l.label.startsWith('single') && l.record) (l.record as { source: unknown }).source = { frameCount: 100, width: 640, height: 360, videoBytes: (100 * 640 * 360 * 0.05) / 8 };
    const section = buildReport(meta, results, summarize(meta, results)).sections.find((s) => s.id === 'content');
    const text = section?.sentences.map((s) => s.text).join(' ') ?? '';
    expect(text).toMatch(/sd 1\.[78]\d× \[[\d.]+, [\d.]+\] \((?:8|9)\d\.\d\d ms \[[\d.]+, [\d.]+\] of one core per frame, 0\.050 bits per pixel\)/);
    expect(text).toMatch(/natural 1\.[45]\d× \[[\d.]+, [\d.]+\] \(5\d\.\d\d ms \[[\d.]+, [\d.]+\] of one core per frame/);
    expect(text).toMatch(/On natural the gain over single is 0\.8\d× \[[\d.]+, [\d.]+\] the gain on sd, paired by round: lighter content gains less/);
    expect(section?.tables[0]?.rows).toHaveLength(2);
    expect(section?.charts.map((c) => c.name)).toEqual(['content']);

    // the same gain on both: no claim
    const same = run(grid, 2, (label, round) => (label.startsWith('single') ? 10_000 : 10_000 / 1.8) * noise(label, round) * (label.includes('natural') ? 0.6 : 1));
    const sameText = buildReport(same.meta, same.results, summarize(same.meta, same.results)).sections.find((s) => s.id === 'content')?.sentences.map((s) => s.text).join(' ');
    expect(sameText).toMatch(/does not show the content changing the gain/);
  });

  it('is left out of a run without a content sweep', () => {
    const { meta, results } = run({ name: 'w', inputs: ['tiny'], repeats: 3, sweeps: [{ name: 'baselines', vary: { mode: ['single'] } }] }, 2, () => 1000);
    expect(buildReport(meta, results, summarize(meta, results)).sections.some((s) => s.id === 'content')).toBe(false);
  });
});

describe('the share of the ceiling', () => {
  it('says, when the centre is above 100% of the in-run ceiling, that the ceiling moved rather than was beaten', () => {
    const grid = { name: 'c', inputs: ['sd'], repeats: 6, fixed: { workers: 2 }, sweeps: [{ name: 'baselines', vary: { mode: ['chunked', 'single'] } }] };
    const { meta, results } = run(grid, 2, (label, round) => (label.startsWith('single') ? 10_000 : 10_000 / 1.7) * noise(label, round));
    meta.ceiling = { workers: [2], configId: 'x', chunkIndex: 0, chunkSeconds: 1, chunkFrames: 30 } as unknown as RunMeta['ceiling'];
    // a 2-way ceiling of about 1.5: the centre's 1.7× is 113% of it
    const ceilings = (low: number) => Array.from({ length: 6 }, (_, round) => ({ schema: 'chunkbench.ceiling/1' as const, seq: 1000 + round, round, warmup: false, configId: 'x', label: 'ceiling w2', workers: 2, state: 'ok' as const, aloneMs: 1000, togetherMs: 2000 / (low + 0.02 * Math.sin(round)), ceiling: low + 0.02 * Math.sin(round) }));
    const above = buildReport(meta, results, summarize(meta, results, ceilings(1.5))).sections.find((s) => s.id === 'faster')?.sentences.map((s) => s.text).join(' ');
    expect(above).toMatch(/share of the ceiling is above 100% \(11\d% \[/);
    const below = buildReport(meta, results, summarize(meta, results, ceilings(1.95))).sections.find((s) => s.id === 'faster')?.sentences.map((s) => s.text).join(' ');
    expect(below).not.toMatch(/above 100%/);
  });
});

describe('claims only where the interval carries them (review of real grid runs)', () => {
  const grid = { name: 'h', inputs: ['tiny'], repeats: 6, fixed: { workers: 2, segment: 10 }, sweeps: [{ name: 'baselines', vary: { mode: ['single'] } }, { name: 'content', vary: { input: ['tiny', 'small'] } }] };
  it('words the headline "against … not clearly faster" when its interval includes 1×', () => {
    // chunked and single equal on average, ±20% by round: the interval straddles 1×
    const { meta, results } = run(grid, 2, (label, round) => 10_000 * (label.startsWith('single') ? 1 : 1 + 0.2 * Math.sin(round * 2.1)));
    const h = buildReport(meta, results, summarize(meta, results)).headline;
    expect(h?.single).toEqual({ lead: 'against', verdict: ': not clearly faster (the interval includes 1×)' });
    const clear = run(grid, 2, (label, round) => 10_000 * (label.startsWith('single') ? 1.8 : 1) * noise(label, round));
    expect(buildReport(clear.meta, clear.results, summarize(clear.meta, clear.results)).headline?.single).toEqual({ lead: 'faster than', verdict: '' });
  });
  it('does not call a configuration doing other work (another input) faster than the centre', () => {
    const { meta, results } = run(grid, 2, (label, round) => 10_000 * (label.startsWith('single') ? 1.8 : label.includes('small') ? 0.5 : 1) * noise(label, round));
    const model = buildReport(meta, results, summarize(meta, results));
    const rows = model.sections.find((s) => s.id === 'faster')?.tables.flatMap((t) => t.rows.map((r) => r.cells.join(' | '))) ?? [];
    const other = rows.find((r) => r.includes('small'));
    expect(other).toMatch(/\(other work\)/);
    expect(other).not.toMatch(/ faster| slower/);
  });
});

describe('a grid whose centre was not run (the queue grid)', () => {
  it('draws no empty "centre" row in the phases and variation charts, and does not say the centre is shaded', () => {
    const { meta, results } = run({ name: 'q', inputs: ['tiny'], repeats: 6, fixed: { workers: 2, segment: 10 }, sweeps: [{ name: 'segments', vary: { segment: [1, 5] } }] }, 2, (label, round) => 10_000 * (label.includes(' 1s') ? 1.3 : 1) * noise(label, round));
    const charts = reportCharts(buildReport(meta, results, summarize(meta, results)));
    for (const name of ['phases', 'noise']) {
      const chart = charts.find((c) => c.name === name);
      expect(chart, name).toBeDefined();
      expect(JSON.stringify(chart?.spec)).not.toContain('"label":"centre"');
      expect(chart?.title).not.toMatch(/centre's row is shaded/);
    }
  });
});

describe('the segments answer', () => {
  it('keeps the first screen to the centre, and says in the section which lengths clear single-mt, each with its comparison to the centre', () => {
    // single-mt 10 s; the centre (10 s segments) the same; 30 s segments 20% faster
    const grid = { name: 's', inputs: ['tiny'], repeats: 6, fixed: { workers: 2, segment: 10 }, sweeps: [{ name: 'segments', vary: { segment: [5, 10, 30] } }, { name: 'baselines', vary: { mode: ['single', 'single-mt'] } }] };
    const { meta, results } = run(grid, 2, (label, round) => 10_000 * (label.startsWith('single ') ? 1.8 : label.includes(' 30s') ? 0.8 : 1) * noise(label, round));
    const section = buildReport(meta, results, summarize(meta, results)).sections.find((s) => s.id === 'segments');
    // the first screen: lengths against the centre only, never a rival headline against another baseline
    const answer = section?.answers?.text ?? '';
    expect(answer).toMatch(/^For this video on 2 workers, 30 s measured fastest \(1 chunk, fewer than the 2 workers\)\. Against the centre \(10 s\): 30 s was clearly faster/);
    // the section opens with its conclusion: the fastest, the lengths not clearly slower, where the centre stands
    expect(section?.sentences[0]?.text).toMatch(/^In short, for this video on 2 workers: 30 s was the fastest length measured \([\d.]+ s \[[\d.]+, [\d.]+\]; 1 chunk, fewer than the 2 workers\)\. Every other length was clearly slower at 95%\. The centre, 10 s, measured \+\d+\.\d% \[\+[\d.]+%, \+[\d.]+%\] against it, clearly slower\.$/);
    expect(answer).not.toMatch(/single-mt|every core/);
    // the section: its own sentence, naming single-mt first, and each length's comparison to the centre beside it
    const mt = section?.sentences.map((x) => x.text).find((t) => t.startsWith('Against one ffmpeg using every core')) ?? '';
    expect(mt).toMatch(/^Against one ffmpeg using every core \(single-mt\): 30 s \(1\.\d\d× \[[\d.]+, [\d.]+\]; against the centre −\d+\.\d% \[−[\d.]+%, −[\d.]+%\]\) was clearly faster; 10 s, the centre, was not \(1\.\d\d× \[[\d.]+, [\d.]+\]\), paired by round\.$/);
  });
});

describe('the segments conclusion and the lengths a copy split relabels (review of the segments run)', () => {
  const e = (point: number, lo: number, hi: number) => ({ point, lo, hi, n: 5, method: 'paired-t-log' as const });
  const row = (seconds: number, chunks: number, wallS: number, extra: Partial<Row> = {}): Row => ({
    configId: `s${seconds}${extra.auto ? 'a' : ''}${extra.split ?? ''}`, segmentSeconds: seconds, auto: false, split: 'exact', wall: { point: wallS * 1000, lo: wallS * 900, hi: wallS * 1100, n: 5 }, chunks,
    bytesOverSingle: null, leadInShare: null, vsCentre: null, centre: false, chunkSeconds: { lo: seconds, hi: seconds }, keyframeSeconds: 2, ...extra,
  });
  const len = (r: Row) => (r.auto ? `auto (${r.segmentSeconds} s)` : `${r.segmentSeconds} s`);

  it('names the fastest length and why, the ones not clearly slower, the centre against it, and what auto chose', () => {
    const ten = row(10, 6, 3.2, { centre: true });
    const thirty = row(30, 2, 2.9);
    const twenty = row(20, 3, 3.0);
    const one = row(1, 60, 4.5);
    const auto = row(30, 2, 2.95, { auto: true });
    // wall(a)/wall(b) by hand: 20 s not clearly slower than 30 s, 1 s and 10 s clearly slower
    const ratios = new Map([[twenty, e(1.03, 0.98, 1.09)], [one, e(1.55, 1.4, 1.7)], [ten, e(1.07, 1.02, 1.12)], [auto, e(1.0, 0.97, 1.03)]]);
    const c = conclusion([one, ten, twenty, thirty, auto], ten, (a) => ratios.get(a) ?? null, len, 60, 2);
    expect(c.sentence).toBe('In short, for this 60 s video on 2 workers: 30 s was the fastest length measured (2.90 s [2.61, 3.19]; one chunk per worker, in one wave, chunks of 30 s). 20 s was not clearly slower than it at 95%. The centre, 10 s, measured +7.0% [+2.0%, +12.0%] against it, clearly slower. Auto (--segment auto) chose 30 s (2 chunks), 0.0% [−3.0%, +3.0%] against the fastest.');
    expect(c.brief).toBe('For this 60 s video on 2 workers, 30 s measured fastest (one chunk per worker, in one wave)');
    // a 3-minute video, 4 full waves: the centre is the fastest
    const fast = row(10, 8, 2.0, { centre: true });
    expect(conclusion([fast, row(5, 16, 2.4)], fast, () => e(1.2, 1.1, 1.3), len, 180, 2).sentence).toMatch(/^In short, for this 3 min video on 2 workers: 10 s was the fastest length measured \(2\.00 s \[1\.80, 2\.20\]; 8 chunks: 4 full waves of 2, chunks of 10 s\)\. Every other length was clearly slower at 95%\. The centre, 10 s, is that length\.$/);
  });

  it('says where a copy split made chunks other than the length asked for, with the source\'s keyframe interval', () => {
    const copyLen = (r: Row) => `${r.segmentSeconds} s ${r.split}`;
    const rows = [row(1, 30, 4, { split: 'copy', chunkSeconds: { lo: 2, hi: 2 } }), row(5, 12, 3, { split: 'copy', chunkSeconds: { lo: 4, hi: 6 } }), row(10, 6, 3, { split: 'copy' }), row(1, 60, 4.4)];
    expect(relabelledWords(rows, copyLen)).toBe('A length names what was asked, not the chunks: 1 s copy made chunks of 2 s and 5 s copy made chunks of 4–6 s (the source has a keyframe every 2 s; a copy split cuts only at keyframes).');
    expect(relabelledWords([row(5, 12, 3, { chunkSeconds: { lo: 4, hi: 6 } })], copyLen)).toBe('A length names what was asked, not the chunks: 5 s exact made chunks of 4–6 s (the source has a keyframe every 2 s; an exact split moves a cut onto a keyframe within a quarter of the length, so that no frames are decoded only to be thrown away).');
    expect(relabelledWords([row(10, 6, 3), row(1, 60, 4)], copyLen)).toBeNull();
  });
});

describe('the segments section beside the copy split (review of the segments run)', () => {
  it('stands every configuration that differs from the centre only in length or split beside it, named with its split', () => {
    const grid = { name: 's', inputs: ['tiny'], repeats: 6, fixed: { workers: 2, segment: 10 }, sweeps: [{ name: 'segments', vary: { segment: [5, 10, 30], split: ['exact'] } }, { name: 'copy split', vary: { segment: [10], split: ['copy'] } }, { name: 'presets', vary: { preset: ['ultrafast'] } }, { name: 'baselines', vary: { mode: ['single'] } }] };
    const { meta, results } = run(grid, 2, (label, round) => 10_000 * (label.startsWith('single') ? 1.8 : label.includes('copy') ? 1.15 : 1) * noise(label, round));
    const section = buildReport(meta, results, summarize(meta, results)).sections.find((s) => s.id === 'segments');
    const rows = section?.tables[0]?.rows.map((r) => r.cells[0]);
    expect(rows).toEqual(['5 s exact', '10 s copy', '10 s exact', '30 s exact']);
    expect(section?.sentences.map((x) => x.text).join(' ')).toMatch(/Clearly slower: 10 s copy \(\+1\d\.\d% /);
  });
});

describe('one CPU verdict, one threshold (review of real runs)', () => {
  it('calls a run CPU-bound or not only where the whole interval of the busy share lies on one side of the one threshold', () => {
    expect(CPU_BOUND_SHARE).toBe(0.85);
    expect(cpuVerdict({ point: 0.9, lo: 0.86, hi: 0.94, n: 5 }).short).toBe('bound by the CPU');
    expect(cpuVerdict({ point: 0.89, lo: 0.849, hi: 0.93, n: 5 }).short).toMatch(/^whether the CPU is the limit this run cannot tell \(the interval includes 85%\)$/);
    expect(cpuVerdict({ point: 0.7, lo: 0.6, hi: 0.8, n: 5 }).short).toBe('not bound by the CPU');
    expect(cpuVerdict({ point: 0.9, lo: 0.9, hi: 0.9, n: 1 }).short).toMatch(/^whether the CPU is the limit this run cannot tell \(no interval\)$/);
  });

  it('words it the same in the summary, in the section and on the chart', () => {
    // 0.9 × min(cores, workers) of CPU per wall: 90% busy, every round
    const { meta, results } = run({ name: 'c', inputs: ['tiny'], repeats: 6, fixed: { workers: 2 }, sweeps: [{ name: 'baselines', vary: { mode: ['chunked', 'single'] } }] }, 2, (label, round) => (label.startsWith('single') ? 10_000 : 6_000) * noise(label, round));
    const m = buildReport(meta, results, summarize(meta, results));
    const section = m.sections.find((s) => s.id === 'bottleneck');
    const sentence = section?.sentences.find((x) => x.text.startsWith('ffmpeg keeps'))?.text ?? '';
    const answer = m.answers.find((a) => a.question === 'bottleneck')?.text ?? '';
    expect(sentence).toMatch(/: the run is bound by the CPU \(the whole interval is at or above 85%\)\.$/);
    expect(answer).toMatch(/cores busy, bound by the CPU\.$/);
    expect(JSON.stringify(section?.charts.find((c) => c.name === 'cpu-utilisation')?.spec)).toContain(`"ref":${CPU_BOUND_SHARE}`);
  });
});

describe('disk against tmpfs (review of real runs)', () => {
  it('states no difference as what this run could not detect, with the interval, and a difference with which is faster', () => {
    expect(storageClause({ point: 0.9, lo: 0.76, hi: 1.06, n: 4 }, 'disk', 'tmpfs')).toBe('disk vs tmpfs: no difference this run could detect (0.90× [0.76, 1.06])');
    expect(storageClause({ point: 1.12, lo: 1.05, hi: 1.2, n: 4 }, 'disk', 'tmpfs')).toBe('disk vs tmpfs: tmpfs is faster, disk takes 1.12× [1.05, 1.20] its wall time');
    expect(storageClause({ point: 0.9, lo: 0.85, hi: 0.95, n: 4 }, 'disk', 'tmpfs')).toBe('disk vs tmpfs: disk is faster, taking 0.90× [0.85, 0.95] the wall time on tmpfs');
  });
});

describe('models only with more distinct worker counts within the cores than parameters', () => {
  it(`fits Amdahl at exactly ${AMDAHL_MIN_COUNTS} counts within the cores (single counting as 1), as the limitations say`, () => {
    const { meta, results } = run({ name: 'w', inputs: ['tiny'], repeats: 6, sweeps: [{ name: 'workers', vary: { workers: [2, 4] } }, { name: 'baselines', vary: { mode: ['single'] } }] }, 4, (label, round) => amdahl(label.startsWith('single') ? 1 : Number(/w(\d+)/.exec(label)?.[1])) * noise(label, round));
    const m = buildReport(meta, results, summarize(meta, results));
    expect(m.sections.find((s) => s.id === 'scaling')?.sentences.map((x) => x.text).join(' ')).toMatch(new RegExp(`Amdahl's law fitted to ${AMDAHL_MIN_COUNTS} worker counts within the cores`));
    expect(m.limitations.join(' ')).toContain(`needs at least ${AMDAHL_MIN_COUNTS} distinct worker counts within the cores`);
    // without a stored simulation the projection is Amdahl's, and the first screen carries the section's caveat
    const caveat = 'if its serial share stays serial, the per-chunk overhead included';
    expect(m.answers.find((a) => a.question === 'scale')?.text).toContain(caveat);
    expect(m.sections.find((x) => x.id === 'projection')?.sentences.map((x) => x.text).join(' ')).toContain(caveat);
  });
});

describe('intervals that exclude 1× never print a bound as 1', () => {
  it('adds digits until the bound is visibly off 1, and a zero change has no sign', async () => {
    const { timesCi, changeCi, change } = await import('../../src/report/format.ts');
    expect(timesCi({ point: 1.2, lo: 1.0004, hi: 1.43 })).toBe('1.20× [1.0004, 1.4300]');
    expect(timesCi({ point: 1.2, lo: 1.004, hi: 1.43 })).toBe('1.20× [1.004, 1.430]');
    expect(timesCi({ point: 1.2, lo: 0.999, hi: 1.43 })).toBe('1.20× [1.00, 1.43]');
    // from below 1 too: an upper bound of 0.9996 beside "faster" must not print as 1.00
    expect(timesCi({ point: 0.9, lo: 0.8, hi: 0.9996 })).toBe('0.90× [0.8000, 0.9996]');
    expect(changeCi({ point: 0.9, lo: 0.8, hi: 0.9998 })).toBe('−10.0% [−20.00%, −0.02%]');
    expect(changeCi({ point: 1.1, lo: 1.0002, hi: 1.2 })).toBe('+10.0% [+0.02%, +20.00%]');
    expect(change(0.99999)).toBe('0.0%');
    expect(change(1.00001)).toBe('0.0%');
  });
});

describe('a bounded share keeps its interval within the possible', () => {
  it('cuts the busy share\'s interval at what the configuration\'s threads can use, never the measured mean', async () => {
    const { busyEstimate, maxBusyShare } = await import('../../src/report/sections/bottleneck.ts');
    expect(maxBusyShare({ mode: 'single', workers: 1, threads: 1 }, 2)).toBe(0.5);
    expect(maxBusyShare({ mode: 'single-mt', workers: 1, threads: 0 }, 2)).toBe(1);
    expect(maxBusyShare({ mode: 'chunked', workers: 4, threads: 1 }, 2)).toBe(1);
    expect(maxBusyShare({ mode: 'chunked', workers: 1, threads: 1 }, 2)).toBe(0.5);
    // "44% [36, 53]" for one 1-thread ffmpeg on 2 cores becomes [36, 50]
    expect(busyEstimate({ mean: 0.44, ci95: { lo: 0.36, hi: 0.53 }, n: 4 }, { mode: 'single', workers: 1, threads: 1 }, 2)).toEqual({ point: 0.44, lo: 0.36, hi: 0.5, n: 4 });
    expect(busyEstimate({ mean: 0.79, ci95: { lo: 0.54, hi: 1.04 }, n: 4 }, { mode: 'chunked', workers: 2, threads: 1 }, 2).hi).toBe(1);
    // a mean above the bound (ffmpeg's own helper threads) shows the bound does not hold: the interval stays as
    // computed (cut at the mean, as first written, the true value would fall above it about half the time)
    expect(busyEstimate({ mean: 0.52, ci95: { lo: 0.5, hi: 0.54 }, n: 4 }, { mode: 'single', workers: 1, threads: 1 }, 2)).toEqual({ point: 0.52, lo: 0.5, hi: 0.54, n: 4 });
  });
});
