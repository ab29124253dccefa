// Vega-Lite → Vega → SVG, headless in Node (vega's View.toSVG needs no browser or canvas), so the page is
// one self-contained file that works offline and prints to PDF.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Renders one Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const compiled = compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
