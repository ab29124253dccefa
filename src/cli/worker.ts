// `npm run worker -- --redis URL --concurrency N`: a queue worker that runs chunk jobs from
// `npm run pipeline -- --executor queue --redis URL …` on this machine, until Ctrl-C or SIGTERM.
// This file only wires flags to startQueueWorker and handles shutdown.
import { hostname } from 'node:os';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { DEFAULT_QUEUE_NAME } from '../executors/queueJob.ts';
import { startQueueWorker } from '../executors/queueWorker.ts';
import { DEFAULT_REDIS_RETRY_SECONDS, displayUrl } from '../executors/redis.ts';
import { exitWithError } from './common.ts';

const argv = await yargs(hideBin(process.argv))
  .scriptName('npm run worker --')
  .usage('$0 --redis URL [options]\n\nRun chunk jobs from the queue on this machine. The run\'s work directory (and the input) must be visible here under the same path as on the coordinator.')
  .option('redis', { type: 'string', describe: 'Redis URL, e.g. redis://127.0.0.1:6379', demandOption: true })
  .option('concurrency', { alias: 'c', type: 'number', default: 1, describe: 'Chunk jobs (ffmpeg processes) run at once' })
  .option('queue', { type: 'string', default: DEFAULT_QUEUE_NAME, describe: 'BullMQ queue name (the coordinator\'s --queue)' })
  .option('name', { type: 'string', describe: 'Worker name in chunk records (default hostname:pid)' })
  .option('lock-duration-ms', { type: 'number', default: 30_000, describe: 'A job whose worker has not renewed its lock for this long is given to another worker' })
  .option('redis-retry-s', { type: 'number', default: DEFAULT_REDIS_RETRY_SECONDS, describe: 'A lost Redis is retried with backoff for this long, then the worker exits (status 1)' })
  .option('stalled-interval-ms', { type: 'number', default: 30_000, describe: 'How often to look for such jobs' })
  .strict()
  .fail((message, error) => exitWithError(error ?? new Error(`${message}; see --help`)))
  .help()
  .parseAsync();

const name = argv.name ?? `${hostname()}:${process.pid}`;
const log = (line: string) => process.stderr.write(`chunkbench worker ${name}: ${line}\n`);
try {
  const worker = await startQueueWorker({
    redisUrl: argv.redis,
    concurrency: argv.concurrency,
    queueName: argv.queue,
    name,
    lockDurationMs: argv['lock-duration-ms'],
    stalledIntervalMs: argv['stalled-interval-ms'],
    log,
    redisRetrySeconds: argv['redis-retry-s'],
    onRedisLost: () => {
      process.stderr.write(`chunkbench: worker ${name}: Redis at ${displayUrl(argv.redis)} unreachable for ${argv['redis-retry-s']} s (--redis-retry-s); exiting\n`);
      process.exit(1);
    },
  });
  // ffmpeg children of a worker that exits any other way must not outlive it
  process.on('exit', () => {
    for (const pid of worker.childPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    log(`${signal} received: stopping ffmpeg and giving active jobs back to the queue (press Ctrl-C again to exit at once)`);
    worker.close().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (error: unknown) => exitWithError(error),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
} catch (error) {
  exitWithError(error);
}
