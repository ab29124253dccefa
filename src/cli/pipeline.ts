// `npm run pipeline -- --input F …`: one pipeline run, printed as a phase table (or one JSON record).
// This file only wires stages together: flags → resolveOptions → runPipeline → print.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { PRESETS } from '../pipeline/encode.ts';
import { filterChoices } from '../pipeline/filters.ts';
import { DEFAULTS, resolveOptions } from '../pipeline/options.ts';
import { runPipeline } from '../pipeline/run.ts';
import { CODECS, MODES, SPLIT_STRATEGIES, type Codec, type Mode, type RunRecord, type SplitStrategy } from '../pipeline/types.ts';
import { ChunkbenchError } from '../errors.ts';
import { DEFAULT_QUEUE_NAME } from '../executors/queueJob.ts';
import { formatRun } from './format.ts';
import { exitWithError, interruptController } from './common.ts';

const argv = await yargs(hideBin(process.argv))
  .scriptName('npm run pipeline --')
  .usage('$0 --input FILE [options]\n\nSplit a video into chunks, process them in parallel with ffmpeg, merge, and verify frame-exactly.')
  .option('input', { alias: 'i', type: 'string', describe: 'Source video (a missing fixtures/<name>.* is generated)', demandOption: true })
  .option('workers', { alias: 'w', type: 'number', default: DEFAULTS.workers, describe: 'Parallel ffmpeg workers (chunked mode)' })
  .option('segment', { alias: 's', type: 'number', default: DEFAULTS.segmentSeconds, describe: 'Segment length in seconds' })
  .option('split', { type: 'string', choices: SPLIT_STRATEGIES, default: DEFAULTS.split, describe: 'exact: frame-exact ranges; copy: stream-copy at keyframes' })
  .option('preset', { type: 'string', default: DEFAULTS.preset, describe: `Encoder preset: ${PRESETS.join(', ')}` })
  .option('codec', { type: 'string', choices: CODECS, default: DEFAULTS.codec, describe: 'Video encoder' })
  .option('filter', { type: 'string', default: DEFAULTS.filter, describe: `Video filter: ${filterChoices()}` })
  .option('crf', { type: 'number', describe: 'Constant quality (default: 23 x264, 28 x265, 33 vp9; 0 = lossless x264)' })
  .option('threads', { type: 'number', default: DEFAULTS.threads, describe: 'Threads per worker for decoder, filters and encoder alike' })
  .option('mode', { type: 'string', choices: MODES, default: DEFAULTS.mode, describe: 'chunked | sequential (same chunks, 1 worker) | single (one ffmpeg, same thread limit) | single-mt (one ffmpeg, all cores)' })
  .option('out', { alias: 'o', type: 'string', describe: 'Write the output here (default: a temp file, discarded)' })
  .option('work-dir', { type: 'string', describe: 'Parent of the temp work directory (default: the OS temp dir; /dev/shm for tmpfs)' })
  .option('keep', { type: 'boolean', default: false, describe: 'Keep the temp work directory (chunks, lists) for inspection' })
  .option('retries', { type: 'number', default: DEFAULTS.retries, describe: 'Retries of a failed, killed or timed-out chunk, on another worker where there is one' })
  .option('chunk-timeout', { type: 'number', describe: `Per-attempt timeout in ms (default: --timeout-factor × the chunk's expected time, once a chunk has finished)` })
  .option('timeout-factor', { type: 'number', default: DEFAULTS.timeoutFactor, describe: 'Derived timeout: this many times the median chunk time per second of video × the chunk length' })
  .option('speculate', { type: 'number', default: DEFAULTS.speculate, describe: 'Back up a chunk running longer than this × its expected time while a worker idles; first result wins (0: off)' })
  .option('inject-faults', { type: 'number', default: DEFAULTS.injectFaults, describe: "Experiments: probability that a chunk's first attempt is SIGKILLed at a random point of its run" })
  .option('inject-stalls', { type: 'number', default: DEFAULTS.injectStalls, describe: "Experiments: probability that a chunk's first attempt hangs (SIGSTOP) at a random point: a straggler" })
  .option('fault-seed', { type: 'number', default: DEFAULTS.faultSeed, describe: 'Seed of the fault draws (the same seed hits the same chunks)' })
  .option('executor', { type: 'string', choices: ['local', 'queue'], default: 'local', describe: 'Where chunks run: local child processes, or BullMQ jobs on Redis run by `npm run worker`' })
  .option('redis', { type: 'string', describe: 'Redis URL for --executor queue, e.g. redis://127.0.0.1:6379' })
  .option('queue', { type: 'string', default: DEFAULT_QUEUE_NAME, describe: "BullMQ queue name (the workers' --queue)" })
  .option('json', { type: 'boolean', default: false, describe: 'Print one JSON run record instead of the table' })
  .strict()
  .wrap(Math.min(140, process.stdout.columns ?? 140))
  .fail((message, error) => exitWithError(error ?? new Error(`${message}; see --help`)))
  .help()
  .parseAsync();

const { controller } = interruptController();
try {
  const options = await resolveOptions({
    input: argv.input,
    out: argv.out,
    mode: argv.mode as Mode,
    workers: argv.workers,
    segmentSeconds: argv.segment,
    split: argv.split as SplitStrategy,
    codec: argv.codec as Codec,
    preset: argv.preset,
    filter: argv.filter,
    threads: argv.threads,
    crf: argv.crf,
    workDir: argv['work-dir'],
    keep: argv.keep,
    retries: argv.retries,
    chunkTimeoutMs: argv['chunk-timeout'] ?? null,
    timeoutFactor: argv['timeout-factor'],
    speculate: argv.speculate,
    injectFaults: argv['inject-faults'],
    injectStalls: argv['inject-stalls'],
    faultSeed: argv['fault-seed'],
  });
  if (argv.executor === 'queue' && !argv.redis) throw new ChunkbenchError('--executor queue needs --redis URL (e.g. redis://127.0.0.1:6379) and workers started with npm run worker -- --redis URL');
  if (argv.redis && argv.executor !== 'queue') throw new ChunkbenchError('--redis is only used with --executor queue');
  // BullMQ is loaded only when asked for (~19 MB and ~0.2 s of start-up)
  const executor = argv.executor === 'queue' ? await (await import('../executors/queue.ts')).queueExecutor({ redisUrl: argv.redis as string, queueName: argv.queue }) : undefined;
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

function exitInterrupted(): never {
  process.stderr.write('chunkbench: interrupted: every ffmpeg was stopped and the temp work directory removed; no output was written\n');
  process.exit(130);
}
