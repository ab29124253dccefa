// The report's projection chart and sentences, from a projection of the committed run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMeta, readResults } from '../../src/harness/store.ts';
import { projectionChart, projectionSentences } from '../../src/report/projection.ts';
import { renderSvg } from '../../src/report/render.ts';
import { buildProjection } from '../../src/simulate/index.ts';
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
});

describe('projectionSentences', () => {
  it('says it is a model, where efficiency halves and why, and how far the model is from the measurements', () => {
    const sentences = projectionSentences(projection);
    expect(sentences).toHaveLength(3);
    expect(sentences[0]).toMatch(/^Model projection, not a measurement: for a 7200 s video in 10 s chunks \(720 chunks\)/);
    expect(sentences[1]).toMatch(/^Efficiency falls below 50% from 64 workers; at 1024 workers .*serial probe, split and merge/);
    expect(sentences[1]).toMatch(/past 720 workers there are no more chunks/);
    expect(sentences[2]).toMatch(/13 measured .* 8\.0% at worst \(chunked w4 10s .*past the core count\); within the 15% target/);
  });
});
