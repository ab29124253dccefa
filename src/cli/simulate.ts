// `npm run simulate -- --run reports/<run-id> --workers 1..1024 --duration 7200`: the cluster-scale
// projection of a stored run (a model, checked on the run's own points in-sample and with each configuration
// left out of the fit), printed and written to <run>/projection.json. This file only wires stages together:
// flags → simulateRun → print.
import { relative } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ChunkbenchError } from '../errors.ts';
import { findRunDir } from '../harness/store.ts';
import { parseWorkerList } from '../simulate/args.ts';
import { formatProjection } from '../simulate/format.ts';
import { DEFAULT_COORDINATOR_MBPS, DEFAULT_QUEUE_LATENCY_MS, DEFAULT_REPLICATIONS, simulateRun } from '../simulate/index.ts';
import { exitWithError } from './common.ts';

const argv = await yargs(hideBin(process.argv))
  .scriptName('npm run simulate --')
  .usage('$0 --run <run> [options]\n\nProject a stored run to cluster scale with a discrete-event simulation driven by its measured costs (a model, not a measurement), checked against the run\'s own measured points: in-sample, and held out (each configuration predicted by the model refitted without it), each beside its measured 95% CI.')
  .option('run', { type: 'string', demandOption: true, describe: 'The stored run: a run id from reports/ or its directory' })
  .option('workers', { type: 'string', default: '1..1024', describe: 'Worker counts: a list (1,2,4) or a doubling range (1..1024)' })
  .option('duration', { type: 'number', default: 7200, describe: 'Length of the projected video, seconds' })
  .option('bandwidth-mbps', { type: 'number', default: 1000, describe: "Each worker's link, Mbit/s" })
  .option('coordinator-mbps', { type: 'number', default: DEFAULT_COORDINATOR_MBPS, describe: "The coordinator's link, shared by every transfer, Mbit/s" })
  .option('queue-latency-ms', { type: 'number', describe: `Dispatch latency per chunk, ms (default: the run's measured queue wait, else ${DEFAULT_QUEUE_LATENCY_MS})` })
  .option('segment', { type: 'number', describe: "Segment length, seconds (default: the configuration's)" })
  .option('config', { type: 'string', describe: "Configuration id (or unique id prefix, or label) to project (default: the worker sweep's centre)" })
  .option('replications', { type: 'number', default: DEFAULT_REPLICATIONS, describe: 'Noisy replications per worker count for the range (0: none)' })
  .option('json', { type: 'boolean', default: false, describe: 'Print projection.json instead of the tables' })
  .strict()
  .fail((message, error) => exitWithError(error ?? new Error(`${message}; see --help`)))
  .help()
  .parseAsync();

try {
  const workers = parseWorkerList(argv.workers);
  let dir: string;
  try {
    dir = findRunDir(argv.run);
  } catch (error) {
    throw error instanceof ChunkbenchError ? new ChunkbenchError(`--run ${error.message}`) : error;
  }
  const projection = simulateRun(dir, {
    workers,
    durationSeconds: argv.duration,
    bandwidthMbps: argv['bandwidth-mbps'],
    coordinatorMbps: argv['coordinator-mbps'],
    queueLatencyMs: argv['queue-latency-ms'],
    segmentSeconds: argv.segment,
    configId: argv.config,
    replications: argv.replications,
  });
  const { path, ...data } = projection;
  process.stdout.write(argv.json ? `${JSON.stringify(data, null, 2)}\n` : formatProjection(data, relative(process.cwd(), path) || path));
} catch (error) {
  exitWithError(error);
}
