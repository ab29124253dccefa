// summary.json: a pure function of meta.json and results.jsonl. Per configuration: descriptive statistics of
// the wall time (warmups excluded, failures counted but not timed), CPU utilisation, phases, and speedup
// and efficiency against every baseline the grid holds, each with a 95% CI.
//
// Baselines are matched on the work they do, so a speedup compares like with like:
//   single      same input, codec, preset, filter, crf, thread limit, work dir (the seed's "Sequential")
//   single-mt   the same but the thread limit (it uses every core: the honest competitor)
//   sequential  as single, plus the same segment length and split (same chunks, one worker)
// Speedups are paired by round (runs were interleaved): the geometric mean of per-round ratios, with a
// paired Student-t interval on the log ratios over rounds (stats/ratio.ts).
import { cpuUtilisation, describe, estimateOnly, pairedRatio, ratioFromLogs, scaleEstimate, type Description, type RatioEstimate } from '../stats/index.ts';
import { centreConfig, type GridConfig } from '../grid/expand.ts';
import type { CeilingLine } from '../harness/ceiling.ts';
import type { ResultLine, RunMeta, SequentialRecord } from '../harness/store.ts';
import { transferSummary, type TransferSummary } from '../transport/costs.ts';
import type { SegmentChoice } from '../pipeline/segmentAuto.ts';

const transferOf = (chunks: Parameters<typeof transferSummary>[0]): { transfer?: TransferSummary } => {
  const transfer = transferSummary(chunks);
  return transfer ? { transfer } : {};
};

export type BaselineName = 'single' | 'single-mt' | 'sequential';
export const BASELINES: BaselineName[] = ['single', 'single-mt', 'sequential'];

/** Everything the report and exports say about one configuration. */
export interface ConfigSummary {
  configId: string;
  label: string;
  sweeps: string[];
  config: GridConfig;
  runs: number;
  ok: number;
  failed: number;
  failures: { seq: number; round: number; error: string }[];
  wallMs: Description | null;
  phasesMs: { probe: number; split: number; process: number; merge: number; verify: number } | null;
  cpuUtilisation: Description | null;
  ffmpegCpuMs: number | null;
  chunks: number | null;
  /** Under `segment: auto`: what the first successful run chose (the choice depends on the source and the
   * worker count only, so every run of a configuration makes the same one); null for a fixed length. */
  segmentChoice: { segmentSeconds: number; chunks: number; waves: number; reason: string } | null;
  /** Frames decoded only to reach mid-GOP chunk starts, as a share of the frames processed (null: the
   * stored runs predate the count). */
  leadInShare: number | null;
  outputBytes: number | null;
  harnessOverheadMsPerChunk: number | null;
  speedup: Partial<Record<BaselineName, RatioEstimate & { baselineId: string }>>;
  efficiency: Partial<Record<BaselineName, RatioEstimate>>;
  /** The speedup over `single` as a share of the machine's N-way ceiling measured in the same rounds
   * (N = the processes it runs at once, within the cores); absent where N = 1 or no ceiling was measured. */
  ofCeiling?: RatioEstimate & { workers: number; ceiling: RatioEstimate };
  /** Bytes moved and transfer times per chunk, for queue runs over the http transport (transport/costs.ts). */
  transfer?: TransferSummary;
  verified: number;
}

/** The machine's N-way ceiling over a run's rounds (harness/ceiling.ts). */
export interface CeilingSummary {
  workers: number;
  /** N · alone / together, the geometric mean over rounds with its paired-t 95% CI. */
  ceiling: RatioEstimate;
  aloneMs: Description;
  togetherMs: Description;
  failed: number;
  /** The chunk it runs: the centre configuration's longest. */
  chunkSeconds: number;
}

/** The Before/After line of the headline. */
export interface Headline {
  before: { configId: string; label: string; wallMs: Description };
  after: { configId: string; label: string; wallMs: Description };
  speedup: RatioEstimate;
  /** The centre against one ffmpeg that uses every core, when the grid has it. */
  vsSingleMt: (RatioEstimate & { label: string; wallMs: Description }) | null;
  /** The speedup as a share of the ceiling of the same rounds. */
  ofCeiling: (RatioEstimate & { workers: number; ceiling: RatioEstimate }) | null;
  cores: number;
}

export interface Summary {
  schema: 'chunkbench.summary/1';
  runId: string;
  cores: number;
  resultLines: number;
  measuredRuns: number;
  failedRuns: number;
  /** The interval method of every ratio on the page. */
  ratioMethod: 'paired-t-log';
  /** The configuration the headline is about: the grid's centre, declared before any data. */
  centreId: string;
  configs: ConfigSummary[];
  ceilings: CeilingSummary[];
  sequential: SequentialRecord | null;
  headline: Headline | null;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const workKey = (c: GridConfig, withThreads: boolean) => JSON.stringify([c.input, c.codec, c.preset, c.filter, c.crf, c.workDir, withThreads ? c.threads : null]);

/** The baseline configuration for `config`, if the grid has one. */
export function findBaseline(config: GridConfig, configs: GridConfig[], name: BaselineName): GridConfig | undefined {
  if (config.mode === name) return undefined;
  return configs.find((b) => {
    if (b.mode !== name) return false;
    if (name === 'single-mt') return workKey(b, false) === workKey(config, false);
    if (workKey(b, true) !== workKey(config, true)) return false;
    // `auto` chooses by worker count, so a sequential auto run (one worker: one chunk) does not have the same chunks
    return name !== 'sequential' || (typeof b.segmentSeconds === 'number' && b.segmentSeconds === config.segmentSeconds && b.split === config.split);
  });
}

/** The part of a run's auto choice the summary keeps. */
function choiceOf(choice: SegmentChoice | undefined): ConfigSummary['segmentChoice'] {
  return choice ? { segmentSeconds: choice.segmentSeconds, chunks: choice.chunks, waves: choice.waves, reason: choice.reason } : null;
}

/** Wall times of successful measured runs, by round. */
function wallByRound(lines: ResultLine[]): Map<number, number> {
  return new Map(lines.filter((l) => l.state === 'ok').map((l) => [l.round, l.wallMs]));
}

/** Pairs the rounds both configurations completed. */
function paired(baseline: Map<number, number>, candidate: Map<number, number>): [number[], number[]] {
  const rounds = [...candidate.keys()].filter((r) => baseline.has(r)).sort((a, b) => a - b);
  return [rounds.map((r) => baseline.get(r) ?? NaN), rounds.map((r) => candidate.get(r) ?? NaN)];
}

/** Lead-in frames over planned frames for one run's plan (the plan is the same in every run of a config). */
function leadInShare(segments: { frameCount: number; leadInFrames?: number }[] | undefined): number | null {
  if (!segments?.length || segments.some((s) => s.leadInFrames === undefined)) return null;
  const frames = segments.reduce((sum, s) => sum + s.frameCount, 0);
  return frames > 0 ? segments.reduce((sum, s) => sum + (s.leadInFrames ?? 0), 0) / frames : null;
}

/** N · alone / together of successful measured ceiling runs, by round. */
function ceilingByRound(lines: CeilingLine[], workers: number): Map<number, number> {
  return new Map(lines.filter((l) => !l.warmup && l.state === 'ok' && l.workers === workers).map((l) => [l.round, l.ceiling]));
}

/** A ratio whose true value cannot exceed `bound`, its interval cut there: w copies at once can do at most w
 * times the work of one alone (each copy is at best as fast as the one alone), so a 2-way ceiling's upper
 * end past 2× is noise, and cutting an interval at a bound the true value respects never lowers its
 * coverage. A point above the bound (the data disagree with it) leaves the interval as computed. */
export function boundedAbove<T extends RatioEstimate>(e: T, bound: number): T {
  return e.point > bound ? e : { ...e, hi: Math.min(e.hi, bound), lo: Math.min(e.lo, bound) };
}

function summariseCeiling(lines: CeilingLine[], workers: number, chunkSeconds: number): CeilingSummary | null {
  const ok = lines.filter((l) => !l.warmup && l.state === 'ok' && l.workers === workers);
  if (!ok.length) return null;
  const failed = lines.filter((l) => !l.warmup && l.state !== 'ok' && l.workers === workers).length;
  return { workers, ceiling: boundedAbove(pairedRatio(ok.map((l) => l.workers * l.aloneMs), ok.map((l) => l.togetherMs)), workers), aloneMs: describe(ok.map((l) => l.aloneMs)), togetherMs: describe(ok.map((l) => l.togetherMs)), failed, chunkSeconds };
}

/** Processes a configuration runs at once, within the cores: the N of the ceiling it is judged against. */
export function parallelWidth(config: GridConfig, cores: number): number {
  return Math.min(cores, config.mode === 'chunked' ? config.workers : config.mode === 'single-mt' ? cores : 1);
}

/** speedup / ceiling per round, over rounds with all three runs: log(single/config) − log(ceiling); with
 * the ceiling over the same rounds, so that "x of a possible y" reads one set of rounds. */
function shareOfCeiling(single: Map<number, number>, config: Map<number, number>, ceiling: Map<number, number>, workers: number): (RatioEstimate & { ceiling: RatioEstimate }) | null {
  const rounds = [...config.keys()].filter((r) => single.has(r) && ceiling.has(r));
  if (!rounds.length) return null;
  const logs = rounds.map((r) => Math.log((single.get(r) as number) / (config.get(r) as number)) - Math.log(ceiling.get(r) as number));
  return { ...estimateOnly(ratioFromLogs(logs)), ceiling: boundedAbove(estimateOnly(ratioFromLogs(rounds.map((r) => Math.log(ceiling.get(r) as number)))), workers) };
}

/** Builds the summary from stored data alone. */
export function summarize(meta: RunMeta, results: ResultLine[], ceilingLines: CeilingLine[] = []): Summary {
  const cores = meta.machine.cores;
  const ceilingRounds = new Map((meta.ceiling?.workers ?? []).map((n) => [n, ceilingByRound(ceilingLines, n)]));
  const measured = results.filter((l) => !l.warmup);
  const byConfig = new Map<string, ResultLine[]>();
  for (const line of measured) byConfig.set(line.configId, [...(byConfig.get(line.configId) ?? []), line]);
  const rounds = new Map(meta.configs.map((c) => [c.id, wallByRound(byConfig.get(c.id) ?? [])]));

  const configs = meta.configs.map((config): ConfigSummary => {
    const lines = (byConfig.get(config.id) ?? []).sort((a, b) => a.seq - b.seq);
    const ok = lines.filter((l) => l.state === 'ok' && l.record);
    const records = ok.map((l) => l.record).filter((r) => r !== null);
    const speedup: ConfigSummary['speedup'] = {};
    const efficiency: ConfigSummary['efficiency'] = {};
    for (const name of BASELINES) {
      const baseline = findBaseline(config, meta.configs, name);
      if (!baseline) continue;
      const [b, c] = paired(rounds.get(baseline.id) ?? new Map(), rounds.get(config.id) ?? new Map());
      if (b.length === 0) continue;
      const estimate = pairedRatio(b, c);
      speedup[name] = { ...estimate, baselineId: baseline.id };
      // efficiency per worker; for single-mt there is no worker count, so it is left out
      if (config.mode === 'chunked') efficiency[name] = scaleEstimate(estimate, 1 / config.workers);
    }
    const width = parallelWidth(config, cores);
    const single = findBaseline(config, meta.configs, 'single');
    const ceiling = ceilingRounds.get(width);
    const share = width >= 2 && single && ceiling ? shareOfCeiling(rounds.get(single.id) ?? new Map(), rounds.get(config.id) ?? new Map(), ceiling, width) : null;
    return {
      configId: config.id,
      label: config.label,
      sweeps: config.sweeps,
      config,
      runs: lines.length,
      ok: ok.length,
      failed: lines.length - ok.length,
      failures: lines.filter((l) => l.state !== 'ok').map((l) => ({ seq: l.seq, round: l.round, error: l.error ?? 'failed' })),
      wallMs: ok.length ? describe(ok.map((l) => l.wallMs)) : null,
      phasesMs: records.length
        ? {
            probe: mean(records.map((r) => r.phases.probeMs)) ?? 0,
            split: mean(records.map((r) => r.phases.splitMs)) ?? 0,
            process: mean(records.map((r) => r.phases.processMs)) ?? 0,
            merge: mean(records.map((r) => r.phases.mergeMs)) ?? 0,
            verify: mean(records.map((r) => r.phases.verifyMs)) ?? 0,
          }
        : null,
      cpuUtilisation: records.length ? describe(records.map((r) => cpuUtilisation(r.ffmpegCpuMs, r.wallMs, cores))) : null,
      ffmpegCpuMs: mean(records.map((r) => r.ffmpegCpuMs)),
      chunks: records[0]?.segments.length ?? null,
      segmentChoice: choiceOf(records.find((r) => r.segmentChoice)?.segmentChoice),
      leadInShare: leadInShare(records[0]?.segments),
      outputBytes: mean(records.map((r) => r.output?.bytes ?? 0)),
      harnessOverheadMsPerChunk: mean(records.map((r) => r.harnessOverheadMs / Math.max(1, r.chunks.length))),
      speedup,
      efficiency,
      ...(share ? { ofCeiling: { ...share, workers: width } } : {}),
      ...transferOf(records.map((r) => r.chunks)),
      verified: records.filter((r) => r.verification?.ok).length,
    };
  });
  const ceilings = (meta.ceiling?.workers ?? []).map((n) => summariseCeiling(ceilingLines, n, meta.ceiling?.chunkSeconds ?? 0)).filter((c): c is CeilingSummary => c !== null);
  const centreId = meta.centreId ?? centreConfig(meta.grid).id;

  return {
    schema: 'chunkbench.summary/1',
    runId: meta.runId,
    cores,
    resultLines: results.length,
    measuredRuns: measured.length,
    failedRuns: measured.filter((l) => l.state !== 'ok').length,
    ratioMethod: 'paired-t-log',
    centreId,
    configs,
    ceilings,
    sequential: meta.sequential ?? null,
    headline: headline(configs, centreId, cores),
  };
}

/** Before: `single` (one ffmpeg, same thread limit). After: the grid's centre, the configuration declared
 * in advance — never the fastest of many noisy configurations, which would be a selection its CI ignores. */
export function headline(configs: ConfigSummary[], centreId: string, cores: number): Headline | null {
  const centre = configs.find((c) => c.configId === centreId);
  const before = centre && configs.find((c) => c.configId === centre.speedup.single?.baselineId);
  if (!centre?.wallMs || !before?.wallMs || !centre.speedup.single) return null;
  const mt = centre.speedup['single-mt'];
  const mtConfig = mt && configs.find((c) => c.configId === mt.baselineId);
  return {
    before: { configId: before.configId, label: before.label, wallMs: before.wallMs },
    after: { configId: centre.configId, label: centre.label, wallMs: centre.wallMs },
    speedup: centre.speedup.single,
    vsSingleMt: mt && mtConfig?.wallMs ? { ...mt, label: mtConfig.label, wallMs: mtConfig.wallMs } : null,
    ofCeiling: centre.ofCeiling ?? null,
    cores,
  };
}
