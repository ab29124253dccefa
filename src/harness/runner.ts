// Runs a grid's schedule and appends every finished run to results.jsonl at once.
//
// tinybench drives the repeat loop: one Bench per configuration (time 0, fixed iterations, its own warmup
// off — ours is a separate round, since tinybench's default would run a seconds-long task 16 times), and
// each task reports the pipeline's wall time through `overriddenDuration`, so verification is not timed.
// All Benches run at once, but every iteration first waits for its turn in the seeded interleaved schedule
// (Turns), so exactly one pipeline runs at a time, in schedule order.
import { Bench } from 'tinybench';
import type { ChunkExecutor } from '../executors/types.ts';
import type { Binaries } from '../ffmpeg/binaries.ts';
import { DiskFullError, isUserError } from '../errors.ts';
import type { GridConfig } from '../grid/expand.ts';
import { runPipeline } from '../pipeline/run.ts';
import type { ResolvedPipelineOptions } from '../pipeline/types.ts';
import type { Progress } from './progress.ts';
import { seedFrom } from '../stats/random.ts';
import { buildSchedule, type ScheduledRun } from './schedule.ts';
import { appendResult, readResults, type ResultLine, type RunMeta } from './store.ts';

/** Hands out runs in schedule order: a waiter for configuration X resumes when X's run is at the head. */
export class Turns {
  #pos = 0;
  readonly #waiting = new Map<string, (run: ScheduledRun | null) => void>();
  readonly #remaining = new Map<string, number>();
  constructor(private readonly runs: ScheduledRun[], private readonly signal?: AbortSignal) {
    for (const run of runs) this.#remaining.set(run.configId, (this.#remaining.get(run.configId) ?? 0) + 1);
    signal?.addEventListener('abort', () => this.#releaseAll(), { once: true });
  }

  /** Resolves with the configuration's next run when it is its turn; null when none is left or aborted. */
  wait(configId: string): Promise<ScheduledRun | null> {
    if (this.signal?.aborted || !this.#remaining.get(configId)) return Promise.resolve(null);
    const head = this.runs[this.#pos];
    if (head?.configId === configId) return Promise.resolve(this.#take(head));
    return new Promise((resolve) => this.#waiting.set(configId, (run) => resolve(run && this.#take(run))));
  }

  /** The head run finished: pass the turn on. */
  advance(): void {
    this.#pos++;
    const head = this.runs[this.#pos];
    const waiter = head && this.#waiting.get(head.configId);
    if (head && waiter) {
      this.#waiting.delete(head.configId);
      waiter(head);
    }
  }

  #take(run: ScheduledRun): ScheduledRun {
    this.#remaining.set(run.configId, (this.#remaining.get(run.configId) ?? 1) - 1);
    return run;
  }

  #releaseAll(): void {
    for (const waiter of this.#waiting.values()) waiter(null);
    this.#waiting.clear();
  }
}

/** tinybench's own per-task statistics, kept beside the summary as a cross-check. */
export interface TinybenchStats {
  configId: string;
  state: string;
  samples: number;
  meanMs: number | null;
  sdMs: number | null;
  moeMs: number | null;
  rmePercent: number | null;
}

export interface ExperimentContext {
  dir: string;
  meta: RunMeta;
  options: Map<string, ResolvedPipelineOptions>;
  binaries: Binaries;
  signal: AbortSignal;
  progress: Progress;
  /** The queue executor, for configurations with `executor: queue` (set up by the experiment). */
  queue?: ChunkExecutor;
}

async function executeOne(ctx: ExperimentContext, config: GridConfig, run: ScheduledRun): Promise<ResultLine | null> {
  const options = ctx.options.get(config.id);
  if (!options) throw new Error(`no options for configuration ${config.id}`);
  let line: ResultLine;
  try {
    // injected faults hit different chunks in each round, and the same chunks at every rate of one round
    // (draws below 0.1 are below 0.2 too), so fault rates compare paired, like everything else
    const faultSeed = seedFrom(`${ctx.meta.seed}:faults:${run.round}`);
    const executor = config.executor === 'queue' ? ctx.queue : undefined;
    if (config.executor === 'queue' && !executor) throw new Error(`configuration ${config.label} needs the queue executor`);
    const record = await runPipeline({ ...options, faultSeed }, { binaries: ctx.binaries, signal: ctx.signal, ...(executor ? { executor } : {}) });
    line = { schema: 'chunkbench.result/1', ...run, label: config.label, state: record.state, wallMs: record.wallMs, record, ...(record.error ? { error: `${record.error.stage}: ${record.error.message}` } : {}) };
  } catch (error) {
    // a full disk ends the experiment (every later run would fail the same way); what is stored stays
    if (error instanceof DiskFullError) throw error;
    // a failed configuration is a row in the report, not a crash that loses the rest of the grid
    const message = isUserError(error) ? error.message : `internal error: ${(error as Error).stack ?? String(error)}`;
    line = { schema: 'chunkbench.result/1', ...run, label: config.label, state: 'failed', wallMs: 0, error: message, record: null };
  }
  // an interrupted run is not a measurement: leave it out, resume will run it again
  if (ctx.signal.aborted) return null;
  appendResult(ctx.dir, line);
  ctx.progress.runDone(line);
  return line;
}

/** Runs what the schedule still lacks; returns tinybench's statistics for the runs it made. */
export async function runExperiment(ctx: ExperimentContext): Promise<{ interrupted: boolean; tinybench: TinybenchStats[] }> {
  const { grid, configs } = ctx.meta;
  const byId = new Map(configs.map((c) => [c.id, c]));
  const schedule = buildSchedule(configs.map((c) => c.id), grid.repeats, grid.warmup, ctx.meta.seed);
  const done = new Set(readResults(ctx.dir, true).map((line) => line.seq));
  const todo = schedule.filter((run) => !done.has(run.seq));
  ctx.progress.start(schedule.length, done.size);

  for (const run of todo.filter((r) => r.warmup)) {
    if (ctx.signal.aborted) break;
    const config = byId.get(run.configId);
    if (config) await executeOne(ctx, config, run);
  }

  const measured = todo.filter((r) => !r.warmup);
  // a fatal error (a full disk) inside a tinybench task would be kept by tinybench as the task's error:
  // keep it here, release every waiting turn, and throw it once the benches have stopped
  let fatal: unknown = null;
  const stop = new AbortController();
  ctx.signal.addEventListener('abort', () => stop.abort(), { once: true });
  const turns = new Turns(measured, stop.signal);
  const benches: Bench[] = [];
  for (const config of configs) {
    const iterations = measured.filter((r) => r.configId === config.id).length;
    if (iterations === 0 || ctx.signal.aborted) continue;
    const bench = new Bench({ name: config.label, time: 0, iterations, warmup: false, throws: false, retainSamples: true });
    bench.add(config.id, async () => {
      const run = await turns.wait(config.id);
      if (!run) return { overriddenDuration: 0 };
      try {
        const line = await executeOne(ctx, config, run);
        return { overriddenDuration: line?.wallMs ?? 0 };
      } catch (error) {
        fatal = error;
        stop.abort();
        return { overriddenDuration: 0 };
      } finally {
        turns.advance();
      }
    });
    benches.push(bench);
  }
  await Promise.all(benches.map((bench) => bench.run()));
  ctx.progress.stop();
  if (fatal) throw fatal;

  const tinybench = benches.flatMap((bench) =>
    bench.tasks.map((task) => {
      const result = task.result;
      const stats = 'latency' in result ? result.latency : null;
      return { configId: task.name, state: result.state, samples: stats?.samplesCount ?? 0, meanMs: stats?.mean ?? null, sdMs: stats?.sd ?? null, moeMs: stats?.moe ?? null, rmePercent: stats?.rme ?? null };
    }),
  );
  return { interrupted: ctx.signal.aborted, tinybench };
}
