// `chunkbench simulate <run>`: the cluster-scale projection of a stored run (a model, checked on the run).
import type { Argv } from 'yargs';
import { defineCommand, renamed, runArgument, type ArgsOf } from './define.ts';

/** As simulate/index.ts's defaults (not imported: --help would load the simulation and the statistics). */
const DEFAULTS = { coordinatorMbps: 10_000, queueLatencyMs: 5, replications: 20 };

const builder = (y: Argv) =>
  renamed(
    runArgument(y, 'The stored run to project')
      .usage("$0 simulate <run> [options]\n\nProject a stored run to cluster scale with a discrete-event simulation driven by its measured costs (a model, not a measurement), checked against the run's own measured points: in-sample, and held out (each configuration predicted by the model refitted without it), each beside its measured 95% CI. Writes <run>/projection.json.")
      .option('run', { type: 'string', hidden: true, describe: 'deprecated: give the run as the first argument' })
      .option('workers', { type: 'string', default: '1..1024', describe: 'Worker counts: a list (1,2,4) or a doubling range (1..1024)' })
      .option('duration-s', { type: 'number', default: 7200, describe: 'Length of the projected video, seconds' })
      .option('bandwidth-mbps', { type: 'number', describe: "Each worker's link, Mbit/s (default: what the run's chunk uploads over HTTP imply, else 1000)" })
      .option('coordinator-mbps', { type: 'number', default: DEFAULTS.coordinatorMbps, describe: "The coordinator's link, shared by every transfer, Mbit/s" })
      .option('queue-latency-ms', { type: 'number', describe: `Dispatch latency per chunk, ms (default: the run's measured queue wait, else ${DEFAULTS.queueLatencyMs})` })
      .option('segment', { type: 'number', describe: "Segment length, seconds (default: the configuration's)" })
      .option('config', { type: 'string', describe: "Configuration id (or unique id prefix, or label) to project (default: the worker sweep's centre)" })
      .option('replications', { type: 'number', default: DEFAULTS.replications, describe: 'Noisy replications per worker count for the range (0: none)' })
      .option('segments', { type: 'string', describe: "Answer 'which segment length?' instead: these lengths (seconds, and/or auto) for --duration-s on one --workers count (default: the configuration's)" })
      .option('json', { type: 'boolean', default: false, describe: 'Print projection.json instead of the tables' }),
    'duration',
    'duration-s',
    'number',
  )
    .check((a) => (a.run ? true : 'give the run: a run id from reports/ or its directory'))
    .example('$0 simulate 20261130-081107-default --workers 1..1024 --duration-s 7200', 'a 2-hour video on 1 to 1024 workers, from a stored run')
    .example('$0 simulate 20261130-081107-default --workers 1,2,4,8 --bandwidth-mbps 100 --json', 'slower links, as JSON')
    .example('$0 simulate 20261130-081107-default --segments 2,5,10,30,auto --duration-s 180 --workers 4', 'which segment length for a 3-minute video on 4 workers');

export type SimulateArgs = ArgsOf<typeof builder>;

export const simulate = defineCommand({
  builder,
  run: async (argv) => (await import('../run/simulate.ts')).run(argv),
});
