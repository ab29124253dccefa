// The queue executor over the http transport, end to end: real Redis, real ffmpeg, and workers that share
// nothing with the coordinator but the network — each runs as another user (nobody) in a private mount
// namespace where the coordinator's work directory and the source are covered by empty, unreadable tmpfs,
// with its own private directory. Lossless x264 (crf 0): a run that completes decodes to exactly the
// source's frames, and records for each chunk what its ffmpeg read, as the worker reported it through Redis
// (its packets at least, the source at most: issue #17). Then the ways it can go wrong: a wrong token, an upload cut mid-way, a worker killed
// mid-upload, Redis restarted mid-run — each ends in a retried chunk or one clear line, never a hang or a
// corrupt output. And a Redis URL with a password, and rediss:// (TLS).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueExecutor } from '../../src/executors/queue.ts';
import type { AttemptContext, ChunkExecutor, ChunkOutcome, ChunkTask } from '../../src/executors/types.ts';
import { resolveBinaries, type Binaries } from '../../src/ffmpeg/binaries.ts';
import { ensureFixture } from '../../src/fixtures/index.ts';
import { resolveOptions } from '../../src/pipeline/options.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import type { PipelineOptions, RunRecord } from '../../src/pipeline/types.ts';
import { startHttpTransport, type HttpTransport } from '../../src/transport/httpServer.ts';
import type { CoordinatorTransport } from '../../src/transport/types.ts';
import { FIRST_WINDOW_BYTES } from '../../src/transport/window.ts';
import { frameHashes, REPO, runCli, tempDir } from '../helpers.ts';
import { freePort, startRedis, type TestRedis } from '../redis.ts';
import { killProcessGroup, watchStderr } from '../helpers-proc.ts';
import { REDIS_SERVER, skipWithout } from '../requires.ts';
import { inSandbox, nobodysDir, sandboxUnavailable, spawnSandboxed, startProxy, type Proxy } from '../transport/sandbox.ts';

const noRedis = skipWithout(REDIS_SERVER, 'the http transport tests');
const noSandbox = noRedis ? 'no redis' : sandboxUnavailable();
if (noSandbox && !noRedis) console.warn(`skipping the shared-nothing worker tests: ${noSandbox}`);
const skip = noRedis || noSandbox !== null;

const work = tempDir('cb-queue-http-');
if (skip) work.remove();
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const WORKER = join(REPO, 'src/cli/worker.ts');
let redis: TestRedis | undefined;
let binaries: Binaries;
let tiny = '';
let sourceHashes: string[] = [];
/** What a sandboxed worker must not see: the coordinator's work directory and the source's directory. */
let hidden: string[] = [];
const started: WorkerProcess[] = [];
const ownDirs: string[] = [];
const closers: (() => Promise<unknown>)[] = [];

interface WorkerProcess {
  name: string;
  child: ChildProcess;
  lines: string[];
  pid(): Promise<number>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** `chunkbench worker --transport http` as nobody, in a mount namespace without the coordinator's files. */
function sandboxedWorker(name: string, queueName: string, url: string, extra: string[] = []): WorkerProcess {
  const own = nobodysDir(`cb-own-${name}-`);
  ownDirs.push(own);
  const args = [TSX, WORKER, '--redis', url, '--queue', queueName, '--name', name, '--transport', 'http', '--work-dir', join(own, 'work'), '--concurrency', '1', '--lock-duration-ms', '2000', '--stalled-interval-ms', '1000', ...extra];
  const child = spawnSandboxed(hidden, args, '/tmp');
  const { lines, waitFor } = watchStderr(child, `worker ${name}`);
  const worker: WorkerProcess = { name, child, lines, waitFor, pid: async () => Number(/pid (\d+)$/.exec(await waitFor(/listening on/))?.[1]) };
  started.push(worker);
  return worker;
}

function killGroup(worker: WorkerProcess): void {
  killProcessGroup(worker.child);
}

/** A queue executor over a fresh http data plane; closed after the file. */
async function httpExecutor(queueName: string, url: string, options: { advertiseUrl?: string; change?: (t: HttpTransport) => CoordinatorTransport } = {}): Promise<{ executor: ChunkExecutor; transport: HttpTransport }> {
  const transport = await startHttpTransport({ binaries, ...(options.advertiseUrl ? { advertiseUrl: options.advertiseUrl } : {}) });
  const executor = await queueExecutor({ redisUrl: url, queueName, backoffMs: 100, transport: options.change ? options.change(transport) : transport });
  closers.push(() => executor.close?.() ?? Promise.resolve());
  return { executor, transport };
}

/** The executor with a per-task change of the attempt context, recording each outcome by chunk index. */
function instrumented(executor: ChunkExecutor, change: (task: ChunkTask) => Partial<AttemptContext> = () => ({})) {
  const outcomes = new Map<number, ChunkOutcome>();
  const wrapped: ChunkExecutor = {
    name: executor.name,
    retriesInside: true,
    run: async (task, context) => {
      const outcome = await executor.run(task, { ...context, ...change(task) });
      outcomes.set(task.index, outcome);
      return outcome;
    },
  };
  return { executor: wrapped, outcomes };
}

async function runTiny(executor: ChunkExecutor, out: string | undefined, extra: Partial<PipelineOptions> = {}): Promise<RunRecord> {
  const options = await resolveOptions({ input: tiny, workers: 2, segmentSeconds: 1, crf: 0, out, workDir: work.dir, chunkTimeoutMs: 60_000, ...extra });
  return runPipeline(options, { executor });
}

beforeAll(async () => {
  redis = await startRedis();
  binaries = await resolveBinaries();
  tiny = await ensureFixture('tiny');
  sourceHashes = await frameHashes(tiny);
  hidden = [work.dir, dirname(tiny)];
});

afterAll(async () => {
  for (const close of closers) await close().catch(() => {});
  for (const worker of started) killGroup(worker);
  await redis?.stop();
  for (const dir of ownDirs) rmSync(dir, { recursive: true, force: true });
  work.remove();
});

describe.skipIf(skip)('workers that share nothing with the coordinator but the network', () => {
  const queueName = 'q-http';
  let workers: WorkerProcess[] = [];
  beforeAll(async () => {
    workers = [sandboxedWorker('n1', queueName, redis?.url ?? ''), sandboxedWorker('n2', queueName, redis?.url ?? '')];
    await Promise.all(workers.map((w) => w.waitFor(/listening on redis:\/\/127\.0\.0\.1:\d+, queue 'q-http', concurrency 1, transport http, own directory \S+, pid \d+$/)));
  });

  it('cannot read the source or the work directory from inside the sandbox', () => {
    expect(inSandbox(hidden, ['cat', tiny])).toMatchObject({ status: 1, stderr: expect.stringMatching(/No such file or directory|Permission denied/) });
    expect(inSandbox(hidden, ['ls', work.dir])).toMatchObject({ status: 2, stderr: expect.stringMatching(/Permission denied/) });
    // and outside it, both are there
    expect(existsSync(tiny)).toBe(true);
  });

  it('completes a frame-exact run, and records what each chunk moved', async () => {
    let token = '';
    const { executor, transport } = await httpExecutor(queueName, redis?.url ?? '', {
      change: (t) => ({ ...t, place: (task, jobId) => {
        const placed = t.place(task, jobId);
        token = placed.http?.token ?? '';
        return placed;
      } }),
    });
    const { executor: wrapped, outcomes } = instrumented(executor);
    const out = join(work.dir, 'http.mp4');
    const record = await runTiny(wrapped, out);
    expect(record.state, record.error?.message).toBe('ok');
    expect(await frameHashes(out)).toEqual(sourceHashes);
    expect(new Set([...outcomes.values()].map((o) => o.worker))).toEqual(new Set(['n1', 'n2']));
    const sourceBytes = statSync(tiny).size;
    for (const chunk of record.chunks) {
      expect(chunk.transfer?.uploadBytes).toBe(chunk.outputBytes);
      // what the worker's ffmpeg read, reported back through Redis: an exact chunk reads about its own part
      // of the source (its packets at least), not all of it per chunk (issue #17: the server's count of
      // unbounded answers was 25–27× the source per run)
      const read = chunk.transfer?.readBytes ?? 0;
      expect(read).toBeGreaterThanOrEqual(chunk.inputBytes);
      expect(read).toBeLessThanOrEqual(sourceBytes);
      expect(chunk.transfer?.servedBytes).toBeGreaterThanOrEqual(read);
      expect(chunk.transfer?.servedBytes).toBeLessThanOrEqual(2 * read + (chunk.transfer?.fetchRequests ?? 0) * FIRST_WINDOW_BYTES);
      expect(chunk.transfer?.uploadMs).toBeGreaterThan(0);
      expect(chunk.transfer?.checkMs).toBeGreaterThan(0);
    }
    // over the run: every chunk's packets, and little more (each chunk also reads the file's start, its moov,
    // and the audio between its video packets: 1.4× for these 1 s chunks of a 4 s source)
    const read = record.chunks.reduce((s, c) => s + (c.transfer?.readBytes ?? 0), 0);
    expect(read).toBeGreaterThanOrEqual(record.chunks.reduce((s, c) => s + c.inputBytes, 0));
    expect(read).toBeLessThanOrEqual(1.5 * sourceBytes);
    expect(transport.counters()).toMatchObject({ forbidden: 0, refusedUploads: 0, truncatedUploads: 0, acceptedUploads: 4 });
    // the token went to ffmpeg as a header, and is in nothing a worker logged or returned, nor in the record
    expect(token.length).toBeGreaterThan(20);
    for (const outcome of outcomes.values()) expect(outcome.command).toContain('Authorization: Bearer ***');
    expect(JSON.stringify([...outcomes.values()])).not.toContain(token);
    expect(workers.flatMap((w) => w.lines).join('\n')).not.toContain(token);
    expect(JSON.stringify(record)).not.toContain(token);
    // the coordinator's run directory is gone, and each worker's own directory holds no try left over
    expect(readdirSync(work.dir).filter((n) => n.startsWith('chunkbench-') || n.includes('.part'))).toEqual([]);
    for (const dir of ownDirs) expect(readdirSync(join(dir, 'work'))).toEqual([]);
  });

  it('a job that needs the shared filesystem fails in one line on an http worker', async () => {
    const executor = await queueExecutor({ redisUrl: redis?.url ?? '', queueName, backoffMs: 100 });
    closers.push(() => executor.close?.() ?? Promise.resolve());
    const record = await runTiny(executor, undefined, { retries: 0 });
    expect(record.state).toBe('failed');
    expect(record.error?.message.split('\n')).toHaveLength(1);
    expect(record.error?.message).toMatch(/^chunk \d \([\d.–]+ s\) failed: .*worker n[12] runs with --transport http \(it shares no filesystem\) and cannot run a job that writes to \/\S+; start the coordinator with --transport http$/);
  });

  it('a wrong token: every request is refused (403, counted) and the run fails with one line', async () => {
    const { executor, transport } = await httpExecutor(queueName, redis?.url ?? '', {
      change: (t) => ({ ...t, kind: t.kind, place: (task, jobId) => {
        const placed = t.place(task, jobId);
        return placed.http ? { ...placed, http: { ...placed.http, token: 'not-the-runs-token' } } : placed;
      } }),
    });
    const record = await runTiny(executor, undefined, { retries: 1 });
    expect(record.state).toBe('failed');
    expect(record.error?.message.split('\n')).toHaveLength(1);
    expect(record.error?.message).toMatch(/^chunk \d \([\d.–]+ s\) failed after 2 attempts: .*403 Forbidden/);
    expect(transport.counters().forbidden).toBeGreaterThanOrEqual(2);
    expect(transport.counters().acceptedUploads).toBe(0);
  });
});

describe.skipIf(skip)('an upload that does not arrive whole', () => {
  it('cut mid-way: the coordinator drops it, the chunk is retried, and the output is frame-exact', async () => {
    const queueName = 'q-cut';
    const worker = sandboxedWorker('c1', queueName, redis?.url ?? '');
    await worker.waitFor(/listening on/);
    const { executor, transport, proxy } = await behindProxy(queueName, redis?.url ?? '');
    proxy.mode = 'cut';
    const { executor: wrapped, outcomes } = instrumented(executor, () => ({ retries: 2 }));
    const out = join(work.dir, 'cut.mp4');
    const record = await runTiny(wrapped, out, { workers: 1 });
    expect(record.state, record.error?.message).toBe('ok');
    expect(await frameHashes(out)).toEqual(sourceHashes);
    expect(await waitUntil(() => transport.counters().truncatedUploads === 1)).toBe(true);
    const retried = [...outcomes.values()].flatMap((o) => o.innerAttempts ?? []);
    expect(retried.map((a) => a.reason)).toEqual([expect.stringMatching(/^chunk \d on worker c1: upload to http:\/\/127\.0\.0\.1:\d+ failed: /)]);
  });

  it('its worker killed mid-upload: another worker takes the chunk over, and the output is frame-exact', async () => {
    const queueName = 'q-killed';
    const victim = sandboxedWorker('k1', queueName, redis?.url ?? '');
    const victimPid = await victim.pid();
    const { executor, transport, proxy } = await behindProxy(queueName, redis?.url ?? '');
    proxy.mode = 'hold';
    const out = join(work.dir, 'killed.mp4');
    const running = runTiny(executor, out, { workers: 1 });
    await proxy.acted();
    const t0 = performance.now();
    process.kill(victimPid, 'SIGKILL');
    const survivor = sandboxedWorker('k2', queueName, redis?.url ?? '');
    const record = await running;
    expect(record.state, record.error?.message).toBe('ok');
    expect(await frameHashes(out)).toEqual(sourceHashes);
    expect(await waitUntil(() => transport.counters().truncatedUploads === 1)).toBe(true);
    expect(record.chunks.flatMap((c) => c.attempts ?? []).filter((a) => a.state === 'failed').map((a) => [a.worker, a.reason])).toEqual([['k1', expect.stringMatching(/stopped responding/)]]);
    // lock 2 s, stalled checks every 1 s, a worker to start: well within
    expect(performance.now() - t0).toBeLessThan(30_000);
    await survivor.waitFor(/done in/);
    killGroup(victim);
  });
});

describe.skipIf(skip)('Redis restarted mid-run (no persistence: it comes back empty)', () => {
  it('re-enqueues the lost jobs: the run completes frame-exact', async () => {
    const port = await freePort();
    let server = startRedisOn(port, []);
    closers.push(() => stopChildProcess(server));
    await accepting(port);
    const url = `redis://127.0.0.1:${port}`;
    const queueName = 'q-restart';
    const worker = sandboxedWorker('r1', queueName, url, ['--redis-retry-s', '60']);
    await worker.waitFor(/listening on/);
    const { executor } = await httpExecutor(queueName, url);
    // chunk 0's first try hangs, so that the restart is sure to find jobs in flight
    const { executor: wrapped } = instrumented(executor, (task) => (task.index === 0 ? { retries: 2, timeoutMs: 3000, fault: { kind: 'stall', afterMs: 20 } } : { retries: 2 }));
    const out = join(work.dir, 'restart.mp4');
    const running = runTiny(wrapped, out);
    await worker.waitFor(/chunk 0, try 1\) started/);
    const t0 = performance.now();
    await stopChildProcess(server);
    await new Promise((resolve) => setTimeout(resolve, 500));
    server = startRedisOn(port, []);
    const record = await running;
    expect(record.state, record.error?.message).toBe('ok');
    expect(await frameHashes(out)).toEqual(sourceHashes);
    expect(performance.now() - t0).toBeLessThan(60_000);
  });
});

describe.skipIf(skip)('Redis behind a password, and over TLS (rediss://)', () => {
  it('works with redis://:password@…, never prints the password, and names a wrong one in one line', async () => {
    const port = await freePort();
    const server = startRedisOn(port, ['--requirepass', 'pa55word']);
    closers.push(() => stopChildProcess(server));
    await accepting(port);
    const url = `redis://:pa55word@127.0.0.1:${port}`;
    const worker = sandboxedWorker('p1', 'q-pass', url);
    const line = await worker.waitFor(/listening on/);
    expect(line).toContain(`redis://:***@127.0.0.1:${port}`);
    const { executor } = await httpExecutor('q-pass', url);
    const out = join(work.dir, 'pass.mp4');
    const record = await runTiny(executor, out);
    expect(record.state, record.error?.message).toBe('ok');
    expect(await frameHashes(out)).toEqual(sourceHashes);
    expect(worker.lines.join('\n')).not.toContain('pa55word');
    await expect(queueExecutor({ redisUrl: `redis://:wrong@127.0.0.1:${port}` })).rejects.toThrow(new RegExp(`^--redis redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}: cannot connect \\(WRONGPASS`));
  });

  it('runs a frame-exact pipeline from the command line over rediss:// with --transport http', async () => {
    const dir = join(work.dir, 'tls');
    execFileSync('mkdir', ['-p', dir]);
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    execFileSync('chmod', ['644', key, cert]);
    const port = await freePort();
    const server = startRedisOn(0, ['--tls-port', String(port), '--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', cert, '--tls-auth-clients', 'no']);
    closers.push(() => stopChildProcess(server));
    await accepting(port);
    const url = `rediss://127.0.0.1:${port}`;
    // the sandboxed worker cannot read the work directory the certificate is in: it gets a copy of its own
    const own = nobodysDir('cb-ca-');
    ownDirs.push(own);
    execFileSync('cp', [cert, join(own, 'ca.pem')]);
    process.env.NODE_EXTRA_CA_CERTS = join(own, 'ca.pem');
    let worker: WorkerProcess;
    try {
      worker = sandboxedWorker('s1', 'q-tls', url);
    } finally {
      delete process.env.NODE_EXTRA_CA_CERTS;
    }
    await worker.waitFor(/listening on rediss:\/\/127\.0\.0\.1:\d+/);
    const out = join(work.dir, 'tls.mp4');
    const { status, stdout, stderr } = runCli('src/cli/pipeline.ts', ['--input', tiny, '--segment', '1', '--crf', '0', '--executor', 'queue', '--redis', url, '--queue', 'q-tls', '--transport', 'http', '--work-dir', work.dir, '--out', out, '--json'], { env: { NODE_EXTRA_CA_CERTS: join(own, 'ca.pem') } });
    expect(status, stderr).toBe(0);
    const record = JSON.parse(stdout) as RunRecord;
    expect(record.verification?.ok).toBe(true);
    expect(record.chunks.every((c) => (c.transfer?.uploadBytes ?? 0) > 0)).toBe(true);
    expect(await frameHashes(out)).toEqual(sourceHashes);
  });
});

// ---- helpers for the failure tests ----

/** A data plane on loopback, a proxy in front of it whose URL workers are given, and an executor over it. */
async function behindProxy(queueName: string, url: string): Promise<{ executor: ChunkExecutor; transport: HttpTransport; proxy: Proxy }> {
  const proxy = await startProxy();
  closers.push(() => proxy.close());
  const transport = await startHttpTransport({ binaries, advertiseUrl: proxy.url });
  proxy.target = { host: '127.0.0.1', port: transport.address.port };
  const executor = await queueExecutor({ redisUrl: url, queueName, backoffMs: 100, transport });
  closers.push(() => executor.close?.() ?? Promise.resolve());
  return { executor, transport, proxy };
}

async function waitUntil(check: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return check();
}

function startRedisOn(port: number, extra: string[]): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning', ...extra], { stdio: 'ignore' });
}

function stopChildProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function accepting(port: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
