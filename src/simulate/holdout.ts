// Leave-one-configuration-out refits for the validation (validate.ts). Cross-validation (Stone 1974,
// "Cross-validatory choice and assessment of statistical predictions", JRSS B 36; Hastie, Tibshirani &
// Friedman, The Elements of Statistical Learning, 2nd ed. 2009, §7.10) with the configuration as the fold:
// a configuration's repeated runs share its chunk lengths and worker count, so leaving out single runs
// would leave its twins in the fit and measure nothing. For each configuration the whole calibration
// (calibrate.ts: every family, the reference family chosen again) is redone on the result lines without
// that configuration's runs, and the configuration is predicted from that refit alone.
//
// A configuration cannot be left out when the refit would lack what its prediction needs, and then it gets
// a reason instead of a prediction (never a silent in-sample stand-in):
//   - no other configuration does its work (its family has no other timed runs): nothing left measures its
//     cost per second of video;
//   - its runs are the family's only ones within the core count: the refit's chunk times would come from
//     time-shared runs alone, which the cost model is not fitted on (costModel.ts marks such a fit
//     'calibrated-past-core-count').
// Pure: meta.json and the result lines in, a model or a reason out.
import type { GridConfig } from '../grid/expand.ts';
import { workWords } from '../report/labels.ts';
import type { ResultLine, RunMeta } from '../harness/store.ts';
import { fitFamilies, modelFor } from './calibrate.ts';
import type { CostModel } from './costModel.ts';

/** The refit for one left-out configuration, or why there is none. */
export type HeldOutFit = { state: 'fitted'; model: CostModel } | NotHeldOut;

/** Why a configuration cannot be left out: `cause` for code, `reason` in words. */
export interface NotHeldOut {
  state: 'not-held-out';
  cause: 'only-configuration-of-its-work' | 'only-runs-within-cores';
  reason: string;
}

const PAST_CORES = 'calibrated-past-core-count';

/** The result lines without any of `configId`'s runs (warmups included, so nothing of it is left). */
export function withoutConfig(results: readonly ResultLine[], configId: string): ResultLine[] {
  return results.filter((line) => line.configId !== configId);
}

/** The cost model for `config` refitted on every configuration but itself, or why it cannot be. `inSample`
 * is the model fitted with it, to tell a fallback the refit forces from one the full fit already had. */
export function fitWithout(meta: RunMeta, results: readonly ResultLine[], config: GridConfig, inSample: CostModel): HeldOutFit {
  const model = modelFor(config, fitFamilies(meta, withoutConfig(results, config.id)));
  if (!model) return { state: 'not-held-out', cause: 'only-configuration-of-its-work', reason: `the only configuration doing its work (${workWords(config)}): without it nothing measures that work's cost per second of video` };
  if (model.borrowed.includes(PAST_CORES) && !inSample.borrowed.includes(PAST_CORES)) {
    return { state: 'not-held-out', cause: 'only-runs-within-cores', reason: `its runs are the only ones of its family within the ${meta.machine.cores} cores: without them the chunk times would come from time-shared runs alone` };
  }
  return { state: 'fitted', model };
}
