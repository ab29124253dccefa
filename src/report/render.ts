// Vega-Lite → Vega → SVG, headless in Node (vega's View.toSVG needs no browser or canvas), so the page is
// one self-contained file that works offline and prints to PDF.
//
// Without a canvas, vega estimates a text's width as 0.8 × font size per character, far wider than real
// text: axes then reserve a third of a chart for their labels and bottom legends push charts past the
// page's width, so the browser scales them down to illegible sizes. vega lets a renderer supply its own
// measure (`textMetrics.width`, as vl-convert does); this one uses DejaVu Sans's advance widths (the font
// Chromium falls back to for system-ui on Debian), 5% wider for safety, so labels keep their room without
// a native canvas dependency.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

// advance widths of DejaVu Sans in em, lowercase a–z
const LOWER = [0.613, 0.635, 0.55, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525];
const NARROW = new Set([' ', '.', ',', ':', ';', '·', "'", '|', '!']);

/** Width in em of one character of DejaVu Sans (approximate outside a–z). */
function charEm(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code >= 97 && code <= 122) return LOWER[code - 97] ?? 0.6;
  if (code >= 48 && code <= 57) return 0.636;
  if (code >= 65 && code <= 90) return 0.7;
  if (NARROW.has(ch)) return 0.318;
  if ('()[]-'.includes(ch)) return 0.39;
  if (ch === '%' || ch === '×' || ch === '—' || ch === '–') return 0.9;
  return 0.65;
}

/** Estimated rendered width of `text` at `fontSize` px, bold 8% wider. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return em * fontSize * (bold ? 1.08 : 1) * 1.05;
}

type TextItem = { text?: unknown; fontSize?: number; fontWeight?: string | number };
(vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics.width = (item, text) => {
  const value = text ?? item.text;
  const s = Array.isArray(value) ? value.join(' ') : value === null || value === undefined ? '' : String(value);
  const weight = item.fontWeight;
  return textWidth(s, item.fontSize ?? 11, weight === 'bold' || (typeof weight === 'number' && weight >= 600));
};

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
