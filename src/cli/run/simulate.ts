// The work of `chunkbench simulate` (flags in ../commands/simulate.ts): flags → simulateRun → print.
import { relative } from 'node:path';
import { findRunDir } from '../../harness/store.ts';
import { parseWorkerList } from '../../simulate/args.ts';
import { formatProjection, formatSegmentAnswer } from '../../simulate/format.ts';
import { pickConfig, simulateRun } from '../../simulate/index.ts';
import { parseSegmentList, segmentAnswer } from '../../simulate/segments.ts';
import { ChunkbenchError } from '../../errors.ts';
import { readMeta, readResults } from '../../harness/store.ts';
import { exitWithError } from '../common.ts';
import type { SimulateArgs } from '../commands/simulate.ts';

/** Projects the run, prints the tables (or JSON) and writes <run>/projection.json. */
export async function run(argv: SimulateArgs): Promise<void> {
  try {
    const workers = parseWorkerList(argv.workers);
    const dir = findRunDir(String(argv.run));
    if (argv.segments !== undefined) {
      printSegmentAnswer(dir, argv, workers);
      return;
    }
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

/** `--segments`: one worker count (the flag's default range means "not given": the configuration's own). */
function printSegmentAnswer(dir: string, argv: SimulateArgs, workers: number[]): void {
  const candidates = parseSegmentList(String(argv.segments));
  const meta = readMeta(dir);
  const results = readResults(dir);
  const given = argv.workers !== '1..1024';
  if (given && workers.length !== 1) throw new ChunkbenchError(`--workers: --segments answers for one worker count, got ${workers.length} (${argv.workers}); give one, e.g. --workers 4`);
  // the configuration the answer is about, chosen as the projection chooses it: its own worker count is the default
  const own = pickConfig(meta, results, argv.config);
  const answer = segmentAnswer(meta, results, {
    workers: given ? (workers[0] as number) : own.workers,
    durationSeconds: argv.durationS,
    candidates,
    bandwidthMbps: argv['bandwidth-mbps'],
    coordinatorMbps: argv['coordinator-mbps'],
    queueLatencyMs: argv['queue-latency-ms'],
    configId: argv.config,
    replications: argv.replications,
  });
  process.stdout.write(argv.json ? `${JSON.stringify(answer, null, 2)}\n` : formatSegmentAnswer(answer));
}
