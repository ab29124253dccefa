// One experiment from grid to stored summary, as functions the CLIs share (experiment, check):
//   prepareExperiment: load the grid (or a stored run to resume), expand, validate every configuration;
//   executeExperiment: run what the schedule lacks, then write summary.json, CSV, Markdown, tinybench.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalWorkers } from '../executors/localWorkers.ts';
import type { RedisServer } from '../executors/redisServer.ts';
import type { ChunkExecutor } from '../executors/types.ts';
import { resolveBinaries } from '../ffmpeg/binaries.ts';
import { harnessCpuUs, spawnerCpuUs } from '../ffmpeg/spawner.ts';
import { centreConfig, expandGrid } from '../grid/expand.ts';
import { loadGrid } from '../grid/load.ts';
import type { ResolvedPipelineOptions } from '../pipeline/types.ts';
import { toCsv, toMarkdown } from '../summary/export.ts';
import { summarize, type Summary } from '../summary/summarize.ts';
import type { Progress } from './progress.ts';
import { planCeiling } from './ceiling.ts';
import { runExperiment, runSchedule, type SequentialSpec } from './runner.ts';
import { headlineSpec } from './sequential.ts';
import { resolveConfigs } from './setup.ts';
import { findRunDir, gitCommit, gridHash, machineInfo, newRunId, readCeilings, readMeta, readResults, readStoredLines, REPORTS_DIR, runPaths, writeMeta, type ResultLine, type RunMeta, type SequentialRecord } from './store.ts';

export interface Prepared {
  dir: string;
  meta: RunMeta;
  options: Map<string, ResolvedPipelineOptions>;
  resumed: boolean;
}

/** A new run of a grid (name or path), or a stored run to resume; nothing is written yet. */
export async function prepareExperiment(request: { grid?: string; resume?: string; repeats?: number; seed?: number; budgetSeconds?: number }): Promise<Prepared> {
  let dir: string;
  let meta: RunMeta;
  if (request.resume) {
    dir = findRunDir(request.resume);
    meta = readMeta(dir);
  } else {
    const { grid, file } = loadGrid(request.grid ?? 'default');
    if (request.repeats !== undefined) grid.repeats = request.repeats;
    if (request.seed !== undefined) grid.seed = request.seed;
    if (request.budgetSeconds !== undefined) grid.budgetSeconds = request.budgetSeconds;
    const runId = newRunId(grid.name);
    dir = join(REPORTS_DIR, runId);
    const configs = expandGrid(grid);
    const binaries = await resolveBinaries();
    const machine = machineInfo();
    const centre = centreConfig(grid);
    const ceiling = await planCeiling(configs.find((c) => c.id === centre.id) ?? centre, configs, binaries, machine.cores, `grid ${grid.name}`);
    meta = {
      schema: 'chunkbench.meta/1',
      runId,
      grid,
      gridFile: file,
      gridHash: gridHash(grid),
      seed: grid.seed,
      configs,
      centreId: centre.id,
      ceiling,
      machine,
      binaries,
      commit: gitCommit(),
      startedAt: new Date().toISOString(),
      endedAt: null,
      scheduledRuns: runSchedule({ configs, ceiling, grid, seed: grid.seed }).length,
    };
  }
  return { dir, meta, options: await resolveConfigs(meta.configs, meta.grid.quality ?? false, `grid ${meta.grid.name}`), resumed: !!request.resume };
}

export interface Executed {
  interrupted: boolean;
  results: ResultLine[];
  summary: Summary;
  session: NonNullable<RunMeta['sessions']>[number];
}

/** For configurations with `executor: queue`: Redis (the given URL, or a private redis-server), as many
 * single-slot queue workers on this machine as the most workers any such configuration uses, and the
 * executor (and one over the http transport, on loopback, when a configuration asks for it: the same
 * workers run both kinds of job). `close` stops what was started. */
async function queueSetup(meta: RunMeta, redisUrl: string | undefined): Promise<{ executor: ChunkExecutor; http: ChunkExecutor | null; close: () => Promise<void> } | null> {
  const queued = meta.configs.filter((c) => c.executor === 'queue');
  if (!queued.length) return null;
  // loaded only for grids that use the queue: BullMQ and ioredis add ~19 MB and ~0.2 s to the harness
  const [{ startLocalWorkers }, { queueExecutor }, { startRedisServer }] = await Promise.all([import('../executors/localWorkers.ts'), import('../executors/queue.ts'), import('../executors/redisServer.ts')]);
  const server = redisUrl ? null : await startRedisServer();
  const url = redisUrl ?? (server as RedisServer).url;
  const queueName = `chunkbench-${meta.runId}`.replace(/[^A-Za-z0-9_-]/g, '-');
  let workers: LocalWorkers | null = null;
  try {
    workers = await startLocalWorkers(url, queueName, Math.max(...queued.map((c) => c.workers)));
    const executor = await queueExecutor({ redisUrl: url, queueName });
    const http = queued.some((c) => c.transport === 'http')
      ? await queueExecutor({ redisUrl: url, queueName, transport: await (await import('../transport/httpServer.ts')).startHttpTransport({ binaries: meta.binaries }) }).catch(async (error: unknown) => {
          await executor.close?.();
          throw error;
        })
      : null;
    return {
      executor,
      http,
      close: async () => {
        await http?.close?.();
        await executor.close?.();
        await workers?.stop();
        await server?.stop();
      },
    };
  } catch (error) {
    await workers?.stop();
    await server?.stop();
    throw error;
  }
}

/** Runs the prepared experiment to the end (or until aborted) and writes the summary files. */
export async function executeExperiment(prepared: Prepared, signal: AbortSignal, progress: Progress, redisUrl?: string, sequentialSpec?: SequentialSpec): Promise<Executed> {
  const { dir, meta, options } = prepared;
  if (!prepared.resumed) writeMeta(dir, meta);
  const queue = await queueSetup(meta, redisUrl);
  // the harness's CPU: this process and the spawner that starts its ffmpegs (ffmpeg/spawner.ts)
  const cpuAtStartUs = harnessCpuUs();
  const spawnerAtStartUs = spawnerCpuUs();
  const clockAtStart = performance.now();
  const startedAt = new Date().toISOString();
  const storedAtStart = readStoredLines(dir).length;
  const storedResultsAtStart = readResults(dir).length;
  const earlierMs = (meta.sessions ?? []).reduce((sum, s) => sum + s.elapsedMs, 0);
  const clock = {
    elapsedSeconds: () => (earlierMs + performance.now() - clockAtStart) / 1000,
    // elapsed time over the wall time the stored runs account for: verification, probes, start-up
    overheadFactor: () => {
      const accounted = readStoredLines(dir).reduce((sum, l) => sum + (l.schema === 'chunkbench.ceiling/1' ? l.aloneMs + l.togetherMs : l.wallMs), 0);
      return accounted > 0 ? Math.max(1, (earlierMs + performance.now() - clockAtStart) / accounted) : 1.3;
    },
  };
  // the check brings its own stopping rule; an experiment adds headline rounds within its budget
  const record = {} as SequentialRecord;
  const sequential = sequentialSpec ?? headlineSpec(meta, clock, record);
  let outcome: Awaited<ReturnType<typeof runExperiment>>;
  try {
    outcome = await runExperiment({ dir, meta, options, binaries: meta.binaries, signal, progress, ...(sequential ? { sequential } : {}), ...(queue ? { queue: queue.executor, ...(queue.http ? { queueHttp: queue.http } : {}) } : {}) });
  } finally {
    await queue?.close();
  }

  const results = readResults(dir);
  const cpuUs = harnessCpuUs() - cpuAtStartUs;
  const spawnerCpuMs = (spawnerCpuUs() - spawnerAtStartUs) / 1000;
  const thisSession = results.slice(storedResultsAtStart);
  const insideRunsCpuMs = thisSession.reduce((sum, l) => sum + (l.record?.coordinatorCpuMs ?? 0), 0);
  const session = { startedAt, elapsedMs: performance.now() - clockAtStart, harnessCpuMs: cpuUs / 1000, spawnerCpuMs, insideRunsCpuMs, runs: readStoredLines(dir).length - storedAtStart };
  meta.sessions = [...(meta.sessions ?? []), session];
  if (!sequentialSpec && 'stoppedBecause' in record) meta.sequential = record;
  if (!outcome.interrupted) meta.endedAt = new Date().toISOString();
  writeMeta(dir, meta);

  const summary = summarize(meta, results, readCeilings(dir));
  const paths = runPaths(dir);
  writeFileSync(paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(paths.csv, toCsv(summary));
  writeFileSync(paths.markdown, toMarkdown(summary));
  if (outcome.tinybench.length) writeFileSync(join(dir, 'tinybench.json'), `${JSON.stringify(outcome.tinybench, null, 2)}\n`);
  return { interrupted: outcome.interrupted, results, summary, session };
}
