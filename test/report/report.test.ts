// The report from the committed sample run (a real default-grid run on 2 cores, test/data/default-run):
// one headline — the grid's centre against single, recomputed here from the raw lines — used everywhere on
// the page; the six answers first; no model fitted beyond its data; no claim the 95% intervals do not
// support; short labels; and one self-contained page with every chart it names.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../src/report/contract.ts';
import { pairedWallRatio } from '../../src/report/context.ts';
import { CENTRE_COLOUR } from '../../src/report/charts.ts';
import { timesCi } from '../../src/report/format.ts';
import { buildReport, leadInClause, LONG_TABLE_ROWS, reportCharts, roundsWords, type ReportModel } from '../../src/report/model.ts';
import { DEFAULT_GRID_WORKER_COUNTS, failedAnswer, overheadCaveat, tooFewCounts } from '../../src/report/sections/projection.ts';
import { expandGrid } from '../../src/grid/expand.ts';
import { loadGrid } from '../../src/grid/load.ts';
import { log2Axis } from '../../src/report/projection.ts';
import { AMDAHL_MIN_COUNTS, USL_MIN_COUNTS_ABOVE_ONE } from '../../src/report/sections/scaling.ts';
import type { ResultLine, RunMeta } from '../../src/harness/store.ts';
import { buildProjection, type Projection } from '../../src/simulate/index.ts';
import { writeSyntheticRun } from './synthetic-run.ts';
import type { ChartName, Section } from '../../src/report/section.ts';
import { clusterProjection, writeReport } from '../../src/report/write.ts';
import { pairedRatio } from '../../src/stats/index.ts';
import { summarize } from '../../src/summary/summarize.ts';
import { REPO, tempDir } from '../helpers.ts';

export const FIXTURE_RUN = join(REPO, 'test', 'data', 'default-run');
const work = tempDir('cb-report-');
const dir = join(work.dir, 'run');
let model: ReportModel;
const section = (id: Section['id']) => model.sections.find((s) => s.id === id);
const text = (id: Section['id']) => section(id)?.sentences.map((s) => s.text).join(' ') ?? '';

beforeAll(() => {
  mkdirSync(dir, { recursive: true });
  for (const f of ['meta.json', 'results.jsonl']) cpSync(join(FIXTURE_RUN, f), join(dir, f));
  const { meta, results, ceilings } = readRun(dir);
  model = buildReport(meta, results, summarize(meta, results, ceilings), clusterProjection(dir, meta, results));
});
afterAll(() => work.remove());

/** Per-round wall times of a configuration, recomputed from the raw lines by its full label. */
function rounds(label: string): Map<number, number> {
  const lines = readRun(dir).results.filter((l) => l.label === label && !l.warmup && l.state === 'ok');
  return new Map(lines.map((l) => [l.round, l.wallMs]));
}

describe('one headline, declared in advance', () => {
  it('is the grid\'s centre against single, exactly the paired statistic of the raw runs', () => {
    const single = rounds('single · veryfast · none · t1');
    const centre = rounds('chunked w2 10s exact · veryfast · none · t1');
    const common = [...centre.keys()].filter((r) => single.has(r)).sort();
    const expected = timesCi(pairedRatio(common.map((r) => single.get(r) ?? 0), common.map((r) => centre.get(r) ?? 0)));
    expect(expected).toBe('1.72× [1.63, 1.82]');
    expect(model.headline?.speedup).toBe(expected);
    // every mention of "the speedup" on the page is that number: the answers, the sections, the projection story
    expect(model.answers.find((a) => a.question === 'faster')?.text).toContain(`${expected} faster than one ffmpeg`);
    expect(text('faster')).toContain(`is ${expected} faster than one ffmpeg with the same thread limit`);
    expect(text('scaling')).toContain(`At 2 workers (the centre) the speedup over single is ${expected}`);
    expect(text('projection')).toContain(`Measured here: ${expected} at 2 workers`);
    expect(model.answers.find((a) => a.question === 'scale')?.text).toContain(`measured: ${expected} at 2 workers`);
  });

  it('never promotes another configuration: the others are compared with the centre, paired by round', () => {
    const json = JSON.stringify(model);
    expect(json).not.toMatch(/best speedup|fastest configuration|measured best/i);
    const table = section('faster')?.tables[1];
    expect(table?.head.slice(0, 2)).toEqual(['configuration', 'time vs centre']);
    const { meta, results } = readRun(dir);
    const id = (label: string) => meta.configs.find((c) => c.label === label)?.id ?? '';
    const thirty = pairedWallRatio(results, id('chunked w2 30s exact · veryfast · none · t1'), id('chunked w2 10s exact · veryfast · none · t1'));
    expect(table?.rows.find((r) => r.cells[0] === '30 s segments')?.cells[1]).toBe(timesCi(thirty ?? { point: NaN, lo: NaN, hi: NaN }));
    // 30 s is faster on average but its interval includes 1×: not called faster
    expect(thirty?.point).toBeLessThan(1);
    expect(thirty?.hi).toBeGreaterThan(1);
    expect(table?.rows.find((r) => r.cells[0] === '30 s segments')?.cells[1]).not.toMatch(/faster|slower/);
  });

  it('says single-mt is not clearly beaten, since its interval includes 1×', () => {
    expect(model.headline?.vsSingleMt).toBe('1.12× [0.99, 1.27], not clearly faster (the interval includes 1×)');
  });
});

describe('the answers first', () => {
  it('answers the six questions in one sentence each, linking to the evidence or naming the grid that answers', () => {
    expect(model.answers.map((a) => a.question)).toEqual(['faster', 'bottleneck', 'segments', 'faults', 'scale', 'distributed']);
    for (const a of model.answers.filter((x) => x.href)) expect(model.sections.map((s) => `#${s.id}`)).toContain(a.href);
    expect(model.answers.find((a) => a.question === 'faults')).toMatchObject({ href: null, text: expect.stringContaining('--grid faults') });
    expect(model.answers.find((a) => a.question === 'distributed')).toMatchObject({ href: null, text: expect.stringContaining('--grid queue') });
    expect(model.answers.find((a) => a.question === 'bottleneck')?.text).toMatch(/^Encoding: [\d.]+% \[[\d.]+, [\d.]+\] of the centre's time is the parallel encode, and ffmpeg keeps \d+% \[\d+, \d+\] of the 2 cores busy, bound by the CPU; disk vs tmpfs: no difference this run could detect \(\d\.\d\d× \[\d\.\d\d, \d\.\d\d\]\)\.$/);
    expect(model.answers.find((a) => a.question === 'segments')?.text).toMatch(/^For this 60 s video on 2 workers, 30 s measured fastest \(one chunk per worker, in one wave\), not clearly faster than the centre\. Against the centre \(10 s\): no length was clearly faster, 1 s and 2 s clearly slower/);
    for (const a of model.answers) expect(a.text.split(/(?<=\.) /).length, a.text).toBeLessThanOrEqual(2);
  });

  it('labels configurations by what differs from the centre, and spells the centre out once', () => {
    // the input in words a pitch audience needs: its size and length from the run's probe, and that it is a test pattern
    expect(model.centre?.legend).toBe('chunked, 2 workers, 10 s segments, exact split, libx264 veryfast, no filter, 1 thread per ffmpeg, chunks in the OS temp dir, input sd (640×360, 30 fps, 60 s; a synthetic test pattern with noise, not camera footage)');
    const labels = section('faster')?.tables[1]?.rows.map((r) => r.cells[0]) ?? [];
    expect(labels).toEqual(['1 worker', '4 workers', '1 s segments', '2 s segments', '5 s segments', '30 s segments', 'preset ultrafast', 'preset faster', 'denoise filter', 'copy split · on disk', 'copy split · on tmpfs']);
  });

  it('has no template glitch: a filter value is named as a filter', () => {
    const json = JSON.stringify(model);
    expect(json).not.toMatch(/for none\b|faster for none/);
    expect(section('work')?.tables[1]?.rows.map((r) => r.cells[0])).toEqual(['no filter', 'denoise filter']);
  });
});

describe('models only where the data carry them', () => {
  it('fits no Amdahl or USL curve through two worker counts on 2 cores, and says which grid would', () => {
    const speedup = JSON.stringify(reportCharts(model).find((c) => c.name === 'speedup')?.spec);
    expect(speedup).not.toMatch(/model: Amdahl|model: USL/);
    expect(text('scaling')).toMatch(/No scaling model is fitted: within the 2 cores this run measured 2 worker counts \(1 and 2, where 1 is single\)/);
    expect(text('scaling')).toContain('A grid with workers 1, 2, 4 and 8 on a machine with at least 8 cores would support both.');
    expect(text('scaling')).not.toMatch(/R² = |N\* = |retrograde|ceiling/);
  });

  it('gives Karp–Flatt as one number with its interval, not a one-point chart', () => {
    expect(reportCharts(model).map((c) => c.name)).not.toContain('karp-flatt');
    expect(text('scaling')).toMatch(/The measured speedup at 2 workers means [\d.]+% \[[\d.]+%, [\d.]+%\] of the run behaves as if it were serial \(Karp–Flatt\); the stages that really run on one core \(probe, split, merge\) are only [\d.]+% \[[\d.]+, [\d.]+\] of the centre's wall time/);
  });

  it('draws and quotes no Amdahl curve in the projection where the scaling section fits none: the simulation alone, and why', () => {
    expect(section('projection')?.model).toBe(true);
    const story = text('projection');
    expect(story).toMatch(/The simulation \(a cost model fitted to this run\) projects .* \d+× \(model band \d+–\d+\) over single \(its band: .*\)\. It assumes each chunk's fixed overhead .* runs in parallel/);
    expect(story).not.toMatch(/The other reading|1\/f =|Amdahl's law would limit/);
    // the reason, from the scaling section's own rule, and the sweep that would tell
    expect(story).toContain(overheadCaveat(false, tooFewCounts([1, 2], 2)));
    expect(story).toContain(`where Amdahl's law needs ${AMDAHL_MIN_COUNTS}`);
    expect(story).toContain("with 2 worker counts within its 2 cores where Amdahl's law needs 3 (the default grid's 1, 2 and 4 would, on 4 or more cores, not on 2)");
    // the one-point Karp–Flatt reading is the scaling section's value and interval, written the same way
    const kf = /means ([\d.]+% \[[^\]]+\]) of the run behaves as if it were serial/.exec(text('scaling'))?.[1] ?? 'missing';
    expect(story).toContain(`Karp–Flatt reading, ${kf} of the run behaving as if serial at 2 workers, is one point`);
    // the simulation's own efficiency is over one chunked worker: not stated beside the speedups over single
    expect(story).not.toMatch(/Efficiency falls below|over one worker|over 1 worker/);
  });

  it('states the projection in the summary as a model with its band, in one sentence, never as a bare number', () => {
    const answer = model.answers.find((a) => a.question === 'scale')?.text ?? '';
    expect(answer).toMatch(/^A model, not a measurement: for a 2-hour video, the simulation projects \d+× \(model band \d+–\d+\) over single at 1024 workers \(measured: 1\.72× \[1\.63, 1\.82\] at 2 workers\) if each chunk's fixed overhead .* runs in parallel, as the simulation assumes; whether it stays serial instead \(Amdahl's reading\) this run cannot tell, with 2 worker counts within its 2 cores where Amdahl's law needs 3 \(the default grid's 1, 2 and 4 would, on 4 or more cores, not on 2\)\.$/);
    expect(answer.split(/(?<=\.) /)).toHaveLength(1);
    // no Amdahl floor: the one-point Karp–Flatt reading (16.0%, limit 6.3×) is not a model to quote
    expect(answer).not.toMatch(/ to \d+×|6\.3×|4\.5×/);
    const [point, lo, hi] = (/projects (\d+)× \(model band (\d+)–(\d+)\)/.exec(answer) ?? []).slice(1).map(Number);
    expect(lo).toBeLessThan(point as number);
    expect(hi).toBeGreaterThan(point as number);
  });

  it('draws the projection over single, each model curve with its own band, the run\'s points as diamonds with their paired CIs', () => {
    const spec = reportCharts(model).find((c) => c.name === 'cluster-projection')?.spec as { layer: { data: { values: Record<string, unknown>[] }; mark: { type: string }; encoding: Record<string, { legend?: unknown; scale?: { domain: unknown[]; range: unknown[] }; axis?: { values: number[] } }> }[] };
    const json = JSON.stringify(spec);
    expect(json).toContain('"title":"speedup over single (×, log scale)"');
    expect(json).not.toMatch(/over 1 worker|model: Amdahl/);
    const area = spec.layer.find((l) => l.mark.type === 'area');
    const line = spec.layer.find((l) => l.mark.type === 'line');
    const curves = (l: typeof area) => [...new Set((l?.data.values ?? []).map((v) => v.series))].sort();
    expect(curves(area)).toEqual(curves(line));
    expect(curves(line)).toHaveLength(2); // the simulation and this machine's model
    for (const v of area?.data.values as { lo: number; hi: number; value: number }[]) {
      expect(v.lo).toBeLessThanOrEqual(v.value);
      expect(v.hi).toBeGreaterThanOrEqual(v.value);
    }
    expect(reportCharts(model).find((c) => c.name === 'cluster-projection')?.title).toMatch(/Shaded, each in its curve's colour: the simulation ± .*; this machine's model ± the same error and single's CI\. No Amdahl curve: it is drawn only where the scaling section fits it within the cores, and it fits none to this run\./);
    // the measured marks are diamonds, and so is their legend entry; the curves' legend is strokes
    const marks = spec.layer.find((l) => l.mark.type === 'point');
    expect(marks?.encoding.shape?.scale?.range).toEqual(['diamond']);
    expect(marks?.encoding.shape?.legend).toMatchObject({ symbolFillColor: '#555' });
    expect(line?.encoding.color?.scale?.domain).not.toContain('measured: 60 s source, this machine');
    // nothing is clipped: the y domain and its top tick hold the highest band, mark and line
    const values = spec.layer.flatMap((l) => l.data.values.flatMap((v) => [v.lo, v.hi, v.value] as number[]));
    const y = area?.encoding.y as unknown as { scale: { domain: [number, number] }; axis: { values: number[] } };
    expect(y.scale.domain[1]).toBeGreaterThanOrEqual(Math.max(...values));
    expect(y.axis.values.at(-1)).toBe(y.scale.domain[1]);
    expect(y.scale.domain[0]).toBeLessThanOrEqual(Math.min(...values));
    const points = marks?.data.values as { role: string; lo: number; hi: number; workers: number }[];
    expect(points.filter((p) => p.role === 'centre').map((p) => p.workers)).toEqual([2]);
    for (const p of points) expect(p.hi - p.lo, 'a measured point has its interval').toBeGreaterThan(0.01);
  });
});

describe('no claim beyond the 95% intervals', () => {
  it('does not say the preset with more work gains more when the paired ratio of speedups includes 1×', () => {
    expect(text('work')).not.toMatch(/with more work per frame gains more/);
    expect(text('work')).toMatch(/Does more work per frame gain more\? The data do not say: preset faster \(the most work per frame, by single's wall time\) gains [\d.]+× \[[\d.]+, [\d.]+\] as much as preset veryfast/);
  });

  it('calls a segment length faster or slower only where its paired interval excludes 1×', () => {
    const rows = section('segments')?.tables[0]?.rows ?? [];
    expect(rows.map((r) => r.cells[0])).toEqual(['1 s', '2 s', '5 s', '10 s', '30 s']);
    expect(rows.find((r) => r.centre)?.cells[0]).toBe('10 s');
    expect(text('segments')).toMatch(/^In short, for this 60 s video on 2 workers: 30 s was the fastest length measured \([\d.]+ s \[[\d.]+, [\d.]+\]; one chunk per worker, in one wave, chunks of 30 s\)\. Every other length but the centre was clearly slower at 95%\. The centre, 10 s, measured \+[\d.]+% \[−[\d.]+%, \+[\d.]+%\] against it, not clearly different\. That answer is this video's; for other video lengths and worker counts, see the model's map below, which puts 10 s \d+–\d+% slower than the fastest length for 10 min to 2 h videos on 2 to 64 workers \(a model, not a measurement\)\. Against the centre \(10 s\), [\d.]+ s \[[\d.]+, [\d.]+\], wall time paired by round: no length was clearly faster at 95%\. Clearly slower: 1 s \(\+[\d.]+% \[\+[\d.]+%, \+[\d.]+%\]\) and 2 s/);
  });

  it('names the lead-in decoding only as far as the stored plan shows it', () => {
    expect(leadInClause(0.034)).toBe('decoding 3.4% more frames only to reach mid-GOP cuts, ');
    expect(leadInClause(0)).toBe('');
    expect(leadInClause(null)).toBe('decoding from the keyframe before mid-GOP cuts, ');
  });
});

describe('charts that survive a projector', () => {
  it('highlights the centre in every chart it appears in', () => {
    // the model's charts draw no configuration of the grid (the segment map's diamond is the fastest length measured)
    const withCentre = reportCharts(model).filter((c) => c.name !== 'cluster-projection' && c.name !== 'segment-map');
    for (const c of withCentre) expect(JSON.stringify(c.spec), c.name).toMatch(/"role":"centre"|datum\.value === 'centre'/);
    // and the centre is drawn, not only styled
    for (const name of ['speedup', 'cpu-utilisation', 'segments-wall', 'presets', 'filters', 'timelines'] as const) {
      expect(JSON.stringify(reportCharts(model).find((c) => c.name === name)?.spec), name).toContain('"role":"centre"');
    }
  });

  it('counts on integer ticks, and compared timelines on one shared time axis', () => {
    const spec = (name: ChartName) => JSON.stringify(reportCharts(model).find((c) => c.name === name)?.spec);
    expect(spec('speedup')).toContain('"axis":{"values":[1,2,4],"format":"d"}');
    expect(spec('segments-cost')).toContain('"title":"chunks per run","axis":{"format":"d","tickMinStep":1,');
    // one y-axis width in the stacked segment charts: their segment-length axes line up
    for (const name of ['segments-cost', 'segments-wall'] as const) expect(spec(name)).toContain('"minExtent":64,"maxExtent":64');
    expect(spec('segments-wall')).toContain('"axis":{"values":[1,2,5,10,30],"format":"~g"}');
    const timelines = reportCharts(model).find((c) => c.name === 'timelines')?.spec as { facet?: unknown; resolve?: { scale?: { x?: string } } };
    expect(timelines.facet).toBeDefined();
    expect(timelines.resolve?.scale?.x ?? 'shared').toBe('shared');
  });
});

/** Every text of the page's content with where it is: sentences, answers, table cells by column, chart captions. */
function texts(m: ReportModel): { where: string; text: string }[] {
  return [
    ...m.answers.map((a) => ({ where: `answer ${a.question}`, text: a.text })),
    ...m.sections.flatMap((s) => [
      ...s.sentences.map((x) => ({ where: `${s.id} sentence`, text: x.text })),
      ...s.tables.flatMap((t) => t.rows.flatMap((r) => r.cells.map((cell, i) => ({ where: `${s.id} table "${t.head[i]}"`, text: cell })))),
      ...s.charts.map((c) => ({ where: `${s.id} chart ${c.name}`, text: c.title })),
      ...(s.details?.items ?? []).map((text) => ({ where: `${s.id} details`, text })),
    ]),
  ];
}

/** Where the centre's colour is used in a spec, other than for the centre: a scale whose range gives it to a
 * domain value other than "centre", or a literal colour outside a condition that tests for the centre. */
function centreColourMisuse(node: unknown, path = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => centreColourMisuse(v, `${path}[${i}]`));
  if (!node || typeof node !== 'object') return node === CENTRE_COLOUR ? [path] : [];
  const o = node as Record<string, unknown>;
  if (Array.isArray(o.range) && o.range.includes(CENTRE_COLOUR)) {
    const domain = o.domain as unknown[] | undefined;
    return domain?.[o.range.indexOf(CENTRE_COLOUR)] === 'centre' ? [] : [`${path}.range`];
  }
  if (typeof o.test === 'string' && o.test.includes("'centre'") && o.value === CENTRE_COLOUR) return [];
  return Object.entries(o).flatMap(([k, v]) => centreColourMisuse(v, `${path}.${k}`));
}

describe('one speedup, one baseline (the review of the rebuilt page)', () => {
  it('shows no measured speedup over single above the headline, except in the column labelled as over its own single', () => {
    const headline = Number(/^([\d.]+)×/.exec(model.headline?.speedup ?? '')?.[1]);
    const offenders = texts(model)
      .filter((t) => !t.where.includes('own speedup') && t.where !== 'projection sentence' && !t.where.startsWith('answer scale') && !t.where.includes('cluster-projection'))
      .flatMap((t) => [...t.text.matchAll(/speedup (?:over|vs) (?:the )?single[^.;]*?([\d.]+)×/gi)].map((m) => ({ ...t, value: Number(m[1]) })))
      .concat(texts(model).filter((t) => /table "speedup vs single"/.test(t.where)).map((t) => ({ ...t, value: Number(/^([\d.]+)×/.exec(t.text)?.[1]) })))
      .filter((t) => t.value > headline + 1e-9);
    expect(offenders).toEqual([]);
    // the main comparison table compares with the centre and shows no speedup of its own
    expect(section('faster')?.tables[1]?.head).toEqual(['configuration', 'time vs centre', 'wall time']);
    // the measured charts over single stay at or below the headline
    for (const name of ['speedup'] as const) {
      const values = JSON.stringify(reportCharts(model).find((c) => c.name === name)?.spec).matchAll(/"value":([\d.]+),"lo"/g);
      for (const v of values) expect(Number(v[1]), name).toBeLessThanOrEqual(headline + 0.01);
    }
  });

  it('shows presets and filters as gains relative to the centre\'s, and labels their own speedups as over their own single', () => {
    for (const name of ['presets', 'filters'] as const) {
      const chart = reportCharts(model).find((c) => c.name === name);
      expect(JSON.stringify(chart?.spec)).toContain("gain ÷ the centre's gain (×)");
      expect(JSON.stringify(chart?.spec)).not.toMatch(/speedup over single/);
    }
    const table = section('work')?.tables[0];
    expect(table?.collapsed).toBe(true);
    expect(table?.head).toContain('own speedup (over single, same preset)');
  });

  it('gives single-mt the same weight as single in the headline, and says "the same thread limit"', async () => {
    const { path } = await writeReport(dir);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('The centre is <b>1.72× [1.63, 1.82]</b> faster than one ffmpeg with the same thread limit<br>and <b>1.12× [0.99, 1.27]</b> against one ffmpeg on every core: not clearly faster (the interval includes 1×).');
  });
});

describe('template glitches and wording (the review of the rebuilt page)', () => {
  let html = '';
  beforeAll(async () => {
    html = readFileSync((await writeReport(dir)).path, 'utf8');
  });

  it('writes no "(s)" plural anywhere on the page', () => {
    expect(html.match(/.{30}\w\(s\).{10}/g) ?? []).toEqual([]);
  });

  it('writes every negative number with the minus sign, and configurations by their short labels', () => {
    const bad = texts(model).filter((t) => /(^|[\s(\[,])-\d/.test(t.text));
    expect(bad).toEqual([]);
    expect(texts(model).filter((t) => / · veryfast · none · t1/.test(t.text))).toEqual([]);
  });

  it('does not tell a run without ceiling lines that its speedups are "raw", and keeps "ceiling" for the measured one', () => {
    expect(JSON.stringify(model)).not.toMatch(/speedups are raw|no ceiling measurements|Amdahl's ceiling/);
    expect(model.glossary.find((g) => g.term === 'single')?.meaning).not.toMatch(/sequential baseline/);
  });

  it('explains a "vs centre" column by what the column is, not by what the centre is', () => {
    expect(html).toMatch(/<abbr title="A configuration&#x27;s wall time ÷ the centre&#x27;s, paired by round[^"]*">time vs centre<\/abbr>/);
  });

  it('draws no legend entry for a phase too short to see, and says so', () => {
    const phases = reportCharts(model).find((c) => c.name === 'phases');
    expect(JSON.stringify(phases?.spec)).not.toContain('split (one core)');
    expect(phases?.title).toMatch(/Split is too short to see at this scale \(under 0\.5% of the time axis in every row\) and not drawn; the table has it/);
    // the rule the caption states: every phase left out is under 0.5% of the axis the bars are drawn on
    const spec = phases?.spec as { layer: { data?: { values: { label?: string; phase?: string }[] }; encoding?: { x?: { scale?: { domain?: number[] } } } }[] };
    const axisMax = spec.layer.find((l) => l.encoding?.x?.scale?.domain)?.encoding?.x?.scale?.domain?.[1] ?? 0;
    const bars = spec.layer.flatMap((l) => l.data?.values ?? []).filter((v) => v.phase);
    const drawn = new Set(bars.map((b) => b.label));
    const split = section('bottleneck')?.tables[0]?.rows.filter((r) => drawn.has(r.cells[0])).map((r) => Number.parseFloat(r.cells[2] ?? '')) ?? [];
    expect(split.length).toBeGreaterThan(2);
    expect(Math.max(...split)).toBeLessThan(0.005 * axisMax);
    expect(bars.map((b) => b.phase)).not.toContain('split (one core)');
  });

  it('notices the preset anomaly: single on ultrafast slower than on veryfast', () => {
    expect(text('work')).toMatch(/Against the presets' names: single on preset ultrafast took 1\.\d\d× \[[\d.]+, [\d.]+\] as long as on preset veryfast/);
  });

  it('uses the centre\'s colour only for the centre, in every chart', () => {
    for (const c of reportCharts(model)) expect(centreColourMisuse(c.spec), c.name).toEqual([]);
  });
});

describe('npm run report', () => {
  it('removes from charts/ what an earlier render drew and this page withholds', async () => {
    mkdirSync(join(dir, 'charts'), { recursive: true });
    for (const file of ['withheld-model.svg', 'withheld-model.vl.json', 'withheld-model.png']) writeFileSync(join(dir, 'charts', file), 'stale');
    writeFileSync(join(dir, 'charts', 'notes.txt'), 'kept: not a chart file');
    const { charts } = await writeReport(dir);
    const left = readdirSync(join(dir, 'charts'));
    expect(left.filter((f) => f.startsWith('withheld-model'))).toEqual([]);
    expect(left).toContain('notes.txt');
    expect(left).toContain(`${charts[0]}.svg`);
    rmSync(join(dir, 'charts', 'notes.txt'));
  });

  it('writes one self-contained page with every chart its sections name, each also as SVG + Vega-Lite spec', async () => {
    const { path, charts, bytes } = await writeReport(dir);
    const html = readFileSync(path, 'utf8');
    expect(html).not.toMatch(/<script/);
    const names: ChartName[] = ['speedup', 'phases', 'timelines', 'cpu-utilisation', 'segments-wall', 'segments-cost', 'segment-map', 'presets', 'filters', 'cluster-projection', 'noise'];
    expect(charts).toEqual(names);
    expect([...html.matchAll(/<figure data-chart="([^"]+)"><svg/g)].map((m) => m[1])).toEqual(names);
    for (const name of charts) {
      expect(existsSync(join(dir, 'charts', `${name}.svg`))).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'charts', `${name}.vl.json`), 'utf8')).$schema).toMatch(/vega-lite/);
    }
    expect(readdirSync(join(dir, 'charts')).length).toBe(2 * charts.length);
    expect(existsSync(join(dir, 'projection-default.json'))).toBe(true);
    for (const link of ['results.jsonl', 'summary.csv', 'report.json', 'charts/']) {
      expect(html).toContain(`href="${link}"`);
      expect(existsSync(join(dir, link))).toBe(true);
    }
    expect(html).toContain('The centre is <b>1.72× [1.63, 1.82]</b> faster than one ffmpeg');
    expect(bytes).toBeLessThan(1e6);
  });
});

describe('the projection on the first screen carries its section\'s caveat, in every grid (review of real runs)', () => {
  /** The sample with only the configurations `keep` accepts, projected (few worker counts, for speed) as the report would. */
  function variant(keep: (id: string, mode: string) => boolean, configId?: string): ReportModel {
    const { meta, results } = readRun(dir);
    const configs = meta.configs.filter((c) => keep(c.id, c.mode));
    const m = { ...meta, configs } as RunMeta;
    const lines = results.filter((l) => configs.some((c) => c.id === l.configId)) as ResultLine[];
    const projection = buildProjection(m, lines, { workers: [1, 16, 1024], durationSeconds: 7200, replications: 2, ...(configId ? { configId } : {}) });
    return buildReport(m, lines, summarize(m, lines), projection);
  }
  const caveats = [overheadCaveat(true), overheadCaveat(false, tooFewCounts([1, 2], 2))];
  const scale = (m: ReportModel) => m.answers.find((a) => a.question === 'scale')?.text ?? '';
  const story = (m: ReportModel) => m.sections.find((s) => s.id === 'projection')?.sentences.map((x) => x.text).join(' ') ?? '';
  // the default grid; a grid without a worker sweep (the segments grid); one without single, projecting a
  // configuration other than the centre (the queue grid)
  const workerSweep = new Set(['cac7b11b56', '59974bd340']);
  const thirty = '6b30b4ccf6';
  let models: [string, ReportModel][] = [];
  beforeAll(() => {
    models = [['default', model], ['no worker sweep', variant((id) => !workerSweep.has(id))], ['no single', variant((_, mode) => mode === 'chunked', thirty)]];
  });

  it('quotes the projection on the first screen with exactly the caveat its section gives', () => {
    for (const [name, m] of models) {
      // the most specific caveat the answer carries (one caveat extends another with "which this run cannot tell apart")
      const found = caveats.filter((c) => scale(m).includes(c)).sort((a, b) => b.length - a.length)[0];
      expect(found, `${name}: ${scale(m)}`).toBeDefined();
      expect(story(m), name).toContain(found);
    }
  });

  it('gives a grid without a worker sweep no serial reading: a one-point Karp–Flatt of the centre is not a fit', () => {
    const m = models[1]?.[1] as ReportModel;
    expect(scale(m)).toMatch(/^A model, not a measurement: for a 2-hour video, the simulation projects \d+× \(model band \d+–\d+\) over single at 1024 workers \(measured: 1\.72× \[1\.63, 1\.82\] at 2 workers\) if each chunk's fixed overhead .* this run cannot tell, with 2 worker counts within its 2 cores where Amdahl's law needs 3 /);
    expect(story(m)).not.toMatch(/The other reading|Karp–Flatt at 2 workers|1\/f =/);
    expect(JSON.stringify(m.sections.find((s) => s.id === 'projection')?.charts)).not.toContain('model: Amdahl');
  });

  it('names a projected configuration that is not the centre and gives its model speedup with a band, never bare', () => {
    const m = models[2]?.[1] as ReportModel;
    expect(m.headline).toBeNull();
    expect(scale(m)).toMatch(/^A model, not a measurement, for the 30 s segments configuration: the simulation projects \d+(\.\d)?× \(model band [\d.]+–[\d.]+\) over one worker running that configuration at 1024 workers/);
    for (const text of [scale(m), story(m)]) expect(text).not.toMatch(/\d× speedup|speedup of \d/);
  });
});

describe('the projection keeps the page\'s own rules for its models (review of real runs)', () => {
  // the sample as if measured on 4 cores: its workers 1 (single), 2 and 4 are then three counts within the cores,
  // so the scaling section fits Amdahl; the simulation, checked on w4 as if it were within the cores, misses
  // its own held-out target (w4 was measured on 2 cores)
  let fourCores: { projection: Projection; model: ReportModel; passing: ReportModel };
  beforeAll(() => {
    const { meta, results } = readRun(dir);
    const m = { ...meta, machine: { ...meta.machine, cores: 4 } } as RunMeta;
    const projection = buildProjection(m, results, { workers: [1, 16, 1024], durationSeconds: 7200, replications: 2 });
    const summary = summarize(m, results);
    // the same projection with its check passing, to see the answer the rule on Amdahl alone gives
    const passing = { ...projection, validation: { ...projection.validation, withinTarget: true } };
    fourCores = { projection, model: buildReport(m, results, summary, projection), passing: buildReport(m, results, summary, passing) };
  });
  const scale = (m: ReportModel) => m.answers.find((a) => a.question === 'scale')?.text ?? '';
  const sentences = (m: ReportModel, id: Section['id']) => m.sections.find((s) => s.id === id)?.sentences ?? [];
  const chart = (m: ReportModel) => m.sections.find((s) => s.id === 'projection')?.charts[0];

  it('draws and quotes Amdahl exactly where the scaling section fits it, with the scaling section\'s value and interval and its own band', () => {
    const m = fourCores.passing;
    const fitted = /serial fraction of ([\d.]+% \[[^\]]+\])/.exec(sentences(m, 'scaling').map((x) => x.text).join(' '))?.[1];
    expect(fitted, 'the scaling section fits Amdahl on 3 counts within 4 cores').toBeDefined();
    const story = sentences(m, 'projection').map((x) => x.text).join(' ');
    expect(story).toContain(`The other reading: Amdahl's law, fitted to ${AMDAHL_MIN_COUNTS} worker counts within the cores (the scaling section's fit), finds ${fitted} of the run behaving as if serial`);
    expect(scale(m)).toMatch(/^A model's range, not a measurement: for a 2-hour video, [\d.]+× to \d+× over single at 1024 workers \(the simulation \d+× \(model band \d+–\d+\), Amdahl [\d.]+× \(model band [\d.]+–[\d.]+\)\), depending on whether the per-chunk overhead runs in parallel \(the simulation\) or stays serial \(Amdahl\); measured: 1\.72× \[1\.63, 1\.82\] at 2 workers\.$/);
    const spec = chart(m)?.spec as { layer: { data: { values: { series: string; workers: number; lo: number; hi: number }[] }; mark: { type: string } }[] };
    const bands = spec.layer.find((l) => l.mark.type === 'area')?.data.values ?? [];
    const amdahl = bands.filter((b) => b.series.startsWith('model: Amdahl'));
    expect(amdahl).toHaveLength(3);
    // (at one worker Amdahl's speedup is 1 whatever the serial fraction)
    for (const b of amdahl.filter((x) => x.workers > 1)) expect(b.hi - b.lo, 'Amdahl has its own band').toBeGreaterThan(0);
    expect(chart(m)?.title).toContain("Amdahl over the serial fraction's 95% CI");
  });

  it('never quotes a simulation that missed its own held-out target on the first screen, and flags it in the section and chart', () => {
    const { projection, model: m } = fourCores;
    expect(projection.validation.withinTarget).toBe(false);
    const pct = projection.validation.heldOut.maxAbsErrorPct.toFixed(1);
    expect(scale(m)).toBe(failedAnswer(projection));
    expect(scale(m)).toBe(`A model that failed its own check, so no projection answer for this run: fitted without each configuration in turn, its worst held-out error is ${pct}% against the 15% target; its check is in the section's folded table.`);
    expect(scale(m)).not.toMatch(/×/);
    expect(sentences(m, 'projection')[0]).toMatchObject({ kind: 'warn', text: expect.stringMatching(new RegExp(`^This model FAILED its own held-out check: .*${pct.replace('.', '\\.')}% against the 15% target`)) });
    // not drawn, not quoted: one warning, and the numbers only in the folded table
    expect(chart(m)).toBeUndefined();
    expect(sentences(m, 'projection')).toHaveLength(1);
    expect(sentences(m, 'projection')[0]?.text).toMatch(/It is not drawn or quoted here; how far off it was is in the folded check below\.$/);
    // its check stays, its projection table goes
    const tables = m.sections.find((s) => s.id === 'projection')?.tables ?? [];
    expect(tables.map((t) => t.caption)).toEqual([expect.stringMatching(/^The model checked on this run's own points/)]);
    // a model within its target is not flagged
    expect(JSON.stringify(model.sections.find((s) => s.id === 'projection'))).not.toMatch(/FAILED/);
  });

  it('names the sweep that would fit Amdahl from the committed grids: the default grid\'s, and none within 2 cores', () => {
    const counts = (name: string, cores: number) => [...new Set(expandGrid(loadGrid(name).grid).flatMap((c) => (c.mode === 'single' ? [1] : c.mode === 'chunked' && c.workers <= cores ? [c.workers] : [])))].sort((a, b) => a - b);
    expect(counts('default', 64)).toEqual([...DEFAULT_GRID_WORKER_COUNTS]);
    expect(DEFAULT_GRID_WORKER_COUNTS.length).toBeGreaterThanOrEqual(AMDAHL_MIN_COUNTS);
    const grids = readdirSync(join(REPO, 'experiments')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(grids.length).toBeGreaterThan(3);
    for (const g of grids) expect(counts(g, 2).length, g).toBeLessThan(AMDAHL_MIN_COUNTS);
  });

  it('puts the y axis\'s top tick at or above the highest value on a log-2 scale', () => {
    expect(log2Axis([0.9, 40, 50])).toEqual({ domain: [0.5, 64], ticks: [0.5, 1, 2, 4, 8, 16, 32, 64] });
    expect(log2Axis([1.2, 31]).domain).toEqual([1, 64]); // padded: 31 × 1.05 is past 32
    expect(log2Axis([1.2, 31]).ticks.at(-1)).toBe(64);
  });
});

describe('a page without a headline leads with what its grid answers (review of real runs)', () => {
  const synthetic = tempDir('cb-report-lead-');
  afterAll(() => synthetic.remove());

  it('leads the faults and queue grids with their own answer and one line naming the grid that gives the headline', async () => {
    for (const [grid, question] of [['faults', 'faults'], ['queue', 'distributed']] as const) {
      const runDir = writeSyntheticRun(grid, join(synthetic.dir, grid));
      const { meta, results, ceilings } = readRun(runDir);
      const m = buildReport(meta, results, summarize(meta, results, ceilings));
      expect(m.headline, grid).toBeNull();
      expect(m.lead?.answer?.question, grid).toBe(question);
      expect(m.lead?.answer?.text, grid).toBe(m.answers.find((a) => a.question === question)?.text);
      expect(m.lead?.headlineFrom, grid).toMatch(/^No headline speedup here: .*--grid default/);
    }
    const html = readFileSync((await writeReport(join(synthetic.dir, 'faults'))).path, 'utf8');
    expect(html).not.toMatch(/No headline in this run/);
    expect(html).toMatch(/<div class="lead" id="headline"><p><b><a href="#faults">If a worker fails\?<\/a><\/b> A killed ffmpeg costs a retry/);
  });

  it('has no lead when the run has a headline', () => {
    expect(model.lead).toBeNull();
  });
});

describe('print and screen: long reference tables folded (review of real runs)', () => {
  it(`folds every table longer than ${LONG_TABLE_ROWS} rows, keeping its rows`, async () => {
    const tables = model.sections.flatMap((s) => s.tables);
    expect(tables.filter((t) => t.rows.length > LONG_TABLE_ROWS).length).toBeGreaterThan(0);
    for (const t of tables.filter((x) => x.rows.length > LONG_TABLE_ROWS)) expect(t.collapsed, t.caption).toBe(true);
    const html = readFileSync((await writeReport(dir)).path, 'utf8');
    expect(html).toContain('<details><summary>Every other chunked configuration against the centre');
  });
});

describe('the limitations state the rule the code applies', () => {
  it('names the distinct worker counts each model needs within the cores, from the constants the fits use', async () => {
    const rule = model.limitations.join(' ');
    expect(rule).toContain(`Amdahl's law (2 parameters) needs at least ${AMDAHL_MIN_COUNTS} distinct worker counts within the cores, single counting as 1`);
    expect(rule).toContain(`the Universal Scalability Law (2 parameters) ${USL_MIN_COUNTS_ABOVE_ONE} above 1`);
    expect(rule).toContain('more distinct measured points than parameters within the 2 cores');
    expect(rule).not.toMatch(/several worker counts/);
    const html = readFileSync((await writeReport(dir)).path, 'utf8');
    expect(html).toContain(`needs at least ${AMDAHL_MIN_COUNTS} distinct worker counts`);
  });
});

describe('roundsWords', () => {
  const meta = (rounds: (number | undefined)[]) => ({ grid: { repeats: 5 }, configs: rounds.map((r) => (r === undefined ? {} : { rounds: r })) }) as unknown as Parameters<typeof roundsWords>[0];
  it('says the grid’s rounds when every configuration ran them', () => {
    expect(roundsWords(meta([undefined, undefined]))).toBe('× 5 rounds');
  });
  it('counts the configurations per number of rounds where sweeps ran fewer, most rounds first', () => {
    expect(roundsWords(meta([undefined, 2, 3, 2, undefined]))).toBe('(2 × 5 rounds, 1 × 3, 2 × 2)');
  });
});
