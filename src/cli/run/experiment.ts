// The work of `chunkbench experiment` (flags in ../commands/experiment.ts). Wires the stages: grid →
// configurations → schedule → runner (results.jsonl) → summary, exports and the report. `--resume <run-id>`
// continues a stopped run.
import { relative } from 'node:path';
import { resolveBinaries } from '../../ffmpeg/binaries.ts';
import type { GridConfig } from '../../grid/expand.ts';
import { estimateRunSeconds, type InputSize } from '../../harness/estimate.ts';
import { executeExperiment, prepareExperiment, type Prepared } from '../../harness/experiment.ts';
import { createProgress } from '../../harness/progress.ts';
import { readStreams } from '../../pipeline/probe.ts';
import { beforeAfter, ceilingLines } from '../../summary/export.ts';
import { DiskFullError } from '../../errors.ts';
import { exitWithError, interruptController } from '../common.ts';
import { commandLine } from '../commands/define.ts';
import type { ExperimentArgs } from '../commands/experiment.ts';
import { binaryLine, harnessCpuLine } from '../format.ts';

async function printDryRun({ meta, options }: Prepared): Promise<void> {
  const binaries = await resolveBinaries();
  console.log(binaryLine(binaries));
  const sizes = new Map<string, InputSize>();
  for (const c of meta.configs) {
    if (sizes.has(c.input)) continue;
    const json = await readStreams(binaries, options.get(c.id)?.input ?? c.input);
    const video = json.streams?.find((s) => s.codec_type === 'video');
    const duration = Number(json.format?.duration) || 0;
    const [num, den] = (video?.avg_frame_rate ?? '30/1').split('/').map(Number);
    sizes.set(c.input, { frames: Number(video?.nb_frames) || Math.round(duration * ((num ?? 30) / (den || 1))), width: video?.width ?? 0, height: video?.height ?? 0, durationSeconds: duration });
  }
  const { grid, configs, machine } = meta;
  // a sweep's `repeats` can give a configuration fewer measured rounds than the grid's
  const runsOf = (c: GridConfig) => (c.rounds ?? grid.repeats) + grid.warmup;
  const fewer = (configs as GridConfig[]).filter((c) => c.rounds !== undefined).length;
  let total = 0;
  console.log(`grid ${grid.name}: ${configs.length} configurations × (${grid.warmup} warmup + ${grid.repeats} repeats${fewer ? `; ${fewer} of them fewer, as their sweep asks` : ''}) = ${(configs as GridConfig[]).reduce((n, c) => n + runsOf(c), 0)} runs, interleaved, seed ${grid.seed}`);
  for (const c of configs as GridConfig[]) {
    const size = sizes.get(c.input);
    const each = size ? estimateRunSeconds(c, size, machine.cores) : NaN;
    total += each * runsOf(c);
    console.log(`  ${c.id}  ${c.label.padEnd(56)} ~${each.toFixed(1)} s/run${c.rounds !== undefined ? ` × ${c.rounds} rounds` : ''}  [${c.sweeps.join(', ')}]`);
  }
  if (meta.ceiling) console.log(`  and in every round the machine's ceiling: ${meta.ceiling.workers.map((n) => `${n} copies`).join(', ')} of one ${meta.ceiling.chunkSeconds.toFixed(1)} s chunk at once vs one alone`);
  console.log(`estimated duration: ~${(total / 60).toFixed(1)} min on ${machine.cores} cores (a model, not a measurement)${grid.budgetSeconds ? `; rounds of the headline are then added within a budget of ${grid.budgetSeconds} s in all` : ''}`);
}

/** Runs or resumes the experiment; exits non-zero when a measured run failed (after storing everything). */
export async function run(argv: ExperimentArgs): Promise<void> {
  let runId: string | null = null;
  try {
    const prepared = await prepareExperiment({ grid: argv.grid, resume: argv.resume, repeats: argv.repeats, seed: argv.seed, ...(argv.budgetS !== undefined ? { budgetSeconds: argv.budgetS } : {}) });
    if (argv.dryRun) {
      await printDryRun(prepared);
      process.exit(0);
    }
    const { meta, dir } = prepared;
    runId = meta.runId;
    const rel = relative(process.cwd(), dir) || dir;
    const { controller } = interruptController();
    process.stderr.write(`${prepared.resumed ? 'resuming' : 'run'} ${meta.runId}: ${meta.configs.length} configurations, results in ${rel}/results.jsonl\n${binaryLine(meta.binaries)}\n`);
    const { interrupted, results, summary, session } = await executeExperiment(prepared, controller.signal, createProgress(process.stderr, argv.quiet), argv.redis);
    if (interrupted) {
      process.stderr.write(`interrupted: ${results.length} of ${meta.scheduledRuns} runs are stored in ${rel}; continue with: ${commandLine('experiment', `--resume ${meta.runId}`)}\n`);
      process.exit(130);
    }
    console.log(`\n${beforeAfter(summary.headline)}`);
    for (const line of ceilingLines(summary)) console.log(line);
    const seq = summary.sequential;
    if (seq && seq.stoppedBecause !== 'no headline') console.log(`  Rounds      ${seq.addedRounds} added to the headline's configurations (${seq.stoppedBecause}: CI half-width ${seq.halfWidth === null ? '—' : `±${(seq.halfWidth * 100).toFixed(1)}%`}, target ±${(seq.targetHalfWidth * 100).toFixed(0)}%${seq.budgetSeconds ? `, budget ${seq.budgetSeconds} s` : ''})`);
    console.log(`${summary.measuredRuns} measured runs, ${summary.failedRuns} failed${summary.failedRuns ? ':' : '.'}`);
    for (const c of summary.configs) for (const f of c.failures) console.log(`  FAILED ${c.label} (round ${f.round + 1}): ${f.error}`);
    const ffmpegCpuMs = results.reduce((sum, l) => sum + (l.record?.ffmpegCpuMs ?? 0), 0);
    console.log(harnessCpuLine(session, ffmpegCpuMs));
    console.log(`summary: ${rel}/summary.json, ${rel}/summary.csv, ${rel}/summary.md`);
    if (argv.report) {
      // loaded only now: vega adds ~20 MB to the process, and every ffmpeg fork of a bigger process costs more
      const { writeReport } = await import('../../report/write.ts');
      const report = await writeReport(dir);
      console.log(`report: ${relative(process.cwd(), report.path)}`);
    }
    // as hyperfine does: a failed measured run fails the command, after everything is stored and reported
    if (summary.failedRuns > 0 && !argv.ignoreFailures) {
      process.stderr.write(`chunkbench: ${summary.failedRuns} of ${summary.measuredRuns} measured runs failed (listed above); exit code 1 (--ignore-failures to exit 0)\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    // the disk filled mid-grid: say where, and how to continue once there is space
    if (error instanceof DiskFullError && runId) exitWithError(new DiskFullError(`${error.message}; runs stored so far are kept: ${commandLine('experiment', `--resume ${runId}`)}`));
    exitWithError(error);
  }
}
