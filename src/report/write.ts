// Writes <run>/index.html (one self-contained page: inline SVG charts, no scripts), each chart as
// charts/<name>.svg with its Vega-Lite spec charts/<name>.vl.json for slides, the page's content as
// report.json, and summary.csv (rewritten from the results, like the page). Reads the stored run only, through the report's
// validated contract (./contract.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { ResultLine, RunMeta } from '../harness/store.ts';
import { isUserError } from '../errors.ts';
import { buildProjection, type Projection } from '../simulate/index.ts';
import { toCsv } from '../summary/export.ts';
import { summarize } from '../summary/summarize.ts';
import { parseProjection, readRun } from './contract.ts';
import { buildReport, reportCharts } from './model.ts';
import { renderSvg } from './render.ts';

const TEMPLATE = readFileSync(join(import.meta.dirname, 'template.hbs'), 'utf8');

/** A fingerprint of the code that computes the projection (the simulate and report modules as installed). */
function simulationCode(): string {
  const hash = createHash('sha256');
  for (const dir of [join(import.meta.dirname, '..', 'simulate'), import.meta.dirname]) {
    for (const name of readdirSync(dir).filter((n) => /\.(ts|js)$/.test(n)).sort()) hash.update(name).update(readFileSync(join(dir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The cluster projection: the one `npm run simulate` wrote for this run, else the default one (1…1024
 * workers, a 2-hour video, 1 Gbit/s per worker, 5 noisy replications), computed once per state of the
 * results and cached in projection-default.json (its simulation can take seconds); none when the run has
 * no chunked runs to calibrate from. */
export function clusterProjection(dir: string, meta: RunMeta, results: ResultLine[]): Projection | null {
  const stored = join(dir, 'projection.json');
  if (existsSync(stored)) return parseProjection(JSON.parse(readFileSync(stored, 'utf8')), stored);
  const cache = join(dir, 'projection-default.json');
  const code = simulationCode();
  if (existsSync(cache)) {
    const cached = JSON.parse(readFileSync(cache, 'utf8')) as { resultLines: number; code?: string; projection: Projection | null };
    // the same results and the same simulation code: a cache written by older code would show its text
    if (cached.resultLines === results.length && cached.code === code) return cached.projection;
  }
  let projection: Projection | null = null;
  try {
    // the link: this run's uploads over HTTP when it has them (the projection says so), else the default
    projection = buildProjection(meta, results, { workers: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], durationSeconds: 7200, replications: 5 });
  } catch (error) {
    if (!isUserError(error)) throw error;
  }
  writeFileSync(cache, `${JSON.stringify({ resultLines: results.length, code, projection })}\n`);
  return projection;
}

/** Renders the report of a stored run; returns the page's path and the chart names. */
export async function writeReport(dir: string): Promise<{ path: string; charts: string[]; bytes: number }> {
  const { meta, results, ceilings } = readRun(dir);
  const summary = summarize(meta, results, ceilings);
  const model = buildReport(meta, results, summary, clusterProjection(dir, meta, results));
  const charts = reportCharts(model);
  const chartDir = join(dir, 'charts');
  mkdirSync(chartDir, { recursive: true });
  const svgs = new Map<string, string>();
  for (const chart of charts) {
    const svg = await renderSvg(chart.spec);
    svgs.set(chart.name, svg);
    writeFileSync(join(chartDir, `${chart.name}.svg`), svg);
    writeFileSync(join(chartDir, `${chart.name}.vl.json`), `${JSON.stringify(chart.spec, null, 2)}\n`);
  }
  // a chart an earlier render drew and this page withholds (a model no longer carried by the data) must not
  // linger in charts/ beside the page, where a slide deck would pick it up
  const drawn = new Set<string>(charts.map((c) => c.name));
  for (const file of readdirSync(chartDir)) {
    const name = /^(.*?)(\.vl\.json|\.svg|\.png)$/.exec(file)?.[1];
    if (name !== undefined && !drawn.has(name)) rmSync(join(chartDir, file), { force: true });
  }
  // always from the results, as the page is: a summary.csv written by older code would lack columns the page has
  writeFileSync(join(dir, 'summary.csv'), toCsv(summary));
  const hb = Handlebars.create();
  // a chart is looked up by its typed name from the section that made it: it is always there
  hb.registerHelper('svg', (name: string) => new Handlebars.SafeString(svgs.get(name) as string));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // a table header that names a glossary term carries its meaning as a tooltip
  hb.registerHelper('tip', (text: string) => {
    // the term that starts earliest in the header, the longest of those ("vs single-mt" is single-mt's)
    const found = model.glossary.map((g) => ({ g, at: text.toLowerCase().indexOf(g.term.toLowerCase()) })).filter((m) => m.at >= 0);
    const entry = found.sort((a, b) => a.at - b.at || b.g.term.length - a.g.term.length)[0]?.g;
    const escaped = Handlebars.escapeExpression(text);
    return new Handlebars.SafeString(entry ? `<abbr title="${Handlebars.escapeExpression(entry.meaning)}">${escaped}</abbr>` : escaped);
  });
  const html = hb.compile(TEMPLATE, { strict: false })({ model });
  const path = join(dir, 'index.html');
  writeFileSync(path, html);
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(model, null, 2)}\n`);
  return { path, charts: charts.map((c) => c.name), bytes: Buffer.byteLength(html) };
}
