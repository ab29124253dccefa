// Building blocks of the report's Vega-Lite charts, chosen to survive a projector and a printer: fonts of
// 13 px at 100% (the page never scales a chart up), integer ticks for counts, domains padded so no mark sits
// on the plot's edge, labels short enough to need no truncation, the centre configuration in orange
// wherever it appears, and every measured point with its 95% interval (Criterion.rs and hyperfine draw
// the same: a dot and its interval, never an interval hidden inside a bar).
export type { ChartName, ChartSpec } from './section.ts';
import { textWidth } from './render.ts';

export const WIDTH = 600;
/** A fixed y-axis width (labels and title), for charts whose plots must line up one above the other. */
export const Y_AXIS_PX = 64;

/** The widest a chart may be drawn, axes and labels included, and still print at 1:1 inside the print
 * stylesheet's 175 mm (661 px): 13 px text stays 13 px (9.75 pt) on paper. */
export const PRINT_WIDTH = 650;

/** Plot width for a chart with one row per label: what is left of PRINT_WIDTH after the widest (bold) label. */
export const rowPlotWidth = (labels: readonly string[]): number => Math.max(360, Math.min(WIDTH, PRINT_WIDTH - Math.ceil(Math.max(0, ...labels.map((l) => textWidth(l, 13, true)))) - 24));
export const CENTRE_COLOUR = '#e8710a';
export const OTHER_COLOUR = '#4c78a8';
export const MODEL_COLOUR = '#7a5195';

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", sans-serif',
  axis: { labelFontSize: 13, titleFontSize: 13, labelLimit: 0, titleFontWeight: 'normal' },
  header: { labelFontSize: 13, titleFontSize: 13 },
  legend: { labelFontSize: 13, titleFontSize: 13, labelLimit: 0, symbolOpacity: 1 },
  title: { fontSize: 15, subtitleFontSize: 12, anchor: 'start' },
  view: { stroke: '#ddd' },
};

/** The top level of every chart. */
export const base = (title: string | { text: string; subtitle?: string }, height = 260) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title,
  width: WIDTH,
  height,
  background: 'white',
  config: CONFIG,
});

/** [min, max] widened by `pad` of the span on each side (or by ±pad·|v| when the span is 0). */
export function padded(values: readonly number[], pad = 0.08, floor = -Infinity): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return [0, 1];
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min || Math.abs(max) || 1;
  return [Math.max(floor, min - pad * span), max + pad * span];
}

/** An x or y axis of counts: exactly these integer ticks. */
export const countAxis = (values: readonly number[]) => ({ values: [...new Set(values)].sort((a, b) => a - b), format: 'd' });

/** Colour of a row: the centre in orange, the rest in blue, no legend (the caption says so). */
export const roleColour = { field: 'role', type: 'nominal', scale: { domain: ['centre', 'other'], range: [CENTRE_COLOUR, OTHER_COLOUR] }, legend: null };

/** Bold axis label for the centre's row. */
export const centreLabelWeight = { condition: { test: "datum.value === 'centre'", value: 'bold' }, value: 'normal' };

/** The axis of configuration rows: the centre's label bold and in the centre's colour. */
export const centreAxis = { labelFontWeight: centreLabelWeight, labelColor: { condition: { test: "datum.value === 'centre'", value: CENTRE_COLOUR }, value: '#222' } };

/** A pale band across the plot behind the centre's row, for charts whose marks are coloured by something
 * else (phases, variation): the centre stays findable without taking its colour from the data. */
export const centreRow = (y: Record<string, unknown>) => ({ data: { values: [{ label: 'centre' }] }, mark: { type: 'rect', color: '#fde6d2' }, encoding: { y: { ...y, field: 'label' }, x: { value: 0 }, x2: { value: 'width' } } });

/** The centre's band as a layer list: none when the chart has no centre row (a grid whose centre was not run
 * would otherwise get an empty row named 'centre'). */
export const centreRowIf = (y: Record<string, unknown>, labels: readonly string[]) => (labels.includes('centre') ? [centreRow(y)] : []);

/** A measured value with its interval, one row per configuration. */
export interface Dot {
  label: string;
  value: number;
  lo: number;
  hi: number;
  role: 'centre' | 'other';
}

/** Horizontal dot plot: one row per label, the value as a dot and its 95% interval as a line. */
export function dotPlot(title: string, dots: Dot[], xTitle: string, options: { format?: string; reference?: number; floor?: number } = {}) {
  const domain = padded(dots.flatMap((d) => [d.lo, d.hi, d.value, ...(options.reference === undefined ? [] : [options.reference])]), 0.08, options.floor);
  const x = (field: string) => ({ field, type: 'quantitative', title: xTitle, scale: { domain, nice: false, zero: false }, axis: { tickCount: 6, ...(options.format ? { format: options.format } : {}) } });
  const y = { field: 'label', type: 'nominal', sort: null, title: null, axis: centreAxis };
  return {
    ...base(title, Math.max(80, 28 * dots.length)),
    width: rowPlotWidth(dots.map((d) => d.label)),
    data: { values: dots },
    layer: [
      ...(options.reference === undefined ? [] : [{ data: { values: [{ ref: options.reference }] }, mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { x: { ...x('ref'), title: xTitle } } }]),
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, x: x('lo'), x2: { field: 'hi' }, color: roleColour } },
      { mark: { type: 'point', filled: true, size: 80, opacity: 1 }, encoding: { y, x: x('value'), color: roleColour, tooltip: [{ field: 'label' }, { field: 'value', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }] } },
    ],
  };
}
