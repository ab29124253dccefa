// Stored run → one cost model per family of configurations (costModel.ts). Pure: meta.json and the result
// lines in, models out. The family with the most distinct chunk lengths is fitted first and is the
// reference the others borrow unidentifiable parameters from (the per-chunk startup, the merge cost per
// chunk): those do not depend on the preset or filter much, and a one-length family cannot measure them.
// A family whose runs recorded no ffmpeg rtime gets no model (its configurations drop out of the validation).
import type { GridConfig } from '../grid/expand.ts';
import type { ResultLine, RunMeta } from '../harness/store.ts';
import { familyKey, familyOf, fitCostModel, type CalibrationRun, type CostModel } from './costModel.ts';

/** Successful measured (non-warmup) chunked/sequential runs, by configuration id. Runs with injected
 * faults or stalls are left out: the model has no failures in it, so they would neither calibrate nor
 * validate it honestly. */
export function measuredRuns(results: readonly ResultLine[]): Map<string, CalibrationRun[]> {
  const byConfig = new Map<string, CalibrationRun[]>();
  for (const line of results) {
    if (line.warmup || line.state !== 'ok' || !line.record || line.record.state !== 'ok') continue;
    const mode = line.record.config.mode;
    if (mode !== 'chunked' && mode !== 'sequential') continue;
    if ((line.record.config.injectFaults ?? 0) > 0 || (line.record.config.injectStalls ?? 0) > 0) continue;
    byConfig.set(line.configId, [...(byConfig.get(line.configId) ?? []), { configId: line.configId, record: line.record }]);
  }
  return byConfig;
}

/** Models keyed by family (familyKey); each is labelled after the first configuration of its family. */
export function fitFamilies(meta: RunMeta, results: readonly ResultLine[]): Map<string, CostModel> {
  const runs = measuredRuns(results);
  const families = new Map<string, GridConfig[]>();
  for (const config of meta.configs) {
    if (!runs.has(config.id)) continue;
    const key = familyKey(config);
    if (!families.has(key)) families.set(key, familyOf(config, meta.configs).filter((c) => runs.has(c.id)));
  }
  const lengths = (configs: GridConfig[]) => new Set(configs.flatMap((c) => (runs.get(c.id) ?? []).flatMap((r) => r.record.chunks.map((ch) => ch.durationSeconds.toFixed(2))))).size;
  const ordered = [...families.entries()].sort((a, b) => lengths(b[1]) - lengths(a[1]));
  const models = new Map<string, CostModel>();
  let reference: CostModel | undefined;
  for (const [key, configs] of ordered) {
    const head = configs[0];
    if (!head) continue;
    let model: CostModel;
    try {
      model = fitCostModel(configs.flatMap((c) => runs.get(c.id) ?? []), { configId: head.id, label: head.label, familyIds: configs.map((c) => c.id), cores: meta.machine.cores, reference });
    } catch (error) {
      // a family without timed chunks (no ffmpeg rtime recorded) has no model; the others still do
      if (error instanceof RangeError) continue;
      throw error;
    }
    reference ??= model;
    models.set(key, model);
  }
  return models;
}

/** The model for one configuration, relabelled after it. */
export function modelFor(config: GridConfig, models: Map<string, CostModel>): CostModel | undefined {
  const model = models.get(familyKey(config));
  return model && { ...model, configId: config.id, label: config.label };
}
