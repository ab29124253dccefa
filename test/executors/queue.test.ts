// The queue executor on a real Redis, with real workers in separate processes (`src/cli/worker.ts` under
// tsx, as `npm run worker` starts them) and real ffmpeg. With lossless x264 (crf 0) a correct run's output
// decodes to exactly the source's frames, so every test that completes also proves frame-exactness.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkbenchError } from '../../src/errors.ts';
import { queueExecutor } from '../../src/executors/queue.ts';
import { QUEUE_PREFIX } from '../../src/executors/queueJob.ts';
import { redisOptions } from '../../src/executors/redis.ts';
import type { AttemptContext, ChunkExecutor, ChunkOutcome, ChunkTask } from '../../src/executors/types.ts';
import { ensureFixture } from '../../src/fixtures/index.ts';
import { resolveOptions } from '../../src/pipeline/options.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import type { PipelineOptions, RunRecord } from '../../src/pipeline/types.ts';
import { frameHashes, REPO, runCli, tempDir } from '../helpers.ts';
import { freePort, startRedis, type TestRedis } from '../redis.ts';
import { killProcessGroup, watchStderr } from '../helpers-proc.ts';
import { REDIS_SERVER, skipWithout } from '../requires.ts';

/** A worker process and the lines it logged. */
interface WorkerProcess {
  name: string;
  child: ChildProcess;
  lines: string[];
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

// every describe below is skipped without redis-server, so the file's hooks (which start one) do not run,
// afterAll included: the temp directory goes at once then
const noRedis = skipWithout(REDIS_SERVER, 'the queue executor tests');
const work = tempDir('cb-queue-');
if (noRedis) work.remove();
const started: WorkerProcess[] = [];
const executors: ChunkExecutor[] = [];
let redis: TestRedis | undefined;
let tiny = '';
let sourceHashes: string[] = [];

/** Jobs of `queueName` still waiting, delayed (a retry's backoff) or active, as BullMQ counts them. */
async function pendingJobs(queueName: string): Promise<Record<string, number>> {
  const queue = new Queue(queueName, { connection: redisOptions(redisUrl()), prefix: QUEUE_PREFIX });
  try {
    return await queue.getJobCounts('waiting', 'delayed', 'active');
  } finally {
    await queue.close();
  }
}

function redisUrl(): string {
  if (!redis) throw new Error('redis not started');
  return redis.url;
}

/** Starts `npm run worker` as its own process group (so that cleanup also reaches its ffmpeg children). */
function startWorker(name: string, queueName: string, extra: string[] = [], url = redisUrl()): WorkerProcess {
  const tsx = join(REPO, 'node_modules', '.bin', 'tsx');
  // short locks, so that a killed worker's job is taken over within seconds
  const args = [join(REPO, 'src/cli/worker.ts'), '--redis', url, '--queue', queueName, '--name', name, '--concurrency', '1', '--lock-duration-ms', '2000', '--stalled-interval-ms', '1000', ...extra];
  const child = spawn(tsx, args, { cwd: REPO, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const { lines, waitFor } = watchStderr(child, `worker ${name}`);
  const worker: WorkerProcess = { name, child, lines, waitFor };
  started.push(worker);
  return worker;
}

/** Kills a worker's whole process group: the worker and any ffmpeg it left behind. */
function killGroup(worker: WorkerProcess): void {
  killProcessGroup(worker.child);
}

/** The executor with a per-task change of the attempt context (what the pool will pass: retries, timeout,
 * fault), recording each outcome by chunk index. */
function instrumented(executor: ChunkExecutor, change: (task: ChunkTask, context: AttemptContext) => { task?: ChunkTask; context?: Partial<AttemptContext> } = () => ({})) {
  const outcomes = new Map<number, ChunkOutcome>();
  const wrapped: ChunkExecutor = {
    name: executor.name,
    retriesInside: true,
    run: async (task, context) => {
      const changed = change(task, context);
      const outcome = await executor.run(changed.task ?? task, { ...context, ...changed.context });
      outcomes.set(task.index, outcome);
      return outcome;
    },
  };
  return { executor: wrapped, outcomes };
}

async function newExecutor(queueName: string): Promise<ChunkExecutor> {
  const executor = await queueExecutor({ redisUrl: redisUrl(), queueName, backoffMs: 100 });
  executors.push(executor);
  return executor;
}

async function runTiny(executor: ChunkExecutor, out: string | undefined, extra: Partial<PipelineOptions> = {}): Promise<RunRecord> {
  // the pool's watchdog times a queue chunk from enqueue; a fixed generous timeout keeps it out of the way
  // of these tests (a derived one would be 2 s here), and is what each worker try runs under
  const options = await resolveOptions({ input: tiny, workers: 2, segmentSeconds: 1, crf: 0, out, workDir: work.dir, chunkTimeoutMs: 60_000, ...extra });
  return runPipeline(options, { executor });
}

beforeAll(async () => {
  redis = await startRedis();
  tiny = await ensureFixture('tiny');
  sourceHashes = await frameHashes(tiny);
});

afterAll(async () => {
  await Promise.allSettled(executors.map((executor) => executor.close?.()));
  for (const worker of started) killGroup(worker);
  await redis?.stop();
  work.remove();
});

describe.skipIf(noRedis)('the pipeline on two queue workers in separate processes', () => {
  const queueName = 'q-main';
  let workers: WorkerProcess[] = [];
  beforeAll(async () => {
    workers = [startWorker('w1', queueName), startWorker('w2', queueName)];
    await Promise.all(workers.map((w) => w.waitFor(/listening on redis:\/\/127\.0\.0\.1:\d+, queue 'q-main', concurrency 1/)));
  });

  it('is frame-exact, spreads chunks over both workers and records queue wait and worker names', async () => {
    const { executor, outcomes } = instrumented(await newExecutor(queueName));
    const out = join(work.dir, 'queue.mp4');
    const record = await runTiny(executor, out);
    expect(record.state, record.error?.message).toBe('ok');
    expect(record.config.executor).toBe('queue');
    expect(record.chunks).toHaveLength(4);
    expect(await frameHashes(out)).toEqual(sourceHashes);
    for (const chunk of record.chunks) {
      expect(chunk.state).toBe('ok');
      expect(chunk.queueWaitMs).toBeGreaterThanOrEqual(0);
      expect(chunk.queueWaitMs).toBeLessThan(chunk.endMs - chunk.startMs);
      expect(chunk.rtimeMs).toBeGreaterThan(0);
      expect(chunk.outputBytes).toBeGreaterThan(0);
    }
    expect(new Set([...outcomes.values()].map((o) => o.worker))).toEqual(new Set(['w1', 'w2']));
    expect([...outcomes.values()].every((o) => o.innerAttempts?.length === 0)).toBe(true);
    // no attempt's temp file is left next to the chunks, and the run's temp directory is gone
    expect(readdirSync(work.dir).filter((name) => name.startsWith('chunkbench-') || name.includes('partial'))).toEqual([]);
  });

  it('runs from the command line: npm run pipeline -- --executor queue --redis URL', () => {
    const out = join(work.dir, 'cli-queue.mp4');
    const { status, stdout, stderr } = runCli('src/cli/pipeline.ts', ['--input', tiny, '--segment', '1', '--crf', '0', '--executor', 'queue', '--redis', redisUrl(), '--queue', queueName, '--work-dir', work.dir, '--out', out, '--json']);
    expect(status, stderr).toBe(0);
    const record = JSON.parse(stdout) as RunRecord;
    expect(record.config.executor).toBe('queue');
    expect(record.verification?.ok).toBe(true);
    expect(record.chunks.every((c) => c.queueWaitMs !== undefined && c.attempts?.[0]?.worker?.startsWith('w'))).toBe(true);
  });

  it('the pipeline CLI refuses --executor queue without --redis, in one line', () => {
    const { status, stderr } = runCli('src/cli/pipeline.ts', ['--input', tiny, '--executor', 'queue', '--work-dir', work.dir]);
    expect(status).toBe(2);
    expect(stderr.trim()).toBe('chunkbench: --executor queue needs --redis URL (e.g. redis://127.0.0.1:6379) and workers started with `chunkbench worker --redis URL`');
  });

  it("retries with BullMQ's attempts: a killed ffmpeg and a stalled one (per-attempt timeout) are run again", async () => {
    const { executor, outcomes } = instrumented(await newExecutor(queueName), (task) => ({
      context: {
        retries: 1,
        timeoutMs: task.index === 2 ? 1500 : null,
        ...(task.index === 1 ? { fault: { kind: 'kill' as const, afterMs: 10 } } : {}),
        ...(task.index === 2 ? { fault: { kind: 'stall' as const, afterMs: 10 } } : {}),
      },
    }));
    const out = join(work.dir, 'retried.mp4');
    const record = await runTiny(executor, out);
    expect(record.state, record.error?.message).toBe('ok');
    expect(await frameHashes(out)).toEqual(sourceHashes);
    expect(outcomes.get(0)?.innerAttempts).toEqual([]);
    expect(outcomes.get(1)?.innerAttempts?.map((a) => a.reason)).toEqual([expect.stringMatching(/^chunk 1 on worker w[12]: killed by SIGKILL/)]);
    expect(outcomes.get(2)?.innerAttempts?.map((a) => a.reason)).toEqual([expect.stringMatching(/^chunk 2 on worker w[12]: timed out after 1500 ms/)]);
    const timedOut = outcomes.get(2)?.innerAttempts?.[0];
    expect((timedOut?.endMs ?? 0) - (timedOut?.startMs ?? 0)).toBeGreaterThanOrEqual(1500);
  });

  it('fails the run when retries run out, with the last attempt as the reason', async () => {
    const { executor } = instrumented(await newExecutor(queueName), (task) => ({
      context: { retries: 0, ...(task.index === 0 ? { fault: { kind: 'kill' as const, afterMs: 10 } } : {}) },
    }));
    const record = await runTiny(executor, undefined);
    expect(record.state).toBe('failed');
    expect(record.error?.stage).toBe('process');
    // killed 10 ms after its start, ffmpeg has often printed nothing yet: the tail is there only when it did
    expect(record.error?.message).toMatch(/^chunk 0 \(0\.000–1\.000 s\) failed: killed by SIGKILL(; ffmpeg said: |$)/);
  });

  it('cancels an active job when the signal fires: the worker kills its ffmpeg and the job is gone', async () => {
    const executor = await newExecutor(queueName);
    const dir = join(work.dir, 'cancel');
    mkdirSync(dir);
    const outputPath = join(dir, 'chunk.mp4');
    const task: ChunkTask = { index: 7, args: ['-hide_banner', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', '-t', '600', '-c:v', 'libx264', '-preset', 'ultrafast', '-y', outputPath], outputPath, expectedFrames: 18000, durationSeconds: 600 };
    const controller = new AbortController();
    const running = executor.run(task, { workerId: 0, attempt: 1, signal: controller.signal, retries: 3, timeoutMs: null, fault: { kind: 'stall', afterMs: 200 } });
    const line = await Promise.race(workers.map((w) => w.waitFor(/chunk 7, try 1\) started/)));
    const runner = workers.find((w) => w.lines.includes(line));
    const t0 = performance.now();
    controller.abort(new Error('interrupted by SIGINT'));
    const outcome = await running;
    // generous: a loaded machine must not fail this (it is minutes without the cancel)
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(outcome.exitCode).toBeNull();
    expect(outcome.stderrTail).toBe('cancelled: interrupted by SIGINT');
    // the cancel may reach the worker between its 'started' line and the spawn ("cancelled by the coordinator
    // before it started") or after it ("cancelled: interrupted by SIGINT"): either way the try fails, once
    await runner?.waitFor(/chunk 7, try 1\) failed: cancelled/, 15_000);
    // not retried although retries were left, and no temp file left behind
    expect(existsSync(outputPath)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    // no retry is scheduled: a retry would sit in the queue as a delayed job until its backoff ran out,
    // so the queue itself is asked instead of sleeping for the backoff
    expect(await pendingJobs(queueName)).toMatchObject({ waiting: 0, delayed: 0, active: 0 });
    expect(workers.flatMap((w) => w.lines).filter((l) => /chunk 7, try 2/.test(l))).toEqual([]);
  });

  it('fails the job when the worker cannot see the work directory, and the run record says so', async () => {
    const missing = join(work.dir, 'not-mounted-here');
    const { executor } = instrumented(await newExecutor(queueName), (task) => {
      if (task.index !== 1) return {};
      const outputPath = join(missing, 'chunk.mp4');
      return { task: { ...task, outputPath, args: task.args.map((arg) => (arg === task.outputPath ? outputPath : arg)) } };
    });
    const record = await runTiny(executor, undefined);
    expect(record.state).toBe('failed');
    expect(record.error?.stage).toBe('process');
    expect(record.error?.message).toMatch(new RegExp(`worker w[12] cannot see work directory ${missing}: no such directory`));
  });
});

describe.skipIf(noRedis)('a worker killed mid-chunk', () => {
  it('has its job finished by the other worker, and the output is still frame-exact', async () => {
    const queueName = 'q-kill';
    const workers = [startWorker('k1', queueName), startWorker('k2', queueName)];
    // the pid of the worker itself: `tsx` runs it in a child process of its own
    const pids = await Promise.all(workers.map(async (w) => Number(/pid (\d+)$/.exec(await w.waitFor(/listening on/))?.[1])));
    // chunk 0's first try is SIGSTOPped soon after it starts, so that the kill is certain to land mid-chunk
    const { executor, outcomes } = instrumented(await newExecutor(queueName), (task) => (task.index === 0 ? { context: { fault: { kind: 'stall', afterMs: 20 } } } : {}));
    const out = join(work.dir, 'killed.mp4');
    const running = runTiny(executor, out);
    const line = await Promise.race(workers.map((w) => w.waitFor(/chunk 0, try 1\) started/)));
    const victimIndex = workers.findIndex((w) => w.lines.includes(line));
    const victim = workers[victimIndex];
    const victimPid = pids[victimIndex];
    const survivor = workers.find((w) => w !== victim);
    if (!victim || !victimPid || !survivor) throw new Error('no worker took chunk 0');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // the worker process alone: its stopped ffmpeg lives on as an orphan, as on a real machine whose
    // worker crashed, and must not be able to touch the output (it writes its own attempt's temp file)
    process.kill(victimPid, 'SIGKILL');
    const t0 = performance.now();
    const record = await running;
    expect(record.state, record.error?.message).toBe('ok');
    expect(await frameHashes(out)).toEqual(sourceHashes);
    const chunk0 = outcomes.get(0);
    expect(chunk0?.worker).toBe(survivor.name);
    expect(chunk0?.innerAttempts).toEqual([expect.objectContaining({ workerId: victim.name, reason: expect.stringMatching(/stopped responding/) })]);
    // lock 2 s + stalled checks every 1 s: taken over within seconds
    expect(performance.now() - t0).toBeLessThan(20_000);
    await survivor.waitFor(/chunk 0, try 2\) done/);
    killGroup(victim);
  });
});

describe.skipIf(noRedis)('a worker stopped with SIGTERM', () => {
  it('kills its ffmpeg, gives the job back without counting an attempt, and exits 0; another worker finishes it', async () => {
    const queueName = 'q-term';
    const first = startWorker('t1', queueName);
    const pid = Number(/pid (\d+)$/.exec(await first.waitFor(/listening on/))?.[1]);
    const executor = await newExecutor(queueName);
    const dir = join(work.dir, 'term');
    mkdirSync(dir);
    const outputPath = join(dir, 'chunk.mp4');
    const task: ChunkTask = { index: 5, args: ['-hide_banner', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-y', outputPath], outputPath, expectedFrames: 30, durationSeconds: 1 };
    // retries 0: the shutdown must not use up the only attempt
    const running = executor.run(task, { workerId: 0, attempt: 1, signal: new AbortController().signal, retries: 0, timeoutMs: null, fault: { kind: 'stall', afterMs: 20 } });
    await first.waitFor(/chunk 5, try 1\) started/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = new Promise<number | null>((resolve) => first.child.once('exit', (code) => resolve(code)));
    process.kill(pid, 'SIGTERM');
    await first.waitFor(/chunk 5, try 1\) given back: worker t1 shut down/, 10_000);
    expect(await exited).toBe(0);
    const second = startWorker('t2', queueName);
    const outcome = await running;
    expect(outcome.exitCode).toBe(0);
    expect(outcome.framesOut).toBe(30);
    expect(outcome.worker).toBe('t2');
    expect(outcome.innerAttempts?.map((a) => [a.workerId, a.reason])).toEqual([['t1', 'worker t1 shut down']]);
    expect(readdirSync(dir)).toEqual(['chunk.mp4']);
    await second.waitFor(/chunk 5, try 2\) done/);
  });
});

describe.skipIf(noRedis)('a worker whose Redis has gone away', () => {
  it('stops on SIGTERM within seconds, and on its own after --redis-retry-s with a clear line and status 1', async () => {
    const own = await startRedis();
    let ownStopped = false;
    try {
      const stopped = startWorker('gone1', 'q-gone', ['--redis-retry-s', '4'], own.url);
      const waiting = startWorker('gone2', 'q-gone', ['--redis-retry-s', '4'], own.url);
      const stoppedPid = Number(/pid (\d+)$/.exec(await stopped.waitFor(/listening on/))?.[1]);
      await waiting.waitFor(/listening on/);
      const exitOf = (w: WorkerProcess) => new Promise<{ code: number | null; at: number }>((resolve) => w.child.once('exit', (code) => resolve({ code, at: performance.now() })));
      const stoppedExit = exitOf(stopped);
      const waitingExit = exitOf(waiting);
      await own.stop();
      ownStopped = true;
      const lostAt = performance.now();
      await stopped.waitFor(/lost the connection to Redis: retrying with backoff for up to 4 s/, 10_000);
      process.kill(stoppedPid, 'SIGTERM');
      const termAt = performance.now();
      const term = await stoppedExit;
      // it was seen alive 12 s after SIGTERM before: now within the close grace (3 s) and some start-up slack
      expect(term.at - termAt).toBeLessThan(8000);
      expect(term.code).toBe(0);
      const gaveUp = await waitingExit;
      expect(gaveUp.code).toBe(1);
      expect(gaveUp.at - lostAt).toBeGreaterThan(3500);
      expect(waiting.lines.join('\n')).toMatch(/chunkbench: worker gone2: Redis at redis:\/\/127\.0\.0\.1:\d+ unreachable for 4 s \(--redis-retry-s\); exiting/);
    } finally {
      if (!ownStopped) await own.stop();
    }
  }, 60_000);
});

describe.skipIf(noRedis)('bad input', () => {
  it('names the URL within a few seconds when Redis is unreachable', async () => {
    const port = await freePort();
    const t0 = performance.now();
    const error = await queueExecutor({ redisUrl: `redis://127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(ChunkbenchError);
    expect((error as Error).message).toBe(`--redis redis://127.0.0.1:${port}: cannot connect (connect ECONNREFUSED 127.0.0.1:${port}); start redis-server or give a reachable URL`);
  });

  it('fails a waiting run within seconds, naming the URL, when Redis goes away mid-run', async () => {
    const doomed = await startRedis();
    try {
      const executor = await queueExecutor({ redisUrl: doomed.url, queueName: 'q-lost', connectionLostMs: 1000 });
      executors.push(executor);
      const outputPath = join(work.dir, 'never.mp4');
      // no worker listens on this Redis: the job waits until the server is gone
      const running = executor.run({ index: 0, args: ['-i', 'x', outputPath], outputPath, expectedFrames: 1, durationSeconds: 1 }, { workerId: 0, attempt: 1, signal: new AbortController().signal });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const t0 = performance.now();
      await doomed.stop();
      const error = await running.catch((e: unknown) => e);
      expect(performance.now() - t0).toBeLessThan(15_000);
      expect(error).toBeInstanceOf(ChunkbenchError);
      expect((error as Error).message).toMatch(new RegExp(`^--redis ${doomed.url}: lost the connection to Redis for 1 s mid-run \\(.*\\); check redis-server and run again$`));
    } finally {
      await doomed.stop();
    }
  });

  it('the worker CLI exits with one line for an unreachable Redis and for a URL that is not one', () => {
    const t0 = performance.now();
    const refused = runCli('src/cli/worker.ts', ['--redis', 'redis://127.0.0.1:1']);
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('chunkbench: --redis redis://127.0.0.1:1: cannot connect (connect ECONNREFUSED 127.0.0.1:1); start redis-server or give a reachable URL\n');
    const notUrl = runCli('src/cli/worker.ts', ['--redis', 'localhost:6379']);
    expect(notUrl.status).toBe(2);
    expect(notUrl.stderr).toMatch(/^chunkbench: --redis must be a redis:\/\/ or rediss:\/\/ URL, got 'localhost:6379'\n$/);
  });

  it('rejects a bad queue name and a bad concurrency with one line', async () => {
    await expect(queueExecutor({ redisUrl: redisUrl(), queueName: 'a:b' })).rejects.toThrow(/^--queue must be letters, digits/);
    const bad = runCli('src/cli/worker.ts', ['--redis', redisUrl(), '--concurrency', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('chunkbench: --concurrency must be a whole number ≥ 1, got 0\n');
    const badLock = runCli('src/cli/worker.ts', ['--redis', redisUrl(), '--lock-duration-ms', '0']);
    expect(badLock.stderr).toBe('chunkbench: --lock-duration-ms must be whole milliseconds ≥ 100, got 0\n');
  });
});
