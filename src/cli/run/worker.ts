// The work of `chunkbench worker` (flags in ../commands/worker.ts): wires flags to startQueueWorker and
// handles shutdown.
import { hostname } from 'node:os';
import { startQueueWorker } from '../../executors/queueWorker.ts';
import { displayUrl } from '../../executors/redis.ts';
import { exitWithError } from '../common.ts';
import type { WorkerArgs } from '../commands/worker.ts';
import type { TransportKind } from '../../transport/types.ts';

/** Starts the worker; it runs until a signal or a Redis lost for longer than --redis-retry-s. */
export async function run(argv: WorkerArgs): Promise<void> {
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
      transport: argv.transport as TransportKind,
      ...(argv['work-dir'] !== undefined ? { workDir: argv['work-dir'] } : {}),
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
}
