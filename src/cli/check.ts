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
  .strict()
  .fail((message, error) => exitWithError(error ?? new Error(`${message}; see --help`)))
  .help()
  .parseAsync();

try {
  const prepared = await prepareExperiment({ grid: argv.grid });
  const { controller } = interruptController();
  const { interrupted, results, summary } = await executeExperiment(prepared, controller.signal, createProgress(process.stderr, true));
  if (interrupted) process.exit(130);
  const cores = prepared.meta.machine.cores;
  const failedRuns = results.filter((l) => !l.warmup && (l.state !== 'ok' || !l.record?.verification?.ok));
  const now = readMetrics(summary);
  if (argv['update-baseline']) {
    const file: BaselineFile = {
      schema: 'chunkbench.baseline/1',
      grid: argv.grid,
      createdAt: new Date().toISOString(),
      commit: prepared.meta.commit,
      machine: { cores, cpuModel: prepared.meta.machine.cpuModel },
      tolerance: argv.tolerance,
      metrics: Object.fromEntries(Object.entries(now).map(([k, v]) => [k, { value: v.point, lo: v.lo, hi: v.hi }])) as BaselineFile['metrics'],
    };
    writeFileSync(argv.baseline, `${JSON.stringify(file, null, 2)}\n`);
  }
  const baseline = existsSync(argv.baseline) ? (JSON.parse(readFileSync(argv.baseline, 'utf8')) as BaselineFile) : null;
  const verdicts = compare(now, baseline, cores, argv.tolerance);
  const regressed = verdicts.some((v) => v.verdict === 'regressed');
  const ok = !regressed && failedRuns.length === 0;
  if (argv.json) {
    console.log(JSON.stringify({ ok, runId: prepared.meta.runId, cores, baseline: baseline ? { cores: baseline.machine.cores, createdAt: baseline.createdAt } : null, verdicts, failedRuns: failedRuns.map((l) => ({ seq: l.seq, label: l.label, error: l.error ?? 'verification failed' })) }));
  } else {
    const note = !baseline
      ? `no baseline at ${argv.baseline}: floors only (run with --update-baseline to record one)`
      : baseline.machine.cores !== cores
        ? `the baseline was taken on ${baseline.machine.cores} cores, this machine has ${cores}: floors only`
        : `baseline from ${baseline.createdAt.slice(0, 10)} (${baseline.machine.cores} cores); run ${prepared.meta.runId}`;
    process.stdout.write(formatVerdicts(verdicts, note));
    for (const l of failedRuns) console.log(`FAILED run ${l.seq} (${l.label}): ${l.error ?? 'verification failed'}`);
    console.log(ok ? 'check passed' : `check FAILED: ${regressed ? 'a regression' : ''}${regressed && failedRuns.length ? ' and ' : ''}${failedRuns.length ? `${failedRuns.length} failed run(s)` : ''}`);
  }
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  exitWithError(error);
}
