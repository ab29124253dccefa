// The report's queue section for runs over the http transport (hand-built runs, no ffmpeg): the http
// configuration pairs with the local pool and with the queue over the shared filesystem; the page's section
// tables what each chunk moved and quotes the one link the run's uploads imply.
import { describe as suite, expect, it } from 'vitest';
import type { GridConfig } from '../../src/grid/expand.ts';
import type { ResultLine } from '../../src/harness/store.ts';
import { queueSection } from '../../src/report/queue.ts';
import { queueReportSection } from '../../src/report/sections/queue.ts';
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
    const transfer = transferSummary(results.filter((l) => l.configId === config.id).map((l) => l.record?.chunks ?? []));
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

  it('tables what each chunk moved, quotes one link for the run, and the cost against the shared filesystem', () => {
    const ctx = { meta: {} as never, results, summary, centre: null, cores: 2, label: (id: string) => id, cluster: null };
    const page = queueReportSection(ctx, section);
    const moved = page?.tables[1];
    // uploads of 100–400 kB at 1 ms + 1 byte per 100 ns: every round fits exactly, so the interval is the point
    expect(moved?.rows.map((r) => r.cells)).toEqual([['local (12 chunks over all runs)', '200 kB', '300 kB', '3.0', '250 kB', '3.5 ms [3.5, 3.5]', '6.0 ms [6.0, 6.0]']]);
    expect(section?.link).toMatchObject({ method: 'least squares per round', rounds: 3, transfers: 12 });
    const text = page?.sentences.map((x) => x.text) ?? [];
    expect(text.filter((t) => t.includes('Mbit/s'))).toEqual(["The link, from all 12 uploads of this run (a straight-line fit of upload time against size in each of 3 rounds, 95% CI over the rounds): 1.0 ms [1.0, 1.0] per upload plus 800 Mbit/s [800, 800] in a typical round; the projection uses the same figures. This run's network: loopback when the workers ran on this machine."]);
    expect(text.find((s) => s.includes('rather than shared files'))).toMatch(/^local over HTTP rather than shared files, paired over 3 rounds: \+5\.8% \[[^\]]+\] against shared files, slower; per chunk \+15\.0 ms \[[^\]]+\]\.$/);
  });
});

suite('what a chunk fetched, when the workers did not say what they read', () => {
  type Counts = Partial<Record<'readBytes' | 'servedBytes' | 'fetchBytes', number | null>>;
  /** The http row's cells and the table's caption, its chunks carrying `counts` (one per chunk, or the same). */
  const table = (...counts: Counts[]) => {
    const chunks = [0, 1].map((i) => ({ ...chunk(i, true), transfer: { fetchRequests: 3, fetchMs: 80, uploadBytes: 1000, uploadMs: 2, checkMs: 6, uploadAttempts: 1, ...(counts[i] ?? counts[0]) } }) as unknown as ChunkRecord);
    const http = summary.configs.find((c) => c.configId === 'http');
    const lines = results.map((l) => (l.configId === 'http' && l.record ? { ...l, record: { ...l.record, chunks } } : l)) as ResultLine[];
    const changed = { configs: summary.configs.map((c) => (c === http ? { ...c, transfer: transferSummary([chunks]) } : c)) } as unknown as Summary;
    const ctx = { meta: {} as never, results: lines, summary: changed, centre: null, cores: 2, label: (id: string) => id, cluster: null };
    const t = queueReportSection(ctx, queueSection(lines, changed))?.tables[1];
    return { cells: t?.rows[0]?.cells.slice(1, 3), caption: t?.caption ?? '' };
  };

  it('averages over the chunks that reported, and says how many did', () => {
    const t = table({ readBytes: null, servedBytes: 300_000 }, { readBytes: 100_000, servedBytes: 300_000 });
    expect(t.cells).toEqual(['100 kB', '300 kB']);
    expect(t.caption).toContain("Read by ffmpeg is what each chunk's ffmpeg consumed of the source, by its own count (not every chunk reported it: 1 of 2)");
  });

  it("gives the server's count as an upper bound, and says so", () => {
    const t = table({ readBytes: null, servedBytes: 300_000 });
    expect(t.cells).toEqual(['not reported', '300 kB']);
    expect(t.caption).toMatch(/ffmpeg's own count of what it read was not reported: only what the coordinator sent is known, which includes read-ahead and so is an upper bound on what ffmpeg needed\.$/);
  });

  it('says that a run from before issue #17 has no count it can trust', () => {
    const t = table({ fetchBytes: 25e6 });
    expect(t.cells).toEqual(['not reported', 'not reported']);
    expect(t.caption).toMatch(/These runs predate the byte counts \(issue #17\): what each chunk took of the source is not known\.$/);
  });
});
