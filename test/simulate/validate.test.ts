// The model against the committed default-grid run: stored data, so the figures are deterministic.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMeta, readResults } from '../../src/harness/store.ts';
import { validate } from '../../src/simulate/validate.ts';
import { REPO } from '../helpers.ts';

const dir = join(REPO, 'test', 'data', 'default-run');

describe('validate on test/data/default-run (2 cores)', () => {
  const v = validate(readMeta(dir), readResults(dir));
  const byLabel = (prefix: string) => v.points.find((p) => p.label.startsWith(prefix));

  it('in-sample (the fit saw every point): all 13 within 15%, mean 2.1%, 11 of 13 inside the measured CI', () => {
    expect(v.points).toHaveLength(13);
    for (const p of v.points) expect(Math.abs(p.inSample.errorPct), p.label).toBeLessThanOrEqual(15);
    expect(v.inSample).toMatchObject({ points: 13, insideCi: 11, withCi: 13 });
    expect(v.inSample.meanAbsErrorPct).toBeCloseTo(2.11, 2);
    expect(v.inSample.maxAbsErrorPct).toBeCloseTo(8.01, 2);
  });

  it('held out (leave one configuration out): 8 points, mean 3.5%, max 8.0%, only 5 of 8 inside the measured CI', () => {
    expect(v.heldOut).toMatchObject({ points: 8, insideCi: 5, withCi: 8, worst: 'chunked w4 10s exact · veryfast · none · t1' });
    expect(v.heldOut.meanAbsErrorPct).toBeCloseTo(3.51, 2);
    expect(v.heldOut.maxAbsErrorPct).toBeCloseTo(8.04, 2);
    // in-sample on the same 8 points, for the like-for-like comparison
    expect(v.inSampleOfHeldOut).toMatchObject({ points: 8, insideCi: 6 });
    expect(v.inSampleOfHeldOut.meanAbsErrorPct).toBeCloseTo(2.82, 2);
    expect(v.withinTarget).toBe(true);
    // the 1 s sweep point moves most when its own 60 short chunks leave the fit
    const s1 = byLabel('chunked w2 1s exact')?.heldOut;
    expect(s1).toMatchObject({ state: 'predicted', insideCi: false });
    if (s1?.state === 'predicted') expect(s1.errorPct).toBeCloseTo(6.78, 1);
  });

  it('cannot leave out the five configurations that alone measure their work, and says so for each', () => {
    const notHeld = v.points.filter((p) => p.heldOut.state === 'not-held-out');
    expect(v.notHeldOut).toBe(5);
    expect(notHeld.map((p) => p.label.split(' · ').slice(1, 3).join(' · '))).toEqual(['ultrafast · none', 'faster · none', 'veryfast · denoise', 'veryfast · none', 'veryfast · none']);
    for (const p of notHeld) expect(p.heldOut, p.label).toMatchObject({ reason: expect.stringMatching(/^the only configuration doing its work/) });
  });

  it('predicts the point past the core count by time-sharing, outside its measured CI both ways', () => {
    const w4 = byLabel('chunked w4 10s exact');
    expect(w4).toMatchObject({ inCalibration: false, oversubscribed: true, chunks: 6 });
    expect(w4?.inSample.insideCi).toBe(false);
    expect(w4?.heldOut).toMatchObject({ state: 'predicted', insideCi: false });
    const w2 = byLabel('chunked w2 10s exact · veryfast · none');
    // 6 equal chunks: 3 rounds on 2 workers, or 4 at half speed then 2 at full on 4
    expect(w4?.inSample.predictedWallMs).toBeCloseTo(w2?.inSample.predictedWallMs ?? NaN, 0);
  });

  it('follows the segment-length sweep: 1 s chunks are the slowest of the sweep, as measured and held out', () => {
    const sweep = v.points.filter((p) => p.workers === 2 && p.label.includes('exact · veryfast · none'));
    const slowest = (wall: (p: (typeof sweep)[number]) => number) => [...sweep].sort((a, b) => wall(b) - wall(a))[0]?.segmentSeconds;
    expect(slowest((p) => p.inSample.predictedWallMs)).toBe(1);
    expect(slowest((p) => (p.heldOut.state === 'predicted' ? p.heldOut.predictedWallMs : NaN))).toBe(1);
    expect(slowest((p) => p.measuredWallMs)).toBe(1);
  });
});
