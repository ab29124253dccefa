// The model against the committed default-grid run: stored data, so the figures are deterministic.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMeta, readResults } from '../../src/harness/store.ts';
import { validate } from '../../src/simulate/validate.ts';
import { REPO } from '../helpers.ts';

const dir = join(REPO, 'test', 'data', 'default-run');

describe('validate on test/data/default-run (2 cores)', () => {
  const v = validate(readMeta(dir), readResults(dir));

  it('predicts every measured chunked and sequential configuration within 15%', () => {
    expect(v.points).toHaveLength(13);
    for (const p of v.points) expect(Math.abs(p.errorPct), p.label).toBeLessThanOrEqual(15);
    expect(v.maxAbsErrorPct).toBeLessThanOrEqual(15);
    expect(v.withinTarget).toBe(true);
    expect(v.meanAbsErrorPct).toBeLessThan(5);
  });

  it('holds the point past the core count out of the fit and predicts it by time-sharing', () => {
    const w4 = v.points.find((p) => p.workers === 4);
    expect(w4).toMatchObject({ inCalibration: false, oversubscribed: true, chunks: 6 });
    const w2 = v.points.find((p) => p.label.startsWith('chunked w2 10s exact · veryfast · none'));
    // 6 equal chunks: 3 rounds on 2 workers, or 4 at half speed then 2 at full on 4
    expect(w4?.predictedWallMs).toBeCloseTo(w2?.predictedWallMs ?? NaN, 0);
  });

  it('follows the segment-length sweep: 1 s chunks are the slowest of the sweep, as measured', () => {
    const sweep = v.points.filter((p) => p.workers === 2 && p.label.includes('exact · veryfast · none'));
    const slowest = (key: 'measuredWallMs' | 'predictedWallMs') => [...sweep].sort((a, b) => b[key] - a[key])[0]?.segmentSeconds;
    expect(slowest('predictedWallMs')).toBe(1);
    expect(slowest('measuredWallMs')).toBe(1);
  });
});
