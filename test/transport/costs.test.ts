// The data plane's costs from chunk records (pure, hand-built data): per-chunk means, and the link the
// uploads imply, with the fallbacks where a fit cannot tell latency from bandwidth.
import { describe, expect, it } from 'vitest';
import type { ChunkRecord } from '../../src/pipeline/types.ts';
import { linkEstimate, transferSummary } from '../../src/transport/costs.ts';

describe('linkEstimate', () => {
  it('fits latency + bytes / bandwidth: 2 ms + 1 byte per µs is 2 ms and 8000 Mbit/s', () => {
    const uploads = [1e5, 2e5, 4e5, 8e5].map((bytes) => ({ bytes, ms: 2 + bytes / 1000 }));
    const link = linkEstimate(uploads);
    expect(link?.method).toBe('least squares');
    expect(link?.latencyMs).toBeCloseTo(2, 6);
    expect(link?.mbps).toBeCloseTo(8, 6);
    expect(link?.transfers).toBe(4);
  });

  it('reports only the mean time when every upload has one size or larger ones were not slower', () => {
    expect(linkEstimate([{ bytes: 5e5, ms: 3 }, { bytes: 5e5, ms: 5 }])).toEqual({ latencyMs: 4, mbps: null, transfers: 2, method: 'mean time only (no size effect)' });
    expect(linkEstimate([{ bytes: 1e5, ms: 6 }, { bytes: 9e5, ms: 4 }])?.mbps).toBeNull();
  });

  it('clamps a negative intercept to 0 and takes total bytes over total time', () => {
    const link = linkEstimate([{ bytes: 1e6, ms: 1 }, { bytes: 3e6, ms: 5 }]);
    expect(link).toEqual({ latencyMs: 0, mbps: (4e6 / 6) * (8 / 1000), transfers: 2, method: 'throughput (intercept clamped to 0)' });
  });

  it('needs two uploads', () => {
    expect(linkEstimate([{ bytes: 1e5, ms: 1 }])).toBeNull();
    expect(linkEstimate([])).toBeNull();
  });
});

describe('transferSummary', () => {
  const chunk = (state: 'ok' | 'failed', transfer?: ChunkRecord['transfer']) => ({ state, ...(transfer ? { transfer } : {}) }) as ChunkRecord;
  const t = (uploadBytes: number, uploadMs: number, readBytes: number | null = 1000) => ({ readBytes, servedBytes: 1500, fetchRequests: 2, fetchMs: 30, uploadBytes, uploadMs, checkMs: 4, uploadAttempts: 1 });

  it('averages the successful chunks that moved bytes, and fits their uploads', () => {
    const s = transferSummary([chunk('ok', t(1e5, 3)), chunk('ok', t(3e5, 5)), chunk('failed', t(9e9, 1)), chunk('ok')]);
    expect(s).toMatchObject({ chunks: 2, readBytesPerChunk: 1000, readChunks: 2, servedBytesPerChunk: 1500, fetchRequestsPerChunk: 2, uploadBytesPerChunk: 2e5, uploadMsPerChunk: 4, checkMsPerChunk: 4 });
    expect(s?.link?.latencyMs).toBeCloseTo(2, 6);
  });

  it("averages what ffmpeg read over the chunks that reported it, and says how many did", () => {
    const s = transferSummary([chunk('ok', t(1e5, 3, 800)), chunk('ok', t(3e5, 5, null))]);
    expect(s).toMatchObject({ chunks: 2, readBytesPerChunk: 800, readChunks: 1, servedBytesPerChunk: 1500 });
    expect(transferSummary([chunk('ok', t(1e5, 3, null))])).toMatchObject({ readBytesPerChunk: null, readChunks: 0 });
  });

  it('does not read the unbounded server count of records from before issue #17 (`fetchBytes`)', () => {
    const old = { fetchBytes: 25e6, fetchRequests: 3, fetchMs: 30, uploadBytes: 1e5, uploadMs: 3, checkMs: 4, uploadAttempts: 1 } as unknown as ChunkRecord['transfer'];
    expect(transferSummary([chunk('ok', old)])).toMatchObject({ chunks: 1, readBytesPerChunk: null, readChunks: 0, servedBytesPerChunk: null, fetchRequestsPerChunk: 3 });
  });

  it('is null for runs without transfers (local pool, shared filesystem)', () => {
    expect(transferSummary([chunk('ok'), chunk('ok')])).toBeNull();
  });
});
