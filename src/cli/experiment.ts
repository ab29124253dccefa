// `npm run experiment -- --grid default`: the main job. Wires the stages: grid → configurations → schedule
// → runner (results.jsonl) → summary and exports. `--resume <run-id>` continues a stopped run.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { resolveBinaries } from '../ffmpeg/binaries.ts';
import { expandGrid, type GridConfig } from '../grid/expand.ts';
import { gridNames, loadGrid } from '../grid/load.ts';
import { estimateRunSeconds, type InputSize } from '../harness/estimate.ts';
import { createProgress } from '../harness/progress.ts';
import { runExperiment } from '../harness/runner.ts';
import { resolveConfigs } from '../harness/setup.ts';
import { findRunDir, gitCommit, gridHash, machineInfo, newRunId, readMeta, readResults, REPORTS_DIR, runPaths, writeMeta, type RunMeta } from '../harness/store.ts';
import { readStreams } from '../pipeline/probe.ts';
import { beforeAfter, toCsv, toMarkdown } from '../summary/export.ts';
import { summarize } from '../summary/summarize.ts';
import { exitWithError, interruptController } from './common.ts';

const argv = await yargs(hideBin(process.argv))
  .scriptName('npm run experiment --')
  .usage('$0 --grid NAME|FILE [options]\n\nRun the pipeline over a parameter grid, interleaved and repeated, and store every run in reports/<run-id>/.')
  .option('grid', { alias: 'g', type: 'string', describe: `A grid in experiments/ (${gridNames().join(', ')}) or a path to a grid JSON file` })
  .option('resume', { type: 'string', describe: 'Continue a stopped run (a run id from reports/ or its directory)' })
  .option('repeats', { type: 'number', describe: "Override the grid's repeats" })
  .option('seed', { type: 'number', describe: "Override the grid's seed for the run order" })
  .option('dry-run', { type: 'boolean', default: false, describe: 'Print the expanded grid and an estimated duration, run nothing' })
  .option('quiet', { type: 'boolean', default: false, describe: 'No progress output' })
  .check((a) => (a.grid || a.resume ? true : 'give --grid NAME|FILE, or --resume RUN_ID'))
  .strict()
  .fail((message, error) => exitWithError(error ?? new Error(`${message}; see --help`)))
  .help()
  .parseAsync();

async function inputSizes(configs: GridConfig[], paths: Map<string, string>): Promise<Map<string, InputSize>> {
  const binaries = await resolveBinaries();
  const sizes = new Map<string, InputSize>();
  for (const [input, path] of paths) {
    const json = await readStreams(binaries, path);
    const video = json.streams?.find((s) => s.codec_type === 'video');
    const duration = Number(json.format?.duration) || 0;
    const [num, den] = (video?.avg_frame_rate ?? '30/1').split('/').map(Number);
    sizes.set(input, { frames: Number(video?.nb_frames) || Math.round(duration * ((num ?? 30) / (den || 1))), width: video?.width ?? 0, height: video?.height ?? 0, durationSeconds: duration });
  }
  return sizes;
}

function printDryRun(meta: Pick<RunMeta, 'grid' | 'configs' | 'machine'>, sizes: Map<string, InputSize>): void {
  const { grid, configs, machine } = meta;
  const runsPer = grid.repeats + grid.warmup;
  let total = 0;
  console.log(`grid ${grid.name}: ${configs.length} configurations × (${grid.warmup} warmup + ${grid.repeats} repeats) = ${configs.length * runsPer} runs, interleaved, seed ${grid.seed}`);
  for (const c of configs) {
    const size = sizes.get(c.input);
    const each = size ? estimateRunSeconds(c, size, machine.cores) : NaN;
    total += each * runsPer;
    console.log(`  ${c.id}  ${c.label.padEnd(56)} ~${each.toFixed(1)} s/run  [${c.sweeps.join(', ')}]`);
  }
  console.log(`estimated duration: ~${(total / 60).toFixed(1)} min on ${machine.cores} cores (a model, not a measurement)`);
}

try {
  let dir: string;
  let meta: RunMeta;
  if (argv.resume) {
    dir = findRunDir(argv.resume);
    meta = readMeta(dir);
  } else {
    const { grid, file } = loadGrid(argv.grid as string);
    if (argv.repeats !== undefined) grid.repeats = argv.repeats;
    if (argv.seed !== undefined) grid.seed = argv.seed;
    const runId = newRunId(grid.name);
    dir = join(REPORTS_DIR, runId);
    meta = {
      schema: 'chunkbench.meta/1',
      runId,
      grid,
      gridFile: file,
      gridHash: gridHash(grid),
      seed: grid.seed,
      configs: expandGrid(grid),
      machine: machineInfo(),
      binaries: await resolveBinaries(),
      commit: gitCommit(),
      startedAt: new Date().toISOString(),
      endedAt: null,
      scheduledRuns: 0,
    };
    meta.scheduledRuns = meta.configs.length * (grid.repeats + grid.warmup);
  }
  const options = await resolveConfigs(meta.configs);
  if (argv['dry-run']) {
    const paths = new Map(meta.configs.map((c) => [c.input, options.get(c.id)?.input ?? c.input]));
    printDryRun(meta, await inputSizes(meta.configs, paths));
    process.exit(0);
  }
  if (!argv.resume) writeMeta(dir, meta);
  const { controller } = interruptController();
  const cpuAtStart = process.cpuUsage();
  const startedAt = new Date().toISOString();
  const clockAtStart = performance.now();
  const storedAtStart = readResults(dir).length;
  const rel = relative(process.cwd(), dir) || dir;
  process.stderr.write(`${argv.resume ? 'resuming' : 'run'} ${meta.runId}: ${meta.configs.length} configurations, results in ${rel}/results.jsonl\n`);
  const outcome = await runExperiment({ dir, meta, options, binaries: meta.binaries, signal: controller.signal, progress: createProgress(process.stderr, argv.quiet) });

  const results = readResults(dir);
  const cpu = process.cpuUsage(cpuAtStart);
  const session = { startedAt, elapsedMs: performance.now() - clockAtStart, harnessCpuMs: (cpu.user + cpu.system) / 1000, runs: results.length - storedAtStart };
  meta.sessions = [...(meta.sessions ?? []), session];
  writeMeta(dir, meta);
  const summary = summarize(meta, results);
  const paths = runPaths(dir);
  writeFileSync(paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(paths.csv, toCsv(summary));
  writeFileSync(paths.markdown, toMarkdown(summary));
  if (outcome.tinybench.length) writeFileSync(join(dir, 'tinybench.json'), `${JSON.stringify(outcome.tinybench, null, 2)}\n`);
  if (outcome.interrupted) {
    process.stderr.write(`interrupted: ${results.length} of ${meta.scheduledRuns} runs are stored in ${rel}; continue with: npm run experiment -- --resume ${meta.runId}\n`);
    process.exit(130);
  }
  meta.endedAt = new Date().toISOString();
  writeMeta(dir, meta);
  console.log(`\n${beforeAfter(summary.headline)}`);
  console.log(`${summary.measuredRuns} measured runs, ${summary.failedRuns} failed${summary.failedRuns ? ':' : '.'}`);
  for (const c of summary.configs) for (const f of c.failures) console.log(`  FAILED ${c.label} (round ${f.round + 1}): ${f.error}`);
  const ffmpegCpuMs = results.reduce((sum, l) => sum + (l.record?.ffmpegCpuMs ?? 0), 0);
  console.log(`harness (Node) CPU ${(session.harnessCpuMs / 1000).toFixed(2)} s = ${((100 * session.harnessCpuMs) / session.elapsedMs).toFixed(2)}% of ${(session.elapsedMs / 60000).toFixed(1)} min elapsed, ${((100 * session.harnessCpuMs) / Math.max(1, ffmpegCpuMs)).toFixed(2)}% of ffmpeg's CPU`);
  console.log(`summary: ${rel}/summary.json, ${rel}/summary.csv, ${rel}/summary.md`);
} catch (error) {
  exitWithError(error);
}
