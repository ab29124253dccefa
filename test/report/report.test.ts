// The report from a committed results fixture (a real default-grid run, test/data/default-run): the model's
// generated sentences agree with statistics recomputed here from the raw lines, the charts exist with their
// specs, and the page is one self-contained file.
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMeta, readResults } from '../../src/harness/store.ts';
import { chartSpecs } from '../../src/report/charts.ts';
import { buildReport, leadInClause, type ReportModel } from '../../src/report/model.ts';
import { writeReport } from '../../src/report/write.ts';
import { pairedRatio } from '../../src/stats/index.ts';
import { summarize } from '../../src/summary/summarize.ts';
import { REPO, tempDir } from '../helpers.ts';

export const FIXTURE_RUN = join(REPO, 'test', 'data', 'default-run');
const work = tempDir('cb-report-');
const dir = join(work.dir, 'run');
let model: ReportModel;

beforeAll(() => {
  cpSync(FIXTURE_RUN, dir, { recursive: true });
  const meta = readMeta(dir);
  const results = readResults(dir);
  model = buildReport(meta, results, summarize(meta, results));
});
afterAll(() => work.remove());

/** Per-round wall times of a configuration, recomputed from the raw lines. */
function rounds(label: string): Map<number, number> {
  const lines = readResults(dir).filter((l) => l.label === label && !l.warmup && l.state === 'ok');
  return new Map(lines.map((l) => [l.round, l.wallMs]));
}

describe('report model from stored data', () => {
  it('states the headline speedup exactly as the paired statistic of the raw runs', () => {
    const [before, after] = model.headline?.table ?? [];
    expect(before?.label).toMatch(/^single · veryfast · none · t1$/);
    const b = rounds(before?.label ?? '');
    const a = rounds(after?.label ?? '');
    const common = [...a.keys()].filter((r) => b.has(r)).sort();
    const expected = pairedRatio(common.map((r) => b.get(r) ?? 0), common.map((r) => a.get(r) ?? 0));
    const sentence = model.headline?.sentences[0] ?? '';
    expect(sentence).toContain(`${expected.point.toFixed(2)}× [${expected.lo.toFixed(2)}, ${expected.hi.toFixed(2)}] (95% CI, paired over ${common.length} rounds)`);
    expect(sentence).toMatch(/^Chunked processing is (not clearly )?faster than sequential on this machine's 2 cores/);
  });

  it('fits Amdahl and the USL and explains the Karp–Flatt trend', () => {
    expect(model.scaling?.amdahl?.serialFraction).toBeGreaterThan(0);
    expect(model.scaling?.sentences.join(' ')).toMatch(/Amdahl's law fitted up to 2 workers gives a serial fraction f = [\d.]+%/);
    expect(model.scaling?.sentences.join(' ')).toMatch(/The serial work actually measured \(probe \+ split \+ merge\) is [\d.]+% of the wall time/);
    expect(model.scaling?.sentences.join(' ')).toMatch(/Past the core count the gain stops: 4 workers give/);
    expect(model.scaling?.points.map((p) => p.workers)).toEqual([1, 2, 4]);
  });

  it('names the lead-in decoding in the parallel overhead only as far as the stored plan shows it', () => {
    // the committed run predates the per-segment count: the generic wording
    expect(model.scaling?.sentences.join(' ')).toContain('decoding from the keyframe before mid-GOP cuts');
    expect(leadInClause(0.034)).toBe('decoding 3.4% more frames only to reach mid-GOP cuts, ');
    expect(leadInClause(0)).toBe('');
  });

  it('counts the lead-in decoding of short segments when the stored plan has it', () => {
    const meta = readMeta(dir);
    const results = readResults(dir);
    const summary = summarize(meta, results);
    const shortest = summary.configs.filter((c) => c.sweeps.includes('segments')).sort((a, b) => (a.config.segmentSeconds ?? 0) - (b.config.segmentSeconds ?? 0))[0];
    if (shortest) shortest.leadInShare = 0.5;
    const sentences = buildReport(meta, results, summary).segments?.sentences.join(' ') ?? '';
    expect(sentences).toMatch(/^.*Short segments cost: at 1 s there are \d+ chunks, each paying an ffmpeg start-up and a keyframe, with 50% more frames decoded only to reach cuts that fall between the source's keyframes, and the output is/s);
    // the committed run predates the count: no such clause
    expect(model.segments?.sentences.join(' ')).not.toContain('more frames decoded');
  });

  it('answers "why 10-second segments" with the measured best length', () => {
    const rows = model.segments?.rows ?? [];
    expect(rows.map((r) => r.segmentSeconds)).toEqual([1, 2, 5, 10, 30]);
    const best = [...rows].sort((x, y) => x.wall.value - y.wall.value)[0];
    expect(model.segments?.sentences[0]).toBe(`Measured best segment length on this machine: ${best?.segmentSeconds} s (${best?.split} split), ${((best?.wall.value ?? 0) / 1000).toFixed(2)} s [${((best?.wall.lo ?? 0) / 1000).toFixed(2)} s, ${((best?.wall.hi ?? 0) / 1000).toFixed(2)} s].`);
    expect(model.segments?.sentences.join(' ')).toMatch(/10 s (is the measured best here|is not the best here)/);
    expect(rows.find((r) => r.segmentSeconds === 1)?.chunks).toBe(60);
  });

  it('tests the disk-vs-tmpfs claim against the data and flags noisy configurations', () => {
    expect(model.bottleneck.sentences.join(' ')).toMatch(/Disk vs tmpfs: disk \(copy split\) [\d.]+ s vs tmpfs \(copy split\) [\d.]+ s/);
    for (const row of model.noise.rows) expect(row.warn).toBe(row.cv > 0.1);
    expect(model.verification.sentence).toMatch(/^(\d+) of \1 measured outputs passed verification/);
  });

  it('has a chart for every section, each with the measured 95% intervals', () => {
    const names = chartSpecs(model).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['speedup', 'efficiency', 'karp-flatt', 'phases', 'timeline-w1', 'timeline-w2', 'timeline-w4', 'segments-wall', 'segments-cost', 'presets', 'filters', 'cpu-utilisation', 'noise', 'projection']));
    const speedup = JSON.stringify(chartSpecs(model).find((c) => c.name === 'speedup')?.spec);
    expect(speedup).toContain('"y2":{"field":"hi"}'); // error bars
    expect(speedup).toContain('"model":"USL"');
  });
});

describe('npm run report', () => {
  it('writes one self-contained page with inline SVG, and each chart as SVG + Vega-Lite spec', async () => {
    const { path, charts, bytes } = await writeReport(dir);
    const html = readFileSync(path, 'utf8');
    expect(html).not.toMatch(/<script/);
    expect(html.match(/<figure data-chart=/g)?.length).toBe(charts.length);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(charts.length);
    for (const name of charts) {
      expect(existsSync(join(dir, 'charts', `${name}.svg`))).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'charts', `${name}.vl.json`), 'utf8')).$schema).toMatch(/vega-lite/);
    }
    expect(html).toContain(Handlebars.escapeExpression(model.headline?.sentences[0] ?? 'missing'));
    expect(bytes).toBeLessThan(3e6);
    expect(readdirSync(join(dir, 'charts')).length).toBe(2 * charts.length);
  });
});
