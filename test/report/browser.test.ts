// The report as a pitch audience sees it: headless Chromium (Debian's package, driven by playwright-core)
// opens the rendered page at 1366×768 and looks — no console errors, the headline and the six answers on
// the first screen, no text wider than its box, no two chart labels on top of each other, every chart
// drawing marks and none outside its plot area, chart text legible on screen and in print — and saves the
// first screen, the full page and every chart as PNG artifacts (.tmp/report-artifacts/<run>/, or
// $CHUNKBENCH_ARTIFACTS). It runs on the committed sample run, on made-up runs of the faults and queue
// grids (./synthetic-run.ts: their sections' drawing), and on every run directory listed in
// $CHUNKBENCH_REPORT_RUNS (comma-separated), so a fresh run of each grid can be checked the same way.
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePngs } from '../../src/report/png.ts';
import { renderSvg } from '../../src/report/render.ts';
import { writeReport } from '../../src/report/write.ts';
import { REPO, tempDir } from '../helpers.ts';
import { CHROMIUM, CHROMIUM_PATH, skipWithout } from '../requires.ts';
import { crowdedAxes, firstScreen, marksInPlot, overlappingLabels, smallestChartText, textOverflow } from './page-checks.ts';
import { writeSyntheticRun } from './synthetic-run.ts';

const noChromium = skipWithout(CHROMIUM, 'the browser test');
const work = tempDir('cb-browser-');
afterAll(() => work.remove());
// a skipped file runs no hooks, afterAll included
if (noChromium) work.remove();

const SAMPLE = join(REPO, 'test', 'data', 'default-run');
// the sample run, made-up runs of the faults and queue grids (the sections the sample lacks), and any given
const SYNTHETIC = noChromium ? [] : [writeSyntheticRun('faults', join(work.dir, 'synthetic-faults')), writeSyntheticRun('queue', join(work.dir, 'synthetic-queue'))];
const RUNS = [SAMPLE, ...SYNTHETIC, ...(process.env.CHUNKBENCH_REPORT_RUNS ?? '').split(',').map((s) => s.trim()).filter(Boolean)];
const ARTIFACTS = process.env.CHUNKBENCH_ARTIFACTS ?? join(REPO, '.tmp', 'report-artifacts');
const VIEWPORT = { width: 1366, height: 768 };
const PRINT_WIDTH_PX = Math.floor(((210 - 2 * 12) / 25.4) * 96); // 703
const PT8_PX = (8 * 96) / 72;

/** A copy of the stored run (the report writes into its directory; the committed run stays untouched). */
function copyRun(source: string, name: string): string {
  const dir = join(work.dir, name);
  mkdirSync(dir, { recursive: true });
  // the committed sample is exactly its two files (a projection.json there would be another process's)
  const files = source === SAMPLE ? ['meta.json', 'results.jsonl'] : ['meta.json', 'results.jsonl', 'projection.json'];
  for (const file of files) if (existsSync(join(source, file))) cpSync(join(source, file), join(dir, file));
  return dir;
}

let browser: Browser;
beforeAll(async () => {
  if (noChromium) return;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});
afterAll(async () => browser?.close());

describe.skipIf(noChromium).each(RUNS.map((run, i) => [basename(run), run, i] as const))('report of %s in Chromium at 1366×768', (name, source, i) => {
  let page: Page;
  let charts: string[];
  let dir: string;
  const errors: string[] = [];
  const artifacts = join(ARTIFACTS, `${i}-${name}`);

  beforeAll(async () => {
    dir = copyRun(source, `run-${i}`);
    ({ charts } = await writeReport(dir));
    page = await browser.newPage({ viewport: VIEWPORT });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${join(dir, 'index.html')}`);
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => page?.close());

  it('loads without console errors', () => {
    expect(errors).toEqual([]);
  });

  it('shows the headline and the six answers on the first screen', async () => {
    const screen = await page.evaluate(firstScreen);
    expect(screen.answerCount).toBe(6);
    expect(screen.headline).not.toBeNull();
    expect(screen.answers ?? Infinity).toBeLessThanOrEqual(VIEWPORT.height);
    // a run with a single baseline states the headline; one without leads with its own answer and says which grid measures it
    expect(screen.headlineText).toMatch(/The centre is \d+\.\d\d× \[\d+\.\d\d, \d+\.\d\d\] (faster than|against) one ffmpeg|No headline speedup here: .*--grid default/);
    await page.screenshot({ path: join(artifacts, 'first-screen.png') });
  });

  it('has no text wider than its box', async () => {
    expect(await page.evaluate(textOverflow)).toEqual([]);
  });

  it('has no two chart labels on top of each other', async () => {
    expect(await page.evaluate(overlappingLabels)).toEqual([]);
  });

  it('draws marks in every chart, none outside its plot area', async () => {
    const found = await page.evaluate(marksInPlot);
    expect(found.map((c) => c.chart)).toEqual(charts);
    for (const c of found) {
      expect(c.marks, `${c.chart} draws no marks`).toBeGreaterThan(0);
      expect(c.outside, `${c.chart} has marks outside its plot`).toEqual([]);
    }
  });

  it('has no axis crowded with tick labels', async () => {
    expect(await page.evaluate(crowdedAxes)).toEqual([]);
  });

  it('keeps chart text legible on the screen and on an A4 printout', async () => {
    for (const c of await page.evaluate(smallestChartText)) expect(c.px, `${c.chart} on screen`).toBeGreaterThanOrEqual(11);
    // the printable width of A4 inside the print stylesheet's 12 mm margins (186 mm at 96 dpi): what a chart
    // really gets on paper, and 8 pt (10.67 px) as the smallest legible print size
    const print = await browser.newPage({ viewport: { width: PRINT_WIDTH_PX, height: 1000 } });
    try {
      await print.emulateMedia({ media: 'print' });
      await print.goto(`file://${join(dir, 'index.html')}`);
      for (const c of await print.evaluate(smallestChartText)) expect(c.px, `${c.chart} printed`).toBeGreaterThanOrEqual(PT8_PX);
    } finally {
      await print.close();
    }
  });

  it('saves the full page and every chart as screenshots', async () => {
    await page.screenshot({ path: join(artifacts, 'full-page.png'), fullPage: true });
    expect(statSync(join(artifacts, 'full-page.png')).size).toBeGreaterThan(50_000);
    for (const name of charts) {
      const path = join(artifacts, `chart-${name}.png`);
      await page.locator(`figure[data-chart="${name}"]`).screenshot({ path });
      expect(statSync(path).size, name).toBeGreaterThan(5_000);
    }
  });

  it.runIf(i === 0)('writes PNG copies of the charts for slides with the same Chromium', async () => {
    const written = await writePngs(join(dir, 'charts'), charts.slice(0, 2));
    expect(written).toEqual(charts.slice(0, 2));
    for (const chart of written) expect(statSync(join(dir, 'charts', `${chart}.png`)).size).toBeGreaterThan(5_000);
  });
});

describe.skipIf(noChromium)('the page checks', () => {
  it('catch a clipped point, overlapping labels, overflowing text, a shrunken chart and a crowded axis', async () => {
    // a point on the edge of a tight domain, and two labels drawn at the same place: real vega output
    const clipped = await renderSvg({ width: 200, height: 100, data: { values: [{ x: 0, y: 1 }, { x: 10, y: 2 }] }, mark: { type: 'point', size: 400, filled: true }, encoding: { x: { field: 'x', type: 'quantitative', scale: { domain: [0, 10], nice: false } }, y: { field: 'y', type: 'quantitative' } } });
    const crowded = await renderSvg({ width: 1000, height: 40, data: { values: [{ x: 0 }, { x: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative', axis: { values: Array.from({ length: 21 }, (_, i) => i / 20) } } } });
    const overlap = await renderSvg({ width: 200, height: 100, data: { values: [{ t: 'first label' }, { t: 'second label' }] }, mark: { type: 'text', fontSize: 14 }, encoding: { text: { field: 't' } } });
    const page = await browser.newPage({ viewport: VIEWPORT });
    try {
      await page.setContent(`<style>figure svg { max-width: 100%; height: auto }</style><body><figure data-chart="clipped">${clipped}</figure><figure data-chart="overlap">${overlap}</figure><figure data-chart="small" style="width:120px">${clipped}</figure><figure data-chart="crowded">${crowded}</figure><div style="width:60px;white-space:nowrap">a sentence far too long for its box</div></body>`);
      expect((await page.evaluate(marksInPlot)).find((c) => c.chart === 'clipped')?.outside.length).toBeGreaterThan(0);
      expect(await page.evaluate(overlappingLabels)).toContainEqual(expect.stringMatching(/^overlap: "first label" overlaps "second label"/));
      expect(await page.evaluate(textOverflow)).toContainEqual(expect.stringMatching(/^<div> "a sentence far too long/));
      expect((await page.evaluate(smallestChartText)).find((c) => c.chart === 'small')?.px).toBeLessThan(8);
      expect(await page.evaluate(crowdedAxes)).toContainEqual(expect.stringMatching(/^crowded: 21 tick labels/));
    } finally {
      await page.close();
    }
  });
});
