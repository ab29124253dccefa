// `chunkbench simulate <run> --segments …`: the segment-length answer for a video length and worker count the
// run did not measure, from the committed sample run's model.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMeta, readResults } from '../../src/harness/store.ts';
import { formatSegmentAnswer } from '../../src/simulate/format.ts';
import { parseSegmentList, segmentAnswer } from '../../src/simulate/segments.ts';

const dir = join(import.meta.dirname, '..', 'data', 'default-run');

describe('parseSegmentList', () => {
  it('reads lengths and auto, without duplicates', () => {
    expect(parseSegmentList('2,5, 7.5,auto,5')).toEqual([2, 5, 7.5, 'auto']);
  });
  it.each(['', '2,,5', '0', '-1', 'ten', '5s'])('rejects %j in one line naming the flag', (text) => {
    expect(() => parseSegmentList(text)).toThrow(/^--segments must be a comma-separated list of segment lengths in seconds > 0, and\/or auto .*; got '/);
  });
});

describe('segmentAnswer', () => {
  const meta = readMeta(dir);
  const results = readResults(dir);
  const answer = segmentAnswer(meta, results, { workers: 4, durationSeconds: 180, candidates: [2, 10, 30, 'auto'], replications: 5 });

  it('predicts every candidate for the asked video and worker count, auto resolved to its chosen length', () => {
    expect(answer.rows.map((r) => r.candidate)).toEqual([2, 10, 30, 'auto']);
    expect(answer.rows.map((r) => r.chunks).slice(0, 3)).toEqual([90, 18, 6]);
    const auto = answer.rows[3];
    expect(auto?.segmentSeconds).toBe(answer.auto.segmentSeconds);
    expect(auto?.chunks).toBe(answer.auto.chunks);
    // auto fills every wave: a multiple of the workers
    expect((auto?.chunks ?? 0) % 4).toBe(0);
  });

  it('names the fastest, and measures every row against it', () => {
    const best = Math.min(...answer.rows.map((r) => r.wallMs));
    expect(answer.fastest.wallMs).toBe(best);
    for (const r of answer.rows) expect(r.vsFastest).toBeCloseTo(r.wallMs / best, 12);
    expect(answer.near).toContain(answer.fastest);
    for (const r of answer.near) expect(r.vsFastest).toBeLessThanOrEqual(1.05);
  });

  it("says it is a model, carries the run's held-out check, and names what it leaves out", () => {
    expect(answer.kind).toBe('model');
    expect(answer.heldOutPoints).toBeGreaterThan(0);
    const text = formatSegmentAnswer(answer);
    expect(text).toMatch(/^A MODEL, not a measurement: the segment length for a 180 s video on 4 workers/);
    expect(text).toMatch(/held out\): mean \|\d+\.\d%\|, max \|\d+\.\d%\| over \d+ configurations/);
    expect(text).toContain(`--segment auto would pick ${Number(answer.auto.segmentSeconds.toFixed(2))} s here`);
    expect(text).toMatch(/Not in the model: the compression cost of short chunks at equal quality/);
  });
});
