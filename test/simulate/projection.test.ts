// The report's projection chart and sentences, from a projection of the committed run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMeta, readResults } from '../../src/harness/store.ts';
import { checkFailed, projectionChart, projectionSentences, projectionValidationRows } from '../../src/report/projection.ts';
import { renderSvg } from '../../src/report/render.ts';
import { buildProjection, type Projection } from '../../src/simulate/index.ts';
import { REPO } from '../helpers.ts';

const dir = join(REPO, 'test', 'data', 'default-run');
const projection = buildProjection(readMeta(dir), readResults(dir), { workers: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], durationSeconds: 7200, bandwidthMbps: 1000, replications: 3 });

describe('projectionChart', () => {
  it('is a Vega-Lite spec labelled as a model, on log-2 axes, that renders to SVG', async () => {
    const chart = projectionChart(projection);
    expect(chart.name).toBe('cluster-projection');
    expect(chart.title).toMatch(/^Model projection \(not a measurement\)/);
    const text = JSON.stringify(chart.spec);
    expect(text).toContain('"type":"log","base":2');
    expect(text).toContain('a model, not a measurement');
    expect(text).toContain('measured: 60 s source, this machine');
    const svg = await renderSvg(chart.spec);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('Cluster projection');
  });

  it('gives every model curve its own band, the measured marks a diamond legend, and a y axis that clips nothing', () => {
    const spec = projectionChart(projection).spec as { layer: { data: { values: { series?: string; marks?: string; value: number; lo: number; hi: number }[] }; mark: { type: string }; encoding: Record<string, unknown> }[] };
    const of = (type: string) => spec.layer.filter((l) => l.mark.type === type);
    const series = (type: string) => [...new Set(of(type).flatMap((l) => l.data.values.map((v) => v.series)))].sort();
    expect(series('area')).toEqual(series('line'));
    expect(series('line')).toEqual(['model: 60 s source, this 2-core machine', 'model: 7200 s video, cluster']);
    const shape = of('point')[0]?.encoding.shape as { scale: { domain: string[]; range: string[] } };
    expect(shape.scale).toEqual({ domain: ['measured: 60 s source, this machine'], range: ['diamond'] });
    const y = of('area')[0]?.encoding.y as { scale: { domain: [number, number] }; axis: { values: number[] } };
    const values = spec.layer.flatMap((l) => l.data.values.flatMap((v) => [v.value, v.lo, v.hi]));
    expect(y.scale.domain[1]).toBeGreaterThanOrEqual(Math.max(...values));
    expect(y.scale.domain[0]).toBeLessThanOrEqual(Math.min(...values));
    expect(y.axis.values.at(-1)).toBe(y.scale.domain[1]);
  });

  it('flags a model that missed its own held-out target in its title and caption', () => {
    expect(checkFailed(projection)).toBe(false);
    const failed = { ...projection, validation: { ...projection.validation, withinTarget: false, heldOut: { ...projection.validation.heldOut, maxAbsErrorPct: 17.1 } } } as Projection;
    expect(checkFailed(failed)).toBe(true);
    const chart = projectionChart(failed);
    expect(chart.title).toContain('It FAILED its own held-out check (its worst held-out error is 17.1% against the 15% target): shown for reference, not as an answer.');
    const title = (chart.spec as { title: { text: string; subtitle: string[] } }).title;
    expect(title.text).toBe('Cluster projection — a model that FAILED its own held-out check');
    expect(title.subtitle).toContain('OUTSIDE the 15% target');
  });
});

describe('projectionSentences', () => {
  it('says it is a model, where efficiency halves and why, and how far the model is from the measurements', () => {
    const sentences = projectionSentences(projection);
    expect(sentences).toHaveLength(4);
    expect(sentences[0]).toMatch(/^Model projection, not a measurement: for a 7200 s video in 10 s chunks \(720 chunks\)/);
    expect(sentences[1]).toMatch(/^Efficiency falls below 50% from 64 workers; at 1024 workers .*serial probe, split and merge/);
    expect(sentences[1]).toMatch(/past 720 workers there are no more chunks/);
  });

  it('leads with held-out error and the measured CIs, and names the in-sample figures as such', () => {
    const [, , heldOut, inSample] = projectionSentences(projection);
    expect(heldOut).toMatch(/13 measured .* each configuration left out of the fit in turn and predicted from the rest: the 8 that can be left out are off by 3\.5% on average and 8\.0% at worst \(chunked w4 10s .*past the core count\), and 5 of 8 predictions fall inside the measured 95% CI; within the 15% target/);
    expect(inSample).toMatch(/^Fitted on every point, its own runs included \(in-sample\), the same 8 are off by 2\.8% on average \(all 13: 2\.1%, 11 of 13 inside the CI\): the in-sample figures flatter the model\./);
    expect(inSample).toMatch(/The other 5 could not be left out, so for them only the in-sample check exists: 5 are each the only configuration doing their work/);
    // the check line is wrapped at its '; ' (one line per reading), so the chart stays as wide as its plot
    expect((projectionChart(projection).spec as { title: { subtitle: string[] } }).title.subtitle.join('; ')).toMatch(/^held-out error .* mean 3\.5%, max 8\.0% over 8 of 13 measured points; within the 15% target; in-sample on the same points mean 2\.8%/);
  });

  it('says a projection.json from before the held-out check is in-sample only, and shows no table for it', () => {
    const old = { ...projection, schema: 'chunkbench.projection/1', validation: { points: projection.validation.points, maxAbsErrorPct: 8, meanAbsErrorPct: 2.1 } } as unknown as Projection;
    expect(projectionSentences(old)[2]).toMatch(/^This projection\.json predates held-out validation: its errors are in-sample only/);
    expect(projectionValidationRows(old)).toEqual([]);
  });
});

describe('projectionValidationRows', () => {
  it('gives each measured point its 95% CI beside the held-out and the in-sample prediction, or why it was not held out', () => {
    const rows = projectionValidationRows(projection);
    expect(rows).toHaveLength(13);
    expect(rows.find((r) => r.label.startsWith('chunked w4 10s'))).toEqual({
      label: 'chunked w4 10s exact · veryfast · none · t1 (past the core count)',
      measured: '2.99 s [2.85 s, 3.14 s] (5 runs)',
      inSample: '2.75 s, -8.0%, outside the CI',
      heldOut: '2.75 s, -8.0%, outside the CI',
    });
    expect(rows.find((r) => r.label.startsWith('chunked w2 1s'))?.heldOut).toBe('4.47 s, +6.8%, outside the CI');
    expect(rows.find((r) => r.label.includes('ultrafast'))?.heldOut).toMatch(/^not held out: the only configuration doing its work \(libx264 ultrafast/);
  });
});
