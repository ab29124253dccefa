// The data plane's costs from chunk records (pure, hand-built data): per-chunk means, and the link the
// uploads imply, with the fallbacks where a fit cannot tell latency from bandwidth.
import { describe, expect, it } from 'vitest';
import type { ChunkRecord } from '../../src/pipeline/types.ts';
import { linkByRound, linkEstimate, transferSummary } from '../../src/transport/costs.ts';

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

describe('linkByRound', () => {
  const round = (latencyMs: number, bytesPerMs: number) => [1e5, 2e5, 4e5].map((bytes) => ({ bytes, ms: latencyMs + bytes / bytesPerMs }));

  it('fits each round; averages the latency, and the time per byte on the log scale, with t-intervals over the rounds', () => {
    // rounds at 1 and 3 ms, 1000 and 500 bytes per ms: time per byte 0.001 and 0.002, geometric mean √2 · 0.001
    const link = linkByRound([round(1, 1000), round(3, 500)]);
    expect(link).toMatchObject({ method: 'least squares per round', average: 'geometric', rounds: 2, transfers: 6 });
    expect(link?.latencyMs).toBeCloseTo(2, 9);
    expect(link?.mbps).toBeCloseTo(8 / Math.SQRT2, 9);
    // latency: mean 2, sd √2, half-width 12.706 → [0 (cut), 14.706]
    expect(link?.latencyMsCi?.lo).toBe(0);
    expect(link?.latencyMsCi?.hi).toBeCloseTo(2 + 12.706, 3);
    // log time per byte: sd ln 2 / √2, half-width 12.706 · ln 2 / 2
    const half = (12.706 * Math.LN2) / 2;
    expect(link?.mbpsCi?.lo).toBeCloseTo((8 / Math.SQRT2) * Math.exp(-half), 2);
    expect(link?.mbpsCi?.hi).toBeCloseTo((8 / Math.SQRT2) * Math.exp(half), 0);
  });

  it('where a round shows no size effect, averages the time per byte itself; an interval reaching 0 sets no upper limit', () => {
    const flat = [1e5, 2e5, 4e5].map((bytes, i) => ({ bytes, ms: 5 - i * 0.1 })); // slope < 0
    const link = linkByRound([round(1, 1000), round(1, 1000), flat]);
    expect(link).toMatchObject({ method: 'least squares per round', average: 'arithmetic', rounds: 3 });
    expect(link?.mbpsCi?.hi).toBeNull();
    expect(link?.mbpsCi?.lo).toBeGreaterThan(0);
  });

  it('bounds the bandwidth on both sides when the rounds agree', () => {
    const link = linkByRound([round(2, 1000), round(2, 1010), round(2, 990), round(2, 1000)]);
    expect(link?.mbps).toBeCloseTo(8, 1);
    expect(link?.mbpsCi?.lo).toBeLessThan(8);
    expect(link?.mbpsCi?.hi).toBeGreaterThan(8);
    expect(link?.latencyMsCi?.lo).toBeCloseTo(2, 6);
  });

  it('falls back to one fit over every upload, without an interval, when under two rounds can be fitted', () => {
    const link = linkByRound([round(2, 1000), [{ bytes: 1e5, ms: 102 }]]);
    expect(link?.method).toBe('least squares');
    expect(link?.latencyMsCi).toBeUndefined();
    expect(linkByRound([[{ bytes: 1e5, ms: 1 }]])).toBeNull();
  });
});

describe('transferSummary', () => {
  const chunk = (state: 'ok' | 'failed', transfer?: ChunkRecord['transfer']) => ({ state, ...(transfer ? { transfer } : {}) }) as ChunkRecord;
  const t = (uploadBytes: number, uploadMs: number, readBytes: number | null = 1000) => ({ readBytes, servedBytes: 1500, fetchRequests: 2, fetchMs: 30, uploadBytes, uploadMs, checkMs: 4, uploadAttempts: 1 });

  it('averages the successful chunks that moved bytes; one run gives no interval', () => {
    const s = transferSummary([[chunk('ok', t(1e5, 3)), chunk('ok', t(3e5, 5)), chunk('failed', t(9e9, 1)), chunk('ok')]]);
    expect(s).toMatchObject({ chunks: 2, readBytesPerChunk: 1000, readChunks: 2, servedBytesPerChunk: 1500, fetchRequestsPerChunk: 2, uploadBytesPerChunk: 2e5, uploadMsPerChunk: 4, uploadMsCi: null, checkMsPerChunk: 4, checkMsCi: null });
  });

  it("gives the times a t-interval over the runs' means (the runs are the repeats, not the chunks)", () => {
    const s = transferSummary([[chunk('ok', t(1e5, 3)), chunk('ok', t(1e5, 5))], [chunk('ok', t(1e5, 6))], [chunk('failed', t(1e5, 99))]]);
    expect(s?.uploadMsPerChunk).toBeCloseTo(14 / 3, 9);
    // run means 4 and 6: mean 5, sd √2, t(0.975, 1) = 12.706
    expect(s?.uploadMsCi?.lo).toBeCloseTo(5 - 12.706, 3);
    expect(s?.uploadMsCi?.hi).toBeCloseTo(5 + 12.706, 3);
    expect(s?.checkMsCi).toEqual({ lo: 4, hi: 4 });
  });

  it("averages what ffmpeg read over the chunks that reported it, and says how many did", () => {
    const s = transferSummary([[chunk('ok', t(1e5, 3, 800)), chunk('ok', t(3e5, 5, null))]]);
    expect(s).toMatchObject({ chunks: 2, readBytesPerChunk: 800, readChunks: 1, servedBytesPerChunk: 1500 });
    expect(transferSummary([[chunk('ok', t(1e5, 3, null))]])).toMatchObject({ readBytesPerChunk: null, readChunks: 0 });
  });

  it('does not read the unbounded server count of records from before issue #17 (`fetchBytes`)', () => {
    const old = { fetchBytes: 25e6, fetchRequests: 3, fetchMs: 30, uploadBytes: 1e5, uploadMs: 3, checkMs: 4, uploadAttempts: 1 } as unknown as ChunkRecord['transfer'];
    expect(transferSummary([[chunk('ok', old)]])).toMatchObject({ chunks: 1, readBytesPerChunk: null, readChunks: 0, servedBytesPerChunk: null, fetchRequestsPerChunk: 3 });
  });

  it('is null for runs without transfers (local pool, shared filesystem)', () => {
    expect(transferSummary([[chunk('ok')], [chunk('ok')]])).toBeNull();
  });
});
