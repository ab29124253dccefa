// The `executor` and `transport` grid dimensions end to end: an experiment with local and queue
// configurations, the queue over the shared filesystem and over HTTP, starts its own redis-server, queue
// workers and data plane, stores every kind of run (queue chunks carry their wait, http chunks what they
// moved), summarises and reports the costs, and leaves no redis-server, worker or ffmpeg behind.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMeta, readResults } from '../../src/harness/store.ts';
import { buildReport } from '../../src/report/model.ts';
import { summarize } from '../../src/summary/summarize.ts';
import { runCli, tempDir } from '../helpers.ts';
import { parentOf, processesMentioning } from '../helpers-proc.ts';
import { REDIS_SERVER, skipWithout } from '../requires.ts';

// the experiment starts its own redis-server for the queue configurations
const noRedis = skipWithout(REDIS_SERVER, 'the queue grid test');
const work = tempDir('cb-queue-grid-');
afterAll(() => work.remove());
// a skipped file runs no hooks, afterAll included
if (noRedis) work.remove();

describe.skipIf(noRedis)('an experiment with executor: local | queue', () => {
  it('runs both, records the queue wait per chunk, reports the queue cost, and cleans up', () => {
    const workDir = join(work.dir, 'work');
    mkdirSync(workDir);
    const grid = join(work.dir, 'grid.json');
    writeFileSync(grid, JSON.stringify({ name: 'queue-e2e', inputs: ['tiny'], repeats: 2, warmup: 0, fixed: { segment: 1, workDir }, sweeps: [{ name: 'executor', vary: { executor: ['local', 'queue'] } }, { name: 'transport', vary: { executor: ['queue'], transport: ['shared', 'http'] } }] }));
    const reports = join(work.dir, 'reports');
    const { status, stderr } = runCli('src/cli/experiment.ts', ['--grid', grid, '--no-report'], { env: { CHUNKBENCH_REPORTS_DIR: reports } });
    expect(status, stderr).toBe(0);
    const dir = join(reports, readdirSync(reports)[0] as string);
    const results = readResults(dir);
    expect(results).toHaveLength(6);
    expect(results.every((l) => l.state === 'ok' && l.record?.verification?.ok)).toBe(true);
    const queued = results.filter((l) => l.record?.config.executor === 'queue');
    expect(queued).toHaveLength(4);
    const meta = readMeta(dir);
    const httpIds = new Set(meta.configs.filter((c) => c.transport === 'http').map((c) => c.id));
    expect(httpIds.size).toBe(1);
    for (const line of queued) for (const chunk of line.record?.chunks ?? []) expect(chunk.transfer !== undefined).toBe(httpIds.has(line.configId));
    for (const line of queued.filter((l) => httpIds.has(l.configId))) for (const chunk of line.record?.chunks ?? []) expect(chunk.transfer?.uploadBytes).toBe(chunk.outputBytes);
    for (const line of queued) for (const chunk of line.record?.chunks ?? []) expect(chunk.queueWaitMs).toBeGreaterThanOrEqual(0);
    for (const line of results.filter((l) => l.record?.config.executor === 'local')) expect(line.record?.chunks.every((c) => c.queueWaitMs === undefined)).toBe(true);

    const summary = summarize(meta, results);
    const httpSummary = summary.configs.find((c) => httpIds.has(c.configId));
    expect(httpSummary?.transfer?.chunks).toBe(8);
    expect(httpSummary?.transfer?.uploadBytesPerChunk).toBeGreaterThan(0);
    expect(summary.configs.filter((c) => c.transfer !== undefined)).toHaveLength(1);
    const model = buildReport(meta, results, summary);
    expect(model.queue?.rows.map((r) => r.transport).sort()).toEqual(['http', 'shared']);
    expect(model.queue?.rows[0]?.waitMsPerChunk?.value).toBeGreaterThanOrEqual(0);
    const http = model.queue?.rows.find((r) => r.transport === 'http');
    expect(http?.vsShared?.n).toBe(2);
    expect(model.queue?.link?.transfers).toBe(8);
    const page = model.sections.find((x) => x.id === 'queue');
    expect(page?.tables[1]?.rows[0]?.cells).toEqual([expect.stringMatching(/ \(8 chunks over all runs\)$/), expect.stringMatching(/^[\d.]+ kB$/), expect.stringMatching(/^[\d.]+ kB$/), expect.stringMatching(/^[\d.]+$/), expect.stringMatching(/^[\d.]+ kB$/), expect.stringMatching(/^[\d.]+ ms \[[−\d.]+, [\d.]+\]$/), expect.stringMatching(/^[\d.]+ ms \[[−\d.]+, [\d.]+\]$/)]);
    expect(page?.sentences.map((x) => x.text).join(' ')).toMatch(/over HTTP rather than shared files, paired over 2 rounds: [+−][\d.]+% \[[^\]]+\] against shared files/);

    expect(processesMentioning(`chunkbench-${meta.runId}`)).toEqual([]); // the run's queue workers
    // its private redis-server is gone (other test files' servers are children of live test workers, not orphans)
    expect(processesMentioning('redis-server').filter((pid) => parentOf(pid) === 1)).toEqual([]);
    expect(readdirSync(workDir)).toEqual([]);
  });
});
