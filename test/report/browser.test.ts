// The report in a real browser: headless Chromium (Debian's package, driven by playwright-core) opens the
// page with no console errors, every chart has a non-zero size, and a screenshot is saved with the run.
import { cpSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { writePngs } from '../../src/report/png.ts';
import { writeReport } from '../../src/report/write.ts';
import { REPO, tempDir } from '../helpers.ts';
import { CHROMIUM, CHROMIUM_PATH, skipWithout } from '../requires.ts';

const noChromium = skipWithout(CHROMIUM, 'the browser test');
const work = tempDir('cb-browser-');
afterAll(() => work.remove());
// a skipped file runs no hooks, afterAll included
if (noChromium) work.remove();

describe.skipIf(noChromium)('report in headless Chromium', () => {
  it('renders without console errors, every chart visible, and saves a screenshot', async () => {
    expect(existsSync(CHROMIUM_PATH), `${CHROMIUM_PATH} is missing: .ci/run installs Debian's chromium package`).toBe(true);
    const dir = join(work.dir, 'run');
    cpSync(join(REPO, 'test', 'data', 'default-run'), dir, { recursive: true });
    const { path, charts } = await writeReport(dir);
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${path}`);
      const sizes = await page.$$eval('figure[data-chart] svg', (svgs) => svgs.map((s) => { const r = s.getBoundingClientRect(); return { w: r.width, h: r.height }; }));
      expect(sizes).toHaveLength(charts.length);
      for (const size of sizes) {
        expect(size.w).toBeGreaterThan(0);
        expect(size.h).toBeGreaterThan(0);
      }
      const shot = join(dir, 'screenshot.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
    // PNG copies for slides, rendered by the same Chromium
    const written = await writePngs(join(dir, 'charts'), charts.slice(0, 2));
    expect(written).toEqual(charts.slice(0, 2));
    for (const name of written) expect(statSync(join(dir, 'charts', `${name}.png`)).size).toBeGreaterThan(5_000);
  });
});
