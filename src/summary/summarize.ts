// summary.json: a pure function of meta.json and results.jsonl. Per configuration: descriptive statistics of
// the wall time (warmups excluded, failures counted but not timed), CPU utilisation, phases, and speedup
// and efficiency against every baseline the grid holds, each with a 95% CI.
//
// Baselines are matched on the work they do, so a speedup compares like with like:
//   single      same input, codec, preset, filter, crf, thread limit, work dir (the seed's "Sequential")
//   single-mt   the same but the thread limit (it uses every core: the honest competitor)
//   sequential  as single, plus the same segment length and split (same chunks, one worker)
// Speedups are paired by round (runs were interleaved): the geometric mean of per-round ratios, with a
// bootstrap CI over rounds (stats/ratio.ts).
import { cpuUtilisation, describe, pairedRatio, scaleEstimate, type Description, type RatioEstimate } from '../stats/index.ts';
import type { GridConfig } from '../grid/expand.ts';
import type { ResultLine, RunMeta } from '../harness/store.ts';

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
  /** Frames decoded only to reach mid-GOP chunk starts, as a share of the frames processed (null: the
   * stored runs predate the count). */
  leadInShare: number | null;
  outputBytes: number | null;
  harnessOverheadMsPerChunk: number | null;
  speedup: Partial<Record<BaselineName, RatioEstimate & { baselineId: string }>>;
  efficiency: Partial<Record<BaselineName, RatioEstimate>>;
  verified: number;
}

/** The Before/After line of the headline. */
export interface Headline {
  before: { configId: string; label: string; wallMs: Description };
  after: { configId: string; label: string; wallMs: Description };
  speedup: RatioEstimate;
  cores: number;
}

export interface Summary {
  schema: 'chunkbench.summary/1';
  runId: string;
  cores: number;
  resultLines: number;
  measuredRuns: number;
  failedRuns: number;
  configs: ConfigSummary[];
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
    return name !== 'sequential' || (b.segmentSeconds === config.segmentSeconds && b.split === config.split);
  });
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

/** Builds the summary from stored data alone. */
export function summarize(meta: RunMeta, results: ResultLine[]): Summary {
  const cores = meta.machine.cores;
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
      const estimate = pairedRatio(b, c, meta.seed);
      speedup[name] = { ...estimate, baselineId: baseline.id };
      // efficiency per worker; for single-mt there is no worker count, so it is left out
      if (config.mode === 'chunked') efficiency[name] = scaleEstimate(estimate, 1 / config.workers);
    }
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
      leadInShare: leadInShare(records[0]?.segments),
      outputBytes: mean(records.map((r) => r.output?.bytes ?? 0)),
      harnessOverheadMsPerChunk: mean(records.map((r) => r.harnessOverheadMs / Math.max(1, r.chunks.length))),
      speedup,
      efficiency,
      verified: records.filter((r) => r.verification?.ok).length,
    };
  });

  return {
    schema: 'chunkbench.summary/1',
    runId: meta.runId,
    cores,
    resultLines: results.length,
    measuredRuns: measured.length,
    failedRuns: measured.filter((l) => l.state !== 'ok').length,
    configs,
    headline: headline(configs, cores),
  };
}

/** Before: `single` (one ffmpeg, same thread limit). After: the fastest chunked configuration doing the same work. */
export function headline(configs: ConfigSummary[], cores: number): Headline | null {
  const candidates = configs.filter((c) => c.config.mode === 'chunked' && c.speedup.single && c.wallMs);
  const best = candidates.sort((a, b) => (a.wallMs?.mean ?? Infinity) - (b.wallMs?.mean ?? Infinity))[0];
  const before = best && configs.find((c) => c.configId === best.speedup.single?.baselineId);
  if (!best?.wallMs || !before?.wallMs || !best.speedup.single) return null;
  return {
    before: { configId: before.configId, label: before.label, wallMs: before.wallMs },
    after: { configId: best.configId, label: best.label, wallMs: best.wallMs },
    speedup: best.speedup.single,
    cores,
  };
}
