// Writes reports/<run-id>/index.html (one self-contained page: inline SVG charts, no scripts), and each
// chart as charts/<name>.svg with its Vega-Lite spec charts/<name>.vl.json for slides. Reads the stored
// run only.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { readCeilings, readMeta, readResults, type ResultLine, type RunMeta } from '../harness/store.ts';
import { isUserError } from '../errors.ts';
import { buildProjection, type Projection } from '../simulate/index.ts';
import { summarize } from '../summary/summarize.ts';
import { chartSpecs } from './charts.ts';
import { buildReport } from './model.ts';
import { renderSvg } from './render.ts';

const TEMPLATE = readFileSync(join(import.meta.dirname, 'template.hbs'), 'utf8');

/** The cluster projection: the one `npm run simulate` wrote for this run, else the default one (1…1024
 * workers, a 2-hour video, 1 Gbit/s per worker, 5 noisy replications), computed once per state of the
 * results and cached in projection-default.json (its simulation can take seconds); none when the run has
 * no chunked runs to calibrate from. */
export function clusterProjection(dir: string, meta: RunMeta, results: ResultLine[]): Projection | null {
  const stored = join(dir, 'projection.json');
  if (existsSync(stored)) return JSON.parse(readFileSync(stored, 'utf8')) as Projection;
  const cache = join(dir, 'projection-default.json');
  if (existsSync(cache)) {
    const cached = JSON.parse(readFileSync(cache, 'utf8')) as { resultLines: number; projection: Projection | null };
    if (cached.resultLines === results.length) return cached.projection;
  }
  let projection: Projection | null = null;
  try {
    projection = buildProjection(meta, results, { workers: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], durationSeconds: 7200, bandwidthMbps: 1000, replications: 5 });
  } catch (error) {
    if (!isUserError(error)) throw error;
  }
  writeFileSync(cache, `${JSON.stringify({ resultLines: results.length, projection })}\n`);
  return projection;
}

/** Renders the report of a stored run; returns the page's path and the chart names. */
export async function writeReport(dir: string): Promise<{ path: string; charts: string[]; bytes: number }> {
  const meta = readMeta(dir);
  const results = readResults(dir);
  const summary = summarize(meta, results, readCeilings(dir));
  const model = buildReport(meta, results, summary, clusterProjection(dir, meta, results));
  const specs = chartSpecs(model);
  const chartDir = join(dir, 'charts');
  mkdirSync(chartDir, { recursive: true });
  const svgs = new Map<string, string>();
  for (const chart of specs) {
    const svg = await renderSvg(chart.spec);
    svgs.set(chart.name, `<figure data-chart="${chart.name}">${svg}<figcaption>${Handlebars.escapeExpression(chart.title)}</figcaption></figure>`);
    writeFileSync(join(chartDir, `${chart.name}.svg`), svg);
    writeFileSync(join(chartDir, `${chart.name}.vl.json`), `${JSON.stringify(chart.spec, null, 2)}\n`);
  }
  const hb = Handlebars.create();
  hb.registerHelper('chart', (name: string) => new Handlebars.SafeString(svgs.get(name) ?? ''));
  hb.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('div', (a: number, b: number) => a / b);
  hb.registerHelper('mul', (a: number, b: number) => a * b);
  hb.registerHelper('fixed', (v: unknown, digits: number) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—'));
  const html = hb.compile(TEMPLATE, { strict: false })({ model });
  const path = join(dir, 'index.html');
  writeFileSync(path, html);
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(model, null, 2)}\n`);
  return { path, charts: specs.map((c) => c.name), bytes: Buffer.byteLength(html) };
}
