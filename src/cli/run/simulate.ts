// The work of `chunkbench simulate` (flags in ../commands/simulate.ts): flags → simulateRun → print.
import { relative } from 'node:path';
import { findRunDir } from '../../harness/store.ts';
import { parseWorkerList } from '../../simulate/args.ts';
import { formatProjection } from '../../simulate/format.ts';
import { simulateRun } from '../../simulate/index.ts';
import { exitWithError } from '../common.ts';
import type { SimulateArgs } from '../commands/simulate.ts';

/** Projects the run, prints the tables (or JSON) and writes <run>/projection.json. */
export async function run(argv: SimulateArgs): Promise<void> {
  try {
    const workers = parseWorkerList(argv.workers);
    const dir = findRunDir(String(argv.run));
    const projection = simulateRun(dir, {
      workers,
      durationSeconds: argv.durationS,
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
}
