// PNG copies of the charts for slides, when a renderer is at hand: Debian's Chromium, driven by
// playwright-core (no browser download). Optional: the SVGs are the report's own output.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Chromium to use, or null when none is installed. */
export function chromiumPath(): string | null {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(path) ? path : null;
}

/** Writes charts/<name>.png beside each charts/<name>.svg; returns the names written. */
export async function writePngs(chartDir: string, names: string[]): Promise<string[]> {
  const executablePath = chromiumPath();
  if (!executablePath) return [];
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2 });
    for (const name of names) {
      await page.setContent(`<body style="margin:0;background:white">${readFileSync(join(chartDir, `${name}.svg`), 'utf8')}</body>`);
      await page.locator('svg').first().screenshot({ path: join(chartDir, `${name}.png`) });
    }
    return names;
  } finally {
    await browser.close();
  }
}
