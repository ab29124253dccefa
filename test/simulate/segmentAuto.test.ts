// The projection and the validation of a configuration whose segment is `auto`: the committed sample run
// with its centre relabelled as auto (its runs made the 10 s chunks they stored; the calibration reads the
// chunks each run made, whatever chose them).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMeta, readResults, type ResultLine, type RunMeta } from '../../src/harness/store.ts';
import { chooseSegment } from '../../src/pipeline/segmentAuto.ts';
import type { RunRecord } from '../../src/pipeline/types.ts';
import { projectionSentences } from '../../src/report/projection.ts';
import { formatProjection } from '../../src/simulate/format.ts';
import { buildProjection } from '../../src/simulate/index.ts';
import { validate } from '../../src/simulate/validate.ts';
import { REPO } from '../helpers.ts';

const dir = join(REPO, 'test', 'data', 'default-run');

/** The sample run with its w2 centre asking for `auto`: its records carry a choice of 6 chunks of 10 s. */
function autoRun(): { meta: RunMeta; results: ResultLine[]; id: string } {
  const meta = readMeta(dir);
  const results = readResults(dir);
  const centre = meta.configs.find((c) => c.label === 'chunked w2 10s exact · veryfast · none · t1');
  if (!centre) throw new Error('no centre');
  centre.segmentSeconds = 'auto';
  const choice = { ...chooseSegment({ durationSeconds: 60, workers: 2 }), segmentSeconds: 10, chunks: 6, waves: 3 };
  for (const line of results) {
    if (line.configId === centre.id && line.record) line.record = { ...line.record, config: { ...line.record.config, segmentSeconds: 'auto' }, segmentChoice: choice } as RunRecord;
  }
  return { meta, results, id: centre.id };
}

describe('a projection of an auto configuration', () => {
  const { meta, results, id } = autoRun();
  const projection = buildProjection(meta, results, { configId: id, workers: [1, 2, 4, 16, 64], durationSeconds: 7200, bandwidthMbps: 1000, replications: 0 });

  it('chooses the length per worker count, with the fitted costs and the cluster latency per chunk', () => {
    expect(projection.scenario.segmentAuto).toBe(true);
    expect(projection.rows.map((r) => r.workers)).toEqual([1, 2, 4, 16, 64]);
    expect(projection.rows[0]).toMatchObject({ chunks: 1, segmentSeconds: 7200 });
    for (const r of projection.rows) {
      expect(r.chunks ?? 0, `w${r.workers}`).toBeGreaterThanOrEqual(r.workers);
      expect((r.chunks ?? 0) % r.workers, `w${r.workers}`).toBe(0);
      expect(Number.isFinite(r.wallMs) && Number.isFinite(r.speedup)).toBe(true);
    }
    const top = projection.rows.at(-1);
    expect(projection.scenario).toMatchObject({ segmentSeconds: top?.segmentSeconds, chunks: top?.chunks });
    expect(projection.assumptions.at(-1)).toMatch(/^The configuration's segment length is auto: .* on 64 workers: \d+ chunks of [\d.]+ s: \d+ waves on 64 workers;/);
  });

  it('prints and says so, with no NaN', () => {
    const text = formatProjection(projection, null);
    expect(text).toMatch(/projection: 7200 s video, segment auto \(1 on 1, \d+ on 2, \d+ on 4, \d+ on 16, \d+ on 64 chunks\)/);
    expect(projectionSentences(projection)[0]).toMatch(/^Model projection, not a measurement: for a 7200 s video in chunks chosen by --segment auto for each worker count \(1 chunk on 1, \d+ of [\d.]+ s on 64\)/);
    expect(text + projectionSentences(projection).join(' ')).not.toMatch(/NaN|undefined/);
  });

  it('a stated --segment still wins', () => {
    const fixed = buildProjection(meta, results, { configId: id, workers: [1, 64], durationSeconds: 7200, segmentSeconds: 10, replications: 0 });
    expect(fixed.scenario).toMatchObject({ segmentSeconds: 10, chunks: 720 });
    expect(fixed.scenario.segmentAuto).toBeUndefined();
    expect(fixed.rows[0]?.chunks).toBeUndefined();
  });

  it("compares the model with the run's own chunks on the measuring machine (finite at every worker count)", () => {
    expect(projection.local.segmentSeconds).toBe(10);
    expect(projection.local.model.every((m) => Number.isFinite(m.wallMs) && Number.isFinite(m.speedup))).toBe(true);
  });
});

describe('the validation of an auto configuration', () => {
  it('calibrates on the chunks the run made and reports the length it chose', () => {
    const { meta, results, id } = autoRun();
    const point = validate(meta, results).points.find((p) => p.configId === id);
    expect(point).toMatchObject({ segmentSeconds: 10, chunks: 6 });
    expect(Number.isFinite(point?.inSample.predictedWallMs)).toBe(true);
  });
});
