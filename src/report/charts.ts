// Vega-Lite specifications of the report's charts, pure functions of the report model. Every measured
// point is drawn with its 95% interval (an error bar from lo to hi); model curves are labelled as models.
import type { ReportModel } from './model.ts';
import { projectionChart } from './projection.ts';

/** A named chart: its Vega-Lite spec (saved as charts/<name>.vl.json for slides). */
export interface ChartSpec {
  name: string;
  title: string;
  spec: Record<string, unknown>;
}

const WIDTH = 640;
const base = (title: string, height = 300) => ({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, width: WIDTH, height, background: 'white' });

/** Points with error bars on a quantitative or ordinal x. */
function pointsWithCi(data: object[], xField: string, xTitle: string, yTitle: string, xType: 'quantitative' | 'ordinal' | 'nominal', color?: string) {
  const enc = (extra: object) => ({ x: { field: xField, type: xType, title: xTitle, ...(xType === 'nominal' ? { sort: null, axis: { labelAngle: -30, labelLimit: 260 } } : {}) }, ...(color ? { color: { field: color, type: 'nominal' } } : {}), ...extra });
  return [
    { data: { values: data }, mark: { type: 'rule' }, encoding: enc({ y: { field: 'lo', type: 'quantitative', title: yTitle }, y2: { field: 'hi' } }) },
    { data: { values: data }, mark: { type: 'point', filled: true, size: 70 }, encoding: enc({ y: { field: 'value', type: 'quantitative', title: yTitle }, tooltip: [{ field: 'label' }, { field: 'value', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }] }) },
  ];
}

/** Every chart the model has data for. */
export function chartSpecs(model: ReportModel): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const sc = model.scaling;
  if (sc) {
    charts.push({
      name: 'speedup',
      title: 'Speedup over single vs workers, with the ideal line and fitted models (points: measured, 95% CI)',
      spec: {
        ...base('Speedup vs workers'),
        layer: [
          { data: { values: sc.curves }, mark: { type: 'line', strokeDash: [4, 3] }, encoding: { x: { field: 'workers', type: 'quantitative', title: 'workers' }, y: { field: 'speedup', type: 'quantitative', title: 'speedup over single (×)' }, color: { field: 'model', type: 'nominal', title: 'model' } } },
          { data: { values: [{ cores: model.machine.cores }] }, mark: { type: 'rule', color: '#999' }, encoding: { x: { field: 'cores', type: 'quantitative' } } },
          { data: { values: [{ cores: model.machine.cores, text: `${model.machine.cores} cores` }] }, mark: { type: 'text', dy: -140, dx: 30, color: '#666' }, encoding: { x: { field: 'cores', type: 'quantitative' }, text: { field: 'text' } } },
          ...pointsWithCi(sc.points.map((p) => ({ ...p })), 'workers', 'workers', 'speedup over single (×)', 'quantitative'),
        ],
      },
    });
    charts.push({
      name: 'efficiency',
      title: 'Parallel efficiency (speedup / workers) vs workers, 95% CI',
      spec: { ...base('Efficiency vs workers', 220), layer: pointsWithCi(sc.points.map((p) => ({ label: p.label, workers: p.workers, value: p.efficiency, lo: p.efficiencyLo, hi: p.efficiencyHi })), 'workers', 'workers', 'efficiency', 'quantitative') },
    });
    if (sc.karpFlatt.length) {
      charts.push({
        name: 'karp-flatt',
        title: 'Karp–Flatt experimentally determined serial fraction e(N), 95% CI',
        spec: { ...base('Karp–Flatt serial fraction', 220), layer: pointsWithCi(sc.karpFlatt.map((k) => ({ label: `N=${k.workers}`, workers: k.workers, value: k.e, lo: k.ci95?.lo ?? k.e, hi: k.ci95?.hi ?? k.e })), 'workers', 'workers', 'e(N)', 'quantitative') },
      });
    }
  }
  if (model.phases.length) {
    charts.push({
      name: 'phases',
      title: 'Where the time goes: mean wall time per phase, per configuration',
      spec: {
        ...base('Phases per configuration (bars: mean per phase; line: wall time, 95% CI)', Math.max(200, 22 * new Set(model.phases.map((p) => p.label)).size)),
        layer: [
          { data: { values: model.phases.map((p) => ({ ...p, seconds: p.ms / 1000 })) }, mark: 'bar', encoding: { y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 320 } }, x: { field: 'seconds', type: 'quantitative', title: 'seconds', stack: 'zero' }, color: { field: 'phase', type: 'nominal', sort: ['probe', 'split', 'process', 'merge'] }, order: { field: 'phase' } } },
          { data: { values: model.phaseTotals }, mark: { type: 'rule', color: 'black', strokeWidth: 2 }, encoding: { y: { field: 'label', type: 'nominal', sort: null }, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
        ],
      },
    });
  }
  for (const t of model.timelines) {
    charts.push({
      name: `timeline-w${t.workers}`,
      title: `Chunk timeline, ${t.label}: one lane per worker (gaps are idle time)`,
      spec: { ...base(`Timeline: ${t.workers} worker(s)`, Math.max(80, 40 * (t.workers + 1))), data: { values: t.chunks.map((c) => ({ ...c, start: c.startMs / 1000, end: c.endMs / 1000, lane: `worker ${c.worker}` })) }, mark: { type: 'bar', stroke: 'white', strokeWidth: 1 }, encoding: { y: { field: 'lane', type: 'nominal', title: null }, x: { field: 'start', type: 'quantitative', title: 'seconds from the start of the process phase' }, x2: { field: 'end' }, color: { field: 'chunk', type: 'quantitative', legend: null, scale: { scheme: 'tealblues' } }, tooltip: [{ field: 'chunk' }, { field: 'start', format: '.2f' }, { field: 'end', format: '.2f' }] } },
    });
  }
  if (model.segments) {
    const rows = model.segments.rows;
    charts.push({
      name: 'segments-wall',
      title: 'Wall time vs segment length, 95% CI',
      spec: { ...base('Wall time vs segment length', 260), layer: pointsWithCi(rows.map((r) => ({ label: `${r.segmentSeconds} s ${r.split}`, segment: r.segmentSeconds, split: r.split, value: r.wall.value / 1000, lo: r.wall.lo / 1000, hi: r.wall.hi / 1000 })), 'segment', 'segment length (s)', 'wall time (s)', 'quantitative', 'split') },
    });
    charts.push({
      name: 'segments-cost',
      title: 'Chunk count and output size overhead vs segment length',
      spec: {
        ...base('Chunks and bytes vs segment length', 220),
        data: { values: rows.flatMap((r) => [{ segment: r.segmentSeconds, split: r.split, metric: 'output size vs single (%)', value: (r.bitrateOverhead ?? 0) * 100 }, { segment: r.segmentSeconds, split: r.split, metric: 'chunks', value: r.chunks }]) },
        mark: { type: 'line', point: true },
        encoding: { x: { field: 'segment', type: 'quantitative', title: 'segment length (s)' }, y: { field: 'value', type: 'quantitative', title: null }, color: { field: 'split', type: 'nominal' }, row: { field: 'metric', type: 'nominal', title: null } },
        resolve: { scale: { y: 'independent' } },
        height: 150,
      },
    });
  }
  for (const comp of model.comparisons) {
    const values = comp.rows.flatMap((r) => (['chunked', 'single', 'singleMt'] as const).flatMap((mode) => (r[mode] ? [{ group: r.value, mode: mode === 'singleMt' ? 'single-mt' : mode, label: `${r.value} ${mode}`, value: (r[mode]?.value ?? 0) / 1000, lo: (r[mode]?.lo ?? 0) / 1000, hi: (r[mode]?.hi ?? 0) / 1000 }] : [])));
    charts.push({
      name: `${comp.dimension}s`,
      title: `Wall time per ${comp.dimension}: chunked vs single vs single-mt, 95% CI`,
      spec: { ...base(`Wall time by ${comp.dimension}`, 260), data: { values }, encoding: { x: { field: 'group', type: 'nominal', title: comp.dimension, sort: null }, xOffset: { field: 'mode' }, color: { field: 'mode', type: 'nominal' } }, layer: [{ mark: 'bar', encoding: { y: { field: 'value', type: 'quantitative', title: 'wall time (s)' } } }, { mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } }] },
    });
  }
  if (model.faults?.rows.length) {
    charts.push({
      name: 'faults',
      title: 'Wall time vs injected fault rate (SIGKILL of a chunk mid-run, then a retry), 95% CI',
      spec: { ...base('What a worker failure costs', 240), layer: pointsWithCi(model.faults.rows.map((r) => ({ label: r.label, rate: r.rate, ...r.wall })), 'rate', 'share of chunks whose ffmpeg is killed', 'wall time (s)', 'quantitative') },
    });
  }
  if (model.faults?.stragglers.length) {
    charts.push({
      name: 'stragglers',
      title: 'Hung chunks (stragglers): wall time with and without speculative backups, 95% CI',
      spec: { ...base('Stragglers: speculation on and off', 220), layer: pointsWithCi(model.faults.stragglers.map((r) => ({ label: r.speculate ? `backups at ${r.speculate}×, ${r.stalls * 100}% hung` : `timeout only, ${r.stalls * 100}% hung`, ...r.wall })), 'label', 'configuration', 'wall time (s)', 'nominal') },
    });
  }
  if (model.queue) {
    const values = model.queue.rows.flatMap((r) => [{ label: `${r.label} · local pool`, ...r.local }, { label: `${r.label} · BullMQ queue`, ...r.queue }]);
    charts.push({
      name: 'queue',
      title: 'Local pool vs task queue (BullMQ on Redis): wall time, 95% CI',
      spec: { ...base('Where chunks run: local pool vs queue', 200), layer: pointsWithCi(values, 'label', 'executor', 'wall time (s)', 'nominal') },
    });
  }
  if (model.bottleneck.utilisation.length) {
    charts.push({
      name: 'cpu-utilisation',
      title: 'CPU utilisation Σ(user+sys of ffmpeg) / (wall × cores), 95% CI',
      spec: { ...base('CPU utilisation', Math.max(200, 22 * model.bottleneck.utilisation.length)), data: { values: model.bottleneck.utilisation }, layer: [{ mark: 'bar', encoding: { y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 320 } }, x: { field: 'value', type: 'quantitative', title: 'share of all cores busy with ffmpeg', axis: { format: '%' } } } }, { mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'label', type: 'nominal', sort: null }, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } }] },
    });
  }
  if (model.noise.rows.length) {
    charts.push({
      name: 'noise',
      title: 'Coefficient of variation per configuration (the line marks 10%)',
      spec: { ...base('Run-to-run variation (CV)', Math.max(200, 22 * model.noise.rows.length)), layer: [{ data: { values: model.noise.rows }, mark: 'bar', encoding: { y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 320 } }, x: { field: 'cv', type: 'quantitative', title: 'CV', axis: { format: '%' } }, color: { field: 'warn', type: 'nominal', scale: { domain: [false, true], range: ['#4c78a8', '#e45756'] }, legend: null } } }, { data: { values: [{ t: 0.1 }] }, mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] }, encoding: { x: { field: 't', type: 'quantitative' } } }] },
    });
  }
  if (model.projection.length) {
    charts.push({
      name: 'projection',
      title: 'Projection beyond this machine from the fitted models (a model, not a measurement)',
      spec: { ...base('Projected speedup (model)', 240), data: { values: model.projection }, mark: { type: 'line', point: true, strokeDash: [4, 3] }, encoding: { x: { field: 'workers', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'workers (log scale)' }, y: { field: 'speedup', type: 'quantitative', title: 'predicted speedup (×)' }, color: { field: 'model', type: 'nominal' } } },
    });
  }
  if (model.cluster) charts.push(projectionChart(model.cluster.projection));
  return charts;
}
