// `npm run bench:loaded-suite -- --runs 20`: the test suite under load. Runs `npm test` K times in a row
// while a CPU hog (`yes > /dev/null`, one per core) keeps every core busy, and prints how many runs failed
// and which test files failed in them, with the Clopper–Pearson 95% interval of the failure rate. A timing
// test that flakes under load shows up here rather than in someone's CI. Writes
// reports/bench/loaded-suite-<time>.json after every run, so a stopped benchmark keeps what it saw.
// `--files a.test.ts b.test.ts` runs only those files (`vitest run` on them, no type-check): the files whose
// tests touch real time, signals or timers, twenty times in well under the hours the whole suite takes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { clopperPearson } from '../src/stats/index.ts';
import { startHogs } from './hog.ts';

const argv = await yargs(hideBin(process.argv))
  .option('runs', { type: 'number', default: 20, describe: 'Runs of the whole suite' })
  .option('hogs', { type: 'number', default: availableParallelism(), describe: 'CPU hogs alongside (default: one per core)' })
  .option('files', { type: 'string', array: true, describe: 'Only these test files (vitest run FILES), instead of npm test' })
  .check((a) => (Number.isInteger(a.runs) && a.runs >= 1 ? true : `--runs: expected a whole number ≥ 1, received ${a.runs}`))
  .strict()
  .parseAsync();

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

const repo = join(import.meta.dirname, '..');
mkdirSync(join(repo, 'reports', 'bench'), { recursive: true });
const file = join(repo, 'reports', 'bench', `loaded-suite-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
interface Run {
  run: number;
  exitCode: number | undefined;
  seconds: number;
  failedFiles: string[];
  failedTests: string[];
  /** The run's output, kept where it failed. */
  outputFile: string | null;
  summary: string;
}
const runs: Run[] = [];

const stopHogs = startHogs(argv.hogs);
for (let run = 1; run <= argv.runs; run++) {
  const started = performance.now();
  const [command, args]: [string, string[]] = argv.files?.length ? ['npx', ['vitest', 'run', ...argv.files]] : ['npm', ['test']];
  const result = await execa(command, args, { cwd: repo, reject: false, all: true, env: { FORCE_COLOR: '0', NO_COLOR: '1' } });
  // vitest colours its output even with FORCE_COLOR=0 when it decides the terminal can take it
  const output = stripVTControlCharacters(result.all ?? '');
  const failedFiles = [...new Set([...output.matchAll(/FAIL\s+(\S+\.test\.ts)/g)].map((m) => m[1] as string))];
  // "FAIL  test/x.test.ts > describe > it": the failed tests by name, and the run's whole output beside the
  // report, so a flake can be read after the fact
  const failedTests = [...new Set([...output.matchAll(/FAIL\s+(\S+\.test\.ts\s+>[^\n]+)/g)].map((m) => (m[1] as string).trim()))];
  const summary = (output.match(/Tests\s+[^\n]+/g) ?? []).pop() ?? '';
  const outputFile = result.exitCode === 0 ? null : file.replace(/\.json$/, `-run${run}.log`);
  if (outputFile) writeFileSync(outputFile, output);
  runs.push({ run, exitCode: result.exitCode, seconds: (performance.now() - started) / 1000, failedFiles, failedTests, outputFile, summary: summary.trim() });
  writeFileSync(file, `${JSON.stringify({ hogs: argv.hogs, files: argv.files ?? 'all (npm test)', runs }, null, 2)}\n`);
  process.stderr.write(`[${run}/${argv.runs}] exit ${result.exitCode} in ${((performance.now() - started) / 1000).toFixed(0)} s — ${summary.trim()}${failedTests.length ? ` — FAILED: ${failedTests.join('; ')}` : failedFiles.length ? ` — FAILED: ${failedFiles.join(', ')}` : ''}\n`);
}
stopHogs();

const failed = runs.filter((r) => r.exitCode !== 0).length;
const ci = clopperPearson(failed, runs.length);
const byFile = new Map<string, number>();
for (const r of runs) for (const f of r.failedFiles) byFile.set(f, (byFile.get(f) ?? 0) + 1);
console.log(`${failed} of ${runs.length} ${argv.files?.length ? `runs of ${argv.files.length} test files` : 'suite runs'} failed under ${argv.hogs} CPU hog(s) = ${((100 * failed) / runs.length).toFixed(1)}% [95% CI ${(100 * ci.lo).toFixed(1)}, ${(100 * ci.hi).toFixed(1)}]`);
for (const [f, n] of [...byFile].sort((a, b) => b[1] - a[1])) console.log(`  ${f}: failed in ${n} run(s)`);
console.log(`saved ${file}`);
