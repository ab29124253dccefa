// The report's queue section for runs over the http transport (hand-built runs, no ffmpeg): the http
// configuration pairs with the local pool and with the queue over the shared filesystem, and its sentences
// carry what each chunk moved and the link the uploads imply.
import { describe as suite, expect, it } from 'vitest';
import type { GridConfig } from '../../src/grid/expand.ts';
import type { ResultLine } from '../../src/harness/store.ts';
import { queueSection } from '../../src/report/queue.ts';
import { describe } from '../../src/stats/index.ts';
import type { ConfigSummary, Summary } from '../../src/summary/summarize.ts';
import { transferSummary } from '../../src/transport/costs.ts';
import type { ChunkRecord } from '../../src/pipeline/types.ts';

const base = { input: 'sd', mode: 'chunked', workers: 2, segmentSeconds: 5, split: 'exact', codec: 'libx264', preset: 'veryfast', filter: 'none', threads: 1, crf: null, workDir: 'tmp', retries: 2, injectFaults: 0, injectStalls: 0, speculate: 0 } as const;
const configs: GridConfig[] = [
  { ...base, sweeps: [], id: 'local', label: 'chunked w2 5s exact', executor: 'local', transport: 'shared' },
  { ...base, sweeps: [], id: 'shared', label: 'chunked w2 5s exact · queue', executor: 'queue', transport: 'shared' },
  { ...base, sweeps: [], id: 'http', label: 'chunked w2 5s exact · queue http', executor: 'queue', transport: 'http' },
];
/** Wall times per round: the queue adds 40 ms, http another 60 ms (4 chunks: 15 ms per chunk). */
const walls: Record<string, number[]> = { local: [1000, 1010, 990], shared: [1040, 1050, 1030], http: [1100, 1110, 1090] };

const chunk = (i: number, transfer: boolean): ChunkRecord => ({
  index: i, state: 'ok', queueWaitMs: 2,
  ...(transfer ? { transfer: { readBytes: 200_000, servedBytes: 300_000, fetchRequests: 3, fetchMs: 80, uploadBytes: 100_000 * (i + 1), uploadMs: 1 + 100_000 * (i + 1) / 100_000, checkMs: 6, uploadAttempts: 1 } } : {}),
}) as ChunkRecord;

const results: ResultLine[] = Object.entries(walls).flatMap(([id, ws]) =>
  ws.map((wallMs, round) => ({ schema: 'chunkbench.result/1', seq: round, round, warmup: false, configId: id, label: id, state: 'ok', wallMs, record: { chunks: [0, 1, 2, 3].map((i) => chunk(i, id === 'http')) } }) as unknown as ResultLine),
);
const summary = {
  configs: configs.map((config) => {
    const chunks = results.filter((l) => l.configId === config.id).flatMap((l) => l.record?.chunks ?? []);
    const transfer = transferSummary(chunks);
    return { configId: config.id, label: config.label, config, wallMs: describe(walls[config.id] ?? []), ...(transfer ? { transfer } : {}) } as unknown as ConfigSummary;
  }),
} as unknown as Summary;

suite('queueSection with the http transport', () => {
  const section = queueSection(results, summary);

  it('has a row per queue configuration, each paired with the local pool; the http one also with shared', () => {
    expect(section?.rows.map((r) => [r.transport, r.rounds])).toEqual([['shared', 3], ['http', 3]]);
    const http = section?.rows[1];
    expect(http?.vsShared?.point).toBeCloseTo(Math.exp((Math.log(1100 / 1040) + Math.log(1110 / 1050) + Math.log(1090 / 1030)) / 3), 6);
    expect(http?.addedMsPerChunkVsShared?.value).toBeCloseTo(15, 9);
    expect(section?.rows[0]?.vsShared).toBeNull();
    expect(section?.rows[0]?.transfer).toBeNull();
  });

  it('says what each chunk moved, the link the uploads imply, and the cost against the shared filesystem', () => {
    const text = section?.sentences ?? [];
    expect(text).toContain('Over the http transport each chunk fetched 200 kB of the source in 3.0 range requests and uploaded 250 kB in 3.5 ms, checked with ffprobe in 6.0 ms before the merge took it (means over 12 chunks).');
    expect(text).toContain("Fetched is what each chunk's ffmpeg read, by its own count; the coordinator served 300 kB per chunk, its answers to open-ended ranges cut to windows: an upper bound on the traffic.");
    expect(text).toContain("The uploads imply 1.0 ms per transfer plus 800 Mbit/s (least squares over 12 uploads; this run's network, loopback when the workers ran on this machine).");
    expect(text.find((s) => s.startsWith('Against the shared filesystem'))).toMatch(/^Against the shared filesystem, the http transport took 1\.058× \[[\d.]+, [\d.]+\] the wall time, paired over 3 rounds: 15\.0 ms \[[\d.]+, [\d.]+\] per chunk\.$/);
    // the shared row says nothing about transfers
    expect(text.filter((s) => s.startsWith('With 4 chunks'))).toHaveLength(2);
    expect(text.filter((s) => s.includes('their bytes over HTTP'))).toHaveLength(1);
  });
});

suite('what a chunk fetched, when the workers did not say what they read', () => {
  type Counts = Partial<Record<'readBytes' | 'servedBytes' | 'fetchBytes', number | null>>;
  /** The two transfer sentences of the http row, its chunks carrying `counts` (one per chunk, or the same). */
  const sentences = (...counts: Counts[]) => {
    const chunks = [0, 1].map((i) => ({ ...chunk(i, true), transfer: { fetchRequests: 3, fetchMs: 80, uploadBytes: 1000, uploadMs: 2, checkMs: 6, uploadAttempts: 1, ...(counts[i] ?? counts[0]) } }) as unknown as ChunkRecord);
    const http = summary.configs.find((c) => c.configId === 'http');
    const lines = results.map((l) => (l.configId === 'http' && l.record ? { ...l, record: { ...l.record, chunks } } : l)) as ResultLine[];
    const changed = { configs: summary.configs.map((c) => (c === http ? { ...c, transfer: transferSummary(chunks) } : c)) } as unknown as Summary;
    const text = queueSection(lines, changed)?.sentences ?? [];
    const at = text.findIndex((s) => s.startsWith('Over the http transport'));
    return text.slice(at, at + 2).join(' ');
  };

  it('averages over the chunks that reported, and says how many did', () => {
    expect(sentences({ readBytes: null, servedBytes: 300_000 }, { readBytes: 100_000, servedBytes: 300_000 })).toMatch(/^Over the http transport each chunk fetched 100 kB of the source in 3\.0 range requests .* Fetched is what each chunk's ffmpeg read, by its own count \(1 of 2 chunks reported it\); the coordinator served 300 kB per chunk/);
  });

  it("gives the server's count as an upper bound, and says so", () => {
    expect(sentences({ readBytes: null, servedBytes: 300_000 })).toMatch(/^Over the http transport each chunk was served 300 kB of the source in 3\.0 range requests and uploaded .* What ffmpeg read was not reported; what the coordinator served bounds it from above \(answers cut to windows\)\.$/);
  });

  it('says that a run from before issue #17 has no count it can trust', () => {
    expect(sentences({ fetchBytes: 25e6 })).toMatch(/^Over the http transport each chunk fetched its part of the source in 3\.0 range requests and uploaded .* These runs predate the byte counts of issue #17: what each chunk fetched is not known\.$/);
  });
});
