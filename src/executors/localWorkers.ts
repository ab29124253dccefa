// Queue workers on this machine, for experiments with `executor: queue`: separate processes, as
// `npm run worker` starts them on any machine, so the queue's cost is measured across process boundaries.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ChunkbenchError } from '../errors.ts';
import { stopChild } from '../ffmpeg/exec.ts';

export interface LocalWorkers {
  names: string[];
  stop(): Promise<void>;
}

// `chunkbench worker`, run the way this process runs: compiled (dist/, plain Node) or from source (tsx)
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = join(import.meta.dirname, '..', 'cli', FROM_SOURCE ? 'worker.ts' : 'worker.js');
const NODE_ARGS = FROM_SOURCE ? ['--import', 'tsx'] : [];

/** Starts `count` single-slot workers on the queue and resolves once every one is listening. */
export async function startLocalWorkers(redisUrl: string, queueName: string, count: number, timeoutMs = 60_000): Promise<LocalWorkers> {
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => stopChild(child, 5000)));
  };
  process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));
  const names = Array.from({ length: count }, (_, i) => `local-w${i}`);
  try {
    await Promise.all(
      names.map(
        (name) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, [...NODE_ARGS, ENTRY, '--redis', redisUrl, '--queue', queueName, '--name', name, '--concurrency', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
            children.push(child);
            let stderr = '';
            const timer = setTimeout(() => reject(new ChunkbenchError(`queue worker ${name} did not start within ${timeoutMs} ms: ${stderr.trim()}`)), timeoutMs);
            child.stderr?.on('data', (chunk: Buffer) => {
              stderr += chunk.toString();
              if (/listening on/.test(stderr)) {
                clearTimeout(timer);
                resolve();
              }
            });
            child.once('exit', (code) => {
              clearTimeout(timer);
              reject(new ChunkbenchError(`queue worker ${name} exited (code ${code}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
            });
          }),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { names, stop };
}
