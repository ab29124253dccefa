// `chunkbench check`: the CI gate (`npm run check`).
import type { Argv } from 'yargs';
import { EXPERIMENTS_DIR } from '../../grid/load.ts';
import { binaryOptions, defineCommand, type ArgsOf } from './define.ts';
import { join } from 'node:path';

const builder = (y: Argv) =>
  binaryOptions(
    y
      .usage("$0 check [options]\n\nRun the ci grid and fail when the pipeline became less parallel: the schedule's efficiency against the baseline, and the speedup's share of this machine's own 2-way ceiling (measured in the same rounds) against a floor. Exit 1 on a regression or a failed run.")
      .option('grid', { type: 'string', default: 'ci', describe: 'The grid to run (needs chunked w2 as its centre and single)' })
      .option('baseline', { type: 'string', default: join(EXPERIMENTS_DIR, 'baselines', 'ci.json'), defaultDescription: 'experiments/baselines/ci.json', describe: 'Baseline file' })
      .option('tolerance', { type: 'number', default: 0.1, describe: 'The loss of schedule efficiency that counts (0.1 = 10%)' })
      .option('max-rounds', { type: 'number', default: 16, describe: "Rounds at most (the grid's own rounds come first; more are added until the test decides)" })
      .option('update-baseline', { type: 'boolean', default: false, describe: 'Measure --baseline-sessions separate sessions of half --max-rounds each and write them as the new baseline' })
      .option('from-runs', { type: 'string', array: true, describe: "With --update-baseline: build the baseline from these stored runs of the grid (run ids or directories, one session each) instead of measuring; sessions spread over an hour average out the machine's drift" })
      .option('baseline-sessions', { type: 'number', default: 3, describe: 'Sessions a new baseline averages (with --update-baseline)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the verdict as JSON' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress output' }),
  )
    .check((a) => (a.tolerance > 0 && a.tolerance < 1 ? true : `--tolerance: expected a fraction between 0 and 1, received ${a.tolerance}`))
    .check((a) => (Number.isInteger(a['max-rounds']) && a['max-rounds'] >= 3 ? true : `--max-rounds: expected an integer ≥ 3, received ${a['max-rounds']}`))
    .check((a) => (Number.isInteger(a['baseline-sessions']) && a['baseline-sessions'] >= 1 ? true : `--baseline-sessions: expected an integer ≥ 1, received ${a['baseline-sessions']}`))
    .check((a) => (a['from-runs'] && !a['update-baseline'] ? '--from-runs: only with --update-baseline (it says which stored runs a new baseline is built from)' : true))
    .example('$0 check', 'judge this code against the committed baseline (about a minute)')
    .example('$0 check --json', 'the verdict as one JSON object, for tools')
    .example('$0 check --update-baseline --from-runs RUN1 RUN2 RUN3', 'a new baseline from stored sessions of unchanged code spread over time');

export type CheckArgs = ArgsOf<typeof builder>;

export const check = defineCommand({
  builder,
  run: async (argv) => (await import('../run/check.ts')).run(argv),
});
