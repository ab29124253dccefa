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
import { mulberry32, seedFrom, shuffle } from '../stats/random.ts';
import { ceilingId, ceilingWorkers, measureCeiling, type CeilingLine, type CeilingPlan } from './ceiling.ts';
import { buildSchedule, type ScheduledRun } from './schedule.ts';
import { appendResult, readStoredLines, type ResultLine, type RunMeta } from './store.ts';

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
  /** The queue executor over the http transport, for those with `transport: http`. */
  queueHttp?: ChunkExecutor;
  /** Rounds added after the grid's own (absent: none). */
  sequential?: SequentialSpec;
}

/** Sequential sampling: which schedule ids an added round runs, and after each round whether to stop. */
export interface SequentialSpec {
  ids: string[];
  /** Called before each added round with everything stored so far and the number of rounds (the grid's
   * and the added); true stops. */
  decide: (stored: { lines: ResultLine[]; ceilings: CeilingLine[] }, rounds: number) => boolean;
}

const measured = new WeakMap<ExperimentContext, Set<string>>();

/** The configurations whose quality a stored run already has (read once per experiment, then kept up to date). */
function qualityMeasured(ctx: ExperimentContext): Set<string> {
  let set = measured.get(ctx);
  if (!set) {
    set = new Set(readStoredLines(ctx.dir).flatMap((l) => (l.schema === 'chunkbench.result/1' && l.state === 'ok' && l.record?.quality ? [l.configId] : [])));
    measured.set(ctx, set);
  }
  return set;
}

async function executeOne(ctx: ExperimentContext, config: GridConfig, run: ScheduledRun): Promise<ResultLine | null> {
  const options = ctx.options.get(config.id);
  if (!options) throw new Error(`no options for configuration ${config.id}`);
  let line: ResultLine;
  try {
    // injected faults hit different chunks in each round, and the same chunks at every rate of one round
    // (draws below 0.1 are below 0.2 too), so fault rates compare paired, like everything else
    const faultSeed = seedFrom(`${ctx.meta.seed}:faults:${run.round}`);
    const executor = config.executor === 'queue' ? (config.transport === 'http' ? ctx.queueHttp : ctx.queue) : undefined;
    if (config.executor === 'queue' && !executor) throw new Error(`configuration ${config.label} needs the queue executor`);
    // the encode is deterministic (one thread per x264), so a configuration's quality is measured once: by
    // its first successful run, stored or made now
    const quality = options.quality && !qualityMeasured(ctx).has(config.id);
    const record = await runPipeline({ ...options, faultSeed, quality }, { binaries: ctx.binaries, signal: ctx.signal, ...(executor ? { executor } : {}) });
    if (record.quality) qualityMeasured(ctx).add(config.id);
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

async function executeCeiling(ctx: ExperimentContext, plan: CeilingPlan, workers: number, run: ScheduledRun): Promise<CeilingLine | null> {
  const centre = ctx.meta.configs.find((c) => c.id === plan.configId);
  const line = await measureCeiling(plan, workers, run, ctx.binaries, centre?.workDir ?? 'tmp', ctx.signal);
  if (ctx.signal.aborted) return null;
  appendResult(ctx.dir, line);
  ctx.progress.runDone(line);
  return line;
}

/** Runs one scheduled run of a configuration or of a ceiling; returns the time tinybench records. */
async function executeScheduled(ctx: ExperimentContext, byId: Map<string, GridConfig>, run: ScheduledRun): Promise<number> {
  const workers = ceilingWorkers(run.configId);
  if (workers !== null && ctx.meta.ceiling) return (await executeCeiling(ctx, ctx.meta.ceiling, workers, run))?.togetherMs ?? 0;
  const config = byId.get(run.configId);
  return config ? ((await executeOne(ctx, config, run))?.wallMs ?? 0) : 0;
}

/** Every id a round runs: the configurations, then the machine's ceilings. */
export function scheduleIds(meta: Pick<RunMeta, 'configs' | 'ceiling'>): string[] {
  return [...meta.configs.map((c) => c.id), ...(meta.ceiling?.workers.map(ceilingId) ?? [])];
}

/** The run's whole schedule: every id's warmups and measured rounds (a sweep's `repeats` can make a
 * configuration's fewer than the grid's; the ceilings run every round). */
export function runSchedule(meta: Pick<RunMeta, 'configs' | 'ceiling' | 'grid' | 'seed'>): ScheduledRun[] {
  const rounds = new Map(meta.configs.map((c) => [c.id, c.rounds ?? meta.grid.repeats]));
  return buildSchedule(scheduleIds(meta), meta.grid.repeats, meta.grid.warmup, meta.seed, (id) => rounds.get(id) ?? meta.grid.repeats);
}

/** Runs what the schedule still lacks, then the sequential rounds the headline needs; returns tinybench's
 * statistics for the grid's own rounds. */
export async function runExperiment(ctx: ExperimentContext): Promise<{ interrupted: boolean; tinybench: TinybenchStats[] }> {
  const byId = new Map(ctx.meta.configs.map((c) => [c.id, c]));
  const ids = scheduleIds(ctx.meta);
  const schedule = runSchedule(ctx.meta);
  const done = new Set(readStoredLines(ctx.dir, true).map((line) => line.seq));
  const todo = schedule.filter((run) => !done.has(run.seq));
  ctx.progress.start(schedule.length, schedule.length - todo.length);

  for (const run of todo.filter((r) => r.warmup)) {
    if (ctx.signal.aborted) break;
    await executeScheduled(ctx, byId, run);
  }

  const measured = todo.filter((r) => !r.warmup);
  // a fatal error (a full disk) inside a tinybench task would be kept by tinybench as the task's error:
  // keep it here, release every waiting turn, and throw it once the benches have stopped
  let fatal: unknown = null;
  const stop = new AbortController();
  ctx.signal.addEventListener('abort', () => stop.abort(), { once: true });
  const turns = new Turns(measured, stop.signal);
  const benches: Bench[] = [];
  for (const id of ids) {
    const iterations = measured.filter((r) => r.configId === id).length;
    if (iterations === 0 || ctx.signal.aborted) continue;
    const bench = new Bench({ name: byId.get(id)?.label ?? id, time: 0, iterations, warmup: false, throws: false, retainSamples: true });
    bench.add(id, async () => {
      const run = await turns.wait(id);
      if (!run) return { overriddenDuration: 0 };
      try {
        return { overriddenDuration: await executeScheduled(ctx, byId, run) };
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
  if (fatal) {
    ctx.progress.stop();
    throw fatal;
  }
  if (!ctx.signal.aborted && ctx.sequential) await runSequential(ctx, byId, schedule.length);
  ctx.progress.stop();

  const tinybench = benches.flatMap((bench) =>
    bench.tasks.map((task) => {
      const result = task.result;
      const stats = 'latency' in result ? result.latency : null;
      return { configId: task.name, state: result.state, samples: stats?.samplesCount ?? 0, meanMs: stats?.mean ?? null, sdMs: stats?.sd ?? null, moeMs: stats?.moe ?? null, rmePercent: stats?.rme ?? null };
    }),
  );
  return { interrupted: ctx.signal.aborted, tinybench };
}

/** Adds rounds of `ctx.sequential.ids` while its `decide` asks for more. The added rounds follow the
 * schedule's numbering (round = repeats + k, seq after the schedule's), each in its own seeded shuffled
 * order; a resumed run counts the rounds already added and goes on from there. */
async function runSequential(ctx: ExperimentContext, byId: Map<string, GridConfig>, scheduledRuns: number): Promise<void> {
  const { meta } = ctx;
  const spec = ctx.sequential as SequentialSpec;
  for (;;) {
    const stored = readStoredLines(ctx.dir);
    const lines = stored.filter((l): l is ResultLine => l.schema === 'chunkbench.result/1');
    const ceilings = stored.filter((l): l is CeilingLine => l.schema === 'chunkbench.ceiling/1');
    const extra = stored.filter((l) => l.seq >= scheduledRuns).length;
    const round = meta.grid.repeats + Math.ceil(extra / Math.max(1, spec.ids.length));
    if (ctx.signal.aborted || !spec.ids.length || spec.decide({ lines, ceilings }, round)) return;
    let seq = Math.max(scheduledRuns - 1, ...stored.map((l) => l.seq)) + 1;
    for (const configId of shuffle(spec.ids, mulberry32(seedFrom(`${meta.seed}:round:${round}`)))) {
      if (ctx.signal.aborted) return;
      await executeScheduled(ctx, byId, { seq: seq++, round, warmup: false, configId });
    }
  }
}
