// `chunkbench experiment --grid NAME|FILE`: the main job (`npm run experiment -- --grid default`).
import type { Argv } from 'yargs';
import { gridNames } from '../../grid/load.ts';
import { binaryOptions, defineCommand, renamed, type ArgsOf } from './define.ts';

const builder = (y: Argv) =>
  binaryOptions(
    renamed(
      y
        .usage('$0 experiment --grid NAME|FILE [options]\n\nRun the pipeline over a parameter grid, interleaved and repeated, and store every run in reports/<run-id>/ (results.jsonl, summary, report).')
        .option('grid', { alias: 'g', type: 'string', describe: `A grid in experiments/ (${gridNames().join(', ')}) or a path to a grid JSON file` })
        .option('resume', { type: 'string', describe: 'Continue a stopped run (a run id from reports/ or its directory)' })
        .option('repeats', { type: 'number', describe: "Override the grid's repeats" })
        .option('seed', { type: 'number', describe: "Override the grid's seed for the run order" })
        .option('budget-s', { type: 'number', describe: "Seconds the whole run may take (overrides the grid's budgetSeconds): after the grid's rounds, rounds of the headline configurations are added until the headline's 95% CI is within ±3% or the budget is spent" })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Print the expanded grid and an estimated duration, run nothing' })
        .option('report', { type: 'boolean', default: true, describe: 'Render the HTML report at the end (--no-report to skip)' })
        .option('redis', { type: 'string', describe: 'Redis URL for configurations with executor queue (default: a private redis-server for the run); queue workers are started on this machine' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress output' })
        .option('ignore-failures', { type: 'boolean', default: false, describe: 'Exit 0 even when measured runs failed (they are still listed); without it any failed measured run makes the exit code 1' }),
      'budget',
      'budget-s',
      'number',
    ),
  )
    .check((a) => (a.grid || a.resume ? true : 'give --grid NAME|FILE, or --resume RUN_ID'))
    .check((a) => {
      const budget = a.budgetS as number | undefined;
      return budget === undefined || (Number.isFinite(budget) && budget > 0) ? true : `--budget-s: expected a positive number of seconds, received ${String(budget)}`;
    })
    .example('$0 experiment --grid quick', 'two minutes: sequential vs parallel, both baselines, and the report')
    .example('$0 experiment --grid default', 'the main job, about 10 minutes on 2 cores')
    .example('$0 experiment --grid default --dry-run', 'the configurations and an estimated duration; nothing runs')
    .example('$0 experiment --resume 20261130-081107-default', 'continue a run that was stopped');

export type ExperimentArgs = ArgsOf<typeof builder>;

export const experiment = defineCommand({
  builder,
  run: async (argv) => (await import('../run/experiment.ts')).run(argv),
});
