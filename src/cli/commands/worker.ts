// `chunkbench worker --redis URL`: runs chunk jobs of `chunkbench pipeline --executor queue` on this machine.
import type { Argv } from 'yargs';
import { DEFAULT_QUEUE_NAME } from '../../executors/queueJob.ts';
import { binaryOptions, defineCommand, type ArgsOf } from './define.ts';

/** As executors/redis.ts's DEFAULT_REDIS_RETRY_SECONDS (not imported: it would load ioredis for --help). */
const REDIS_RETRY_S = 180;

const builder = (y: Argv) =>
  binaryOptions(
    y
      .usage("$0 worker --redis URL [options]\n\nRun chunk jobs from the queue on this machine until Ctrl-C or SIGTERM. With --transport shared (default) the run's work directory and the input must be visible here under the same path as on the coordinator; with --transport http this machine needs nothing but the network (docs/scale-out.md).")
      .option('redis', { type: 'string', describe: 'Redis URL, e.g. redis://127.0.0.1:6379', demandOption: true })
      .option('concurrency', { alias: 'c', type: 'number', default: 1, describe: 'Chunk jobs (ffmpeg processes) run at once' })
      .option('queue', { type: 'string', default: DEFAULT_QUEUE_NAME, describe: "BullMQ queue name (the coordinator's --queue)" })
      .option('name', { type: 'string', describe: 'Worker name in chunk records (default hostname:pid)' })
      .option('lock-duration-ms', { type: 'number', default: 30_000, describe: 'A job whose worker has not renewed its lock for this long is given to another worker' })
      .option('redis-retry-s', { type: 'number', default: REDIS_RETRY_S, describe: 'A lost Redis is retried with backoff for this long, then the worker exits (status 1)' })
      .option('stalled-interval-ms', { type: 'number', default: 30_000, describe: 'How often to look for such jobs' })
      .option('transport', { type: 'string', choices: ['shared', 'http'], default: 'shared', describe: "shared: this machine sees the coordinator's paths (and also runs http jobs); http: it shares nothing but the network, and refuses jobs that need the coordinator's files (see docs/scale-out.md)" })
      .option('work-dir', { type: 'string', describe: "This worker's own directory for http jobs; ffmpeg runs in it and nothing a job says can write outside it (default: a fresh one in the OS temp dir, removed on exit)" }),
  )
    .example('$0 worker --redis redis://10.0.0.5:6379 --concurrency 2', 'two chunk jobs at a time from the coordinator at 10.0.0.5')
    .example('$0 pipeline --input /shared/clip.mp4 --work-dir /shared/tmp --executor queue --redis redis://10.0.0.5:6379', 'the coordinator, on another machine')
    .example('$0 worker --redis redis://:PASSWORD@10.0.0.5:6379 --transport http', 'a worker that shares no filesystem with the coordinator (which runs with --transport http)');

export type WorkerArgs = ArgsOf<typeof builder>;

export const worker = defineCommand({
  builder,
  run: async (argv) => (await import('../run/worker.ts')).run(argv),
});
