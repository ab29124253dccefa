// `chunkbench pipeline --input FILE|FIXTURE`: one pipeline run, printed as a phase table (or one JSON record).
import type { Argv } from 'yargs';
import { PRESETS } from '../../pipeline/encode.ts';
import { DEFAULT_QUEUE_NAME } from '../../executors/queueJob.ts';
import { filterChoices } from '../../pipeline/filters.ts';
import { DEFAULTS } from '../../pipeline/defaults.ts';
import { CODECS, MODES, SPLIT_STRATEGIES } from '../../pipeline/types.ts';
import { binaryOptions, defineCommand, renamed, type ArgsOf } from './define.ts';
import { TRANSPORT_FLAGS } from '../../transport/options.ts';

const builder = (y: Argv) =>
  binaryOptions(
    renamed(
      y
        .usage('$0 pipeline --input FILE|FIXTURE [options]\n\nSplit a video into chunks, process them in parallel with ffmpeg, merge, and verify frame-exactly; print where the time went.')
        .option('input', { alias: 'i', type: 'string', describe: 'Source video: a path, or a fixture name such as tiny or default (made on first use)', demandOption: true })
        .option('workers', { alias: 'w', type: 'number', default: DEFAULTS.workers, describe: 'Parallel ffmpeg workers (chunked mode)' })
        // a string, so that `auto` gets through; resolveOptions checks it (a number > 0 or auto)
        .option('segment', { alias: 's', type: 'string', default: DEFAULTS.segmentSeconds, describe: 'Segment length in seconds, or auto (chosen after the probe)' })
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
        .option('chunk-timeout-ms', { type: 'number', describe: "Per-attempt timeout in ms (default: --timeout-factor × the chunk's expected time, once a chunk has finished)" })
        .option('timeout-factor', { type: 'number', default: DEFAULTS.timeoutFactor, describe: 'Derived timeout: this many times the median chunk time per second of video × the chunk length' })
        .option('speculate', { type: 'number', default: DEFAULTS.speculate, describe: 'Back up a chunk running longer than this × its expected time while a worker idles; first result wins (0: off)' })
        .option('inject-faults', { type: 'number', default: DEFAULTS.injectFaults, describe: "Experiments: probability that a chunk's first attempt is SIGKILLed at a random point of its run" })
        .option('inject-stalls', { type: 'number', default: DEFAULTS.injectStalls, describe: "Experiments: probability that a chunk's first attempt hangs (SIGSTOP) at a random point: a straggler" })
        .option('fault-seed', { type: 'number', default: DEFAULTS.faultSeed, describe: 'Seed of the fault draws (the same seed hits the same chunks)' })
        .option('executor', { type: 'string', choices: ['local', 'queue'], default: 'local', describe: 'Where chunks run: local child processes, or BullMQ jobs on Redis run by `chunkbench worker`' })
        .option('redis', { type: 'string', describe: 'Redis URL for --executor queue, e.g. redis://127.0.0.1:6379' })
        .option('queue', { type: 'string', default: DEFAULT_QUEUE_NAME, describe: "BullMQ queue name (the workers' --queue)" })
        .options(TRANSPORT_FLAGS)
        .option('json', { type: 'boolean', default: false, describe: 'Print one JSON run record instead of the table' }),
      'chunk-timeout',
      'chunk-timeout-ms',
      'number',
    ),
  )
    .example('$0 pipeline --input tiny', 'a 4-second fixture through 2 workers, verified (a few seconds)')
    .example('$0 pipeline --input default --workers 2 --segment 10', 'the 720p minute the benchmarks use')
    .example('$0 pipeline --input clip.mp4 --segment auto', 'let the pipeline pick the segment length, and print why')
    .example('$0 pipeline --input clip.mp4 --mode single --json', 'one ffmpeg over the whole file, as one JSON record')
    .example('$0 pipeline --input clip.mp4 --ffmpeg /usr/bin/ffmpeg', 'measure another ffmpeg build');

export type PipelineArgs = ArgsOf<typeof builder>;

export const pipeline = defineCommand({
  builder,
  run: async (argv) => (await import('../run/pipeline.ts')).run(argv),
});
