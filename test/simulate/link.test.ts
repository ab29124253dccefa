// The projection's link: stated by the caller, else taken from the run's chunk uploads over HTTP (a least-
// squares fit of time against bytes), else a stated default — and the projection says which. Hand-built
// transfers on the committed run's records: 1 ms + bytes / (10 000 bytes per ms) = 80 Mbit/s. The bytes a
// chunk fetches enter the projection as its packet bytes (`inputBytes`), not as either input count of the
// http transport (issue #17: the server's count was once 25–27× the source).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMeta, readResults, type ResultLine } from '../../src/harness/store.ts';
import { buildProjection, DEFAULT_BANDWIDTH_MBPS, measuredLink } from '../../src/simulate/index.ts';
import { REPO } from '../helpers.ts';

const dir = join(REPO, 'test', 'data', 'default-run');
const meta = readMeta(dir);
const plain = readResults(dir);
const withTransfers: ResultLine[] = plain.map((line) =>
  line.record
    ? { ...line, record: { ...line.record, chunks: line.record.chunks.map((c) => ({ ...c, transfer: { readBytes: c.inputBytes, servedBytes: 2 * c.inputBytes, fetchRequests: 2, fetchMs: 50, uploadBytes: c.outputBytes, uploadMs: 1 + c.outputBytes / 10_000, checkMs: 3, uploadAttempts: 1 } })) } }
    : line,
);
const options = { workers: [1, 8, 64], durationSeconds: 600, replications: 0 };

describe('the projection link', () => {
  it("takes bandwidth and per-transfer latency from the run's uploads when the caller states none, and says so", () => {
    const link = measuredLink(withTransfers);
    expect(link?.latencyMs).toBeCloseTo(1, 6);
    expect(link?.mbps).toBeCloseTo(80, 6);
    const p = buildProjection(meta, withTransfers, options);
    expect(p.scenario.bandwidthMbps).toBeCloseTo(80, 6);
    expect(p.scenario.bandwidthFrom).toBe('measured uploads');
    expect(p.scenario.transferLatencyMs).toBeCloseTo(1, 6);
    expect(p.scenario.transferLatencyFrom).toBe('measured uploads');
    expect(p.assumptions.join('\n')).toMatch(/over a 80 Mbit\/s worker link \(fitted to this run's chunk uploads over HTTP, on the network it ran on\)/);
    expect(p.assumptions.join('\n')).toMatch(/Each transfer adds a fixed 1\.0 ms \(fitted to this run's chunk uploads over HTTP\), two per chunk\./);
  });

  it('a stated bandwidth wins; the measured latency still applies, and makes every chunk slower by two of it', () => {
    const stated = buildProjection(meta, withTransfers, { ...options, bandwidthMbps: 1000 });
    expect(stated.scenario).toMatchObject({ bandwidthMbps: 1000, bandwidthFrom: 'stated', transferLatencyFrom: 'measured uploads' });
    const noLatency = buildProjection(meta, withTransfers, { ...options, bandwidthMbps: 1000, transferLatencyMs: 0 });
    // one worker runs every chunk in turn: two transfers of 1 ms more per chunk
    expect((stated.rows[0]?.wallMs ?? 0) - (noLatency.rows[0]?.wallMs ?? 0)).toBeCloseTo(2 * stated.scenario.chunks, 3);
  });

  it("takes nothing from the input counts: what ffmpeg read and what the coordinator served leave the link alone", () => {
    const inflated = withTransfers.map((line) =>
      line.record ? { ...line, record: { ...line.record, chunks: line.record.chunks.map((c) => (c.transfer ? { ...c, transfer: { ...c.transfer, readBytes: 27 * c.inputBytes, servedBytes: 270 * c.inputBytes } } : c)) } } : line,
    );
    expect(measuredLink(inflated)).toEqual(measuredLink(withTransfers));
    expect(buildProjection(meta, inflated, options).rows).toEqual(buildProjection(meta, withTransfers, options).rows);
  });

  it('without transfers in the run: the default bandwidth and no transfer latency, said so', () => {
    expect(measuredLink(plain)).toBeNull();
    const p = buildProjection(meta, plain, options);
    expect(p.scenario).toMatchObject({ bandwidthMbps: DEFAULT_BANDWIDTH_MBPS, bandwidthFrom: 'default', transferLatencyMs: 0, transferLatencyFrom: 'none measured' });
    expect(p.assumptions.join('\n')).toMatch(/\(stated: the run moved no chunk over HTTP\)/);
  });
});
