// `npm run check`: the CI regression check. Runs the `ci` grid, compares speedup and efficiency with the
// committed baseline (experiments/baselines/ci.json) and with floors from the core count, prints a table,
// and exits 1 on any regression or any failed run or verification, 0 otherwise.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { compare, formatVerdicts, readMetrics, type BaselineFile } from '../check/compare.ts';
import { EXPERIMENTS_DIR } from '../grid/load.ts';
import { executeExperiment, prepareExperiment } from '../harness/experiment.ts';
import { createProgress } from '../harness/progress.ts';
import { exitWithError, interruptController } from './common.ts';

const argv = await yargs(hideBin(process.argv))
  .scriptName('npm run check --')
  .usage('$0 [options]\n\nRun the ci grid and fail when speedup or efficiency regressed significantly against the baseline.')
  .option('grid', { type: 'string', default: 'ci', describe: 'The grid to run (needs chunked w1, w2 and single)' })
  .option('baseline', { type: 'string', default: join(EXPERIMENTS_DIR, 'baselines', 'ci.json'), describe: 'Baseline file' })
  .option('tolerance', { type: 'number', default: 0.1, describe: 'Relative change that counts (0.1 = 10%)' })
  .option('update-baseline', { type: 'boolean', default: false, describe: 'Write the current values as the new baseline' })
  .option('json', { type: 'boolean', default: false, describe: 'Print the verdicts as JSON' })
  .option('confirm', { type: 'boolean', default: true, describe: 'Re-measure once before calling a regression (--no-confirm: trust one measurement)' })
  .strict()
  .fail((message, error) => exitWithError(error ?? new Error(`${message}; see --help`)))
  .help()
  .parseAsync();

/** One measurement: the ci grid run to the end, its metrics and its failed runs. */
async function measure(signal: AbortSignal) {
  const prepared = await prepareExperiment({ grid: argv.grid });
  const { interrupted, results, summary } = await executeExperiment(prepared, signal, createProgress(process.stderr, true));
  if (interrupted) process.exit(130);
  const failedRuns = results.filter((l) => !l.warmup && (l.state !== 'ok' || !l.record?.verification?.ok));
  return { prepared, failedRuns, now: readMetrics(summary) };
}

try {
  const { controller } = interruptController();
  const first = await measure(controller.signal);
  let { prepared, failedRuns, now } = first;
  const cores = prepared.meta.machine.cores;
  const baseline = existsSync(argv.baseline) ? (JSON.parse(readFileSync(argv.baseline, 'utf8')) as BaselineFile) : null;
  let verdicts = compare(now, baseline, cores, argv.tolerance);
  // A burst of load on a shared machine can push one whole measurement below the threshold. A regression
  // counts only when a second, independent measurement confirms it: a real loss of parallelism repeats,
  // a passing disturbance rarely does twice (false alarms then need two bad runs in a row).
  let confirmation: string | null = null;
  if (argv.confirm && failedRuns.length === 0 && verdicts.some((v) => v.verdict === 'regressed')) {
    const firstRegressed = verdicts.filter((v) => v.verdict === 'regressed').map((v) => v.metric);
    ({ prepared, failedRuns, now } = await measure(controller.signal));
    verdicts = compare(now, baseline, cores, argv.tolerance);
    const still = verdicts.filter((v) => v.verdict === 'regressed').map((v) => v.metric);
    confirmation = still.length
      ? `regression in ${firstRegressed.join(', ')} confirmed by a second measurement (${prepared.meta.runId})`
      : `the first measurement showed a regression in ${firstRegressed.join(', ')}; a second one (${prepared.meta.runId}) did not confirm it: noise`;
  }
  const regressed = verdicts.some((v) => v.verdict === 'regressed');
  const ok = !regressed && failedRuns.length === 0;
  if (argv.json) {
    console.log(JSON.stringify({ ok, runId: prepared.meta.runId, confirmation, firstRunId: first.prepared.meta.runId, cores, baseline: baseline ? { cores: baseline.machine.cores, createdAt: baseline.createdAt } : null, verdicts, failedRuns: failedRuns.map((l) => ({ seq: l.seq, label: l.label, error: l.error ?? 'verification failed' })) }));
  } else {
    const note = !baseline
      ? `no baseline at ${argv.baseline}: floors only (run with --update-baseline to record one)`
      : baseline.machine.cores !== cores
        ? `the baseline was taken on ${baseline.machine.cores} cores, this machine has ${cores}: floors only`
        : `baseline from ${baseline.createdAt.slice(0, 10)} (${baseline.machine.cores} cores); run ${prepared.meta.runId}`;
    process.stdout.write(formatVerdicts(verdicts, confirmation ? `${note}\n${confirmation}` : note));
    for (const l of failedRuns) console.log(`FAILED run ${l.seq} (${l.label}): ${l.error ?? 'verification failed'}`);
    console.log(ok ? 'check passed' : `check FAILED: ${regressed ? 'a regression' : ''}${regressed && failedRuns.length ? ' and ' : ''}${failedRuns.length ? `${failedRuns.length} failed run(s)` : ''}`);
  }
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  exitWithError(error);
}
