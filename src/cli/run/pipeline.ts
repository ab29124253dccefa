// The work of `chunkbench pipeline` (flags in ../commands/pipeline.ts): flags → resolveOptions →
// runPipeline → print.
import { parseSegment, resolveOptions } from '../../pipeline/options.ts';
import { runPipeline } from '../../pipeline/run.ts';
import type { Codec, Mode, RunRecord, SplitStrategy } from '../../pipeline/types.ts';
import { ChunkbenchError } from '../../errors.ts';
import { formatRun } from '../format.ts';
import { exitWithError, interruptController } from '../common.ts';
import type { PipelineArgs } from '../commands/pipeline.ts';
import { resolveBinaries } from '../../ffmpeg/binaries.ts';
import { transportFromArgs } from '../../transport/options.ts';

/** One pipeline run; exit code 0 when it succeeded and verified, 1 when it failed. */
export async function run(argv: PipelineArgs): Promise<void> {
  const { controller } = interruptController();
  try {
    const options = await resolveOptions({
      input: argv.input,
      out: argv.out,
      mode: argv.mode as Mode,
      workers: argv.workers,
      segmentSeconds: parseSegment(argv.segment),
      split: argv.split as SplitStrategy,
      codec: argv.codec as Codec,
      preset: argv.preset,
      filter: argv.filter,
      threads: argv.threads,
      crf: argv.crf,
      workDir: argv['work-dir'],
      keep: argv.keep,
      retries: argv.retries,
      chunkTimeoutMs: argv.chunkTimeoutMs ?? null,
      timeoutFactor: argv['timeout-factor'],
      speculate: argv.speculate,
      injectFaults: argv['inject-faults'],
      injectStalls: argv['inject-stalls'],
      faultSeed: argv['fault-seed'],
    });
    if (argv.executor === 'queue' && !argv.redis) throw new ChunkbenchError('--executor queue needs --redis URL (e.g. redis://127.0.0.1:6379) and workers started with `chunkbench worker --redis URL`');
    if (argv.redis && argv.executor !== 'queue') throw new ChunkbenchError('--redis is only used with --executor queue');
    // BullMQ is loaded only when asked for (~19 MB and ~0.2 s of start-up)
    if (argv.executor !== 'queue' && argv.transport !== 'shared') throw new ChunkbenchError('--transport http is only used with --executor queue');
    // the http data plane (--transport http) is started first; the executor owns it from then on
    const transport = argv.executor === 'queue' ? await transportFromArgs(argv, resolveBinaries, (line) => process.stderr.write(`chunkbench: data plane: ${line}\n`)) : undefined;
    const executor = argv.executor === 'queue' ? await (await import('../../executors/queue.ts')).queueExecutor({ redisUrl: argv.redis as string, queueName: argv.queue, ...(transport ? { transport } : {}) }) : undefined;
    let record: RunRecord;
    try {
      record = await runPipeline(options, { signal: controller.signal, ...(executor ? { executor } : {}) });
    } finally {
      await executor?.close?.();
    }
    if (controller.signal.aborted) exitInterrupted();
    process.stdout.write(argv.json ? `${JSON.stringify(record)}\n` : formatRun(record));
    process.exitCode = record.state === 'ok' ? 0 : 1;
  } catch (error) {
    // once interrupted, an error is the interrupt's doing (a child killed by the terminal's SIGINT mid-probe
    // or mid-verify): report the interrupt, not the error (seen once under load: exit 2 instead of 130)
    if (controller.signal.aborted) exitInterrupted();
    exitWithError(error);
  }
}

function exitInterrupted(): never {
  process.stderr.write('chunkbench: interrupted: every ffmpeg was stopped and the temp work directory removed; no output was written\n');
  process.exit(130);
}
