// PNG copies of the charts for slides, when a renderer is at hand: Debian's Chromium, driven by
// playwright-core (no browser download). Optional: the SVGs are the report's own output, and playwright-core
// is an optional dependency, loaded only here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkbenchError } from '../errors.ts';

/** The Chromium to use, or null when none is installed. */
export function chromiumPath(): string | null {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(path) ? path : null;
}

/** playwright-core, or a one-line error naming the install command when it is not installed. */
async function playwright(): Promise<typeof import('playwright-core')> {
  try {
    return await import('playwright-core');
  } catch {
    throw new ChunkbenchError('--png needs playwright-core, an optional dependency that is not installed: npm install playwright-core');
  }
}

/** Writes charts/<name>.png beside each charts/<name>.svg; returns the names written. */
export async function writePngs(chartDir: string, names: string[]): Promise<string[]> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new ChunkbenchError('--png: no Chromium at /usr/bin/chromium (set CHROMIUM_PATH, or `apt-get install chromium`)');
  const { chromium } = await playwright();
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
