// `npm run bench:check [-- --runs 20]`: runs the CI check N times on unchanged code and counts false alarms
// (exit 1 with no real change). Goal: at most 1 in 20. Writes reports/bench/check-false-alarms-<time>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';

const argv = await yargs(hideBin(process.argv)).option('runs', { type: 'number', default: 20 }).strict().parseAsync();
const repo = join(import.meta.dirname, '..');
const outcomes: { run: number; exitCode: number | undefined; seconds: number; verdicts: unknown }[] = [];
for (let run = 1; run <= argv.runs; run++) {
  const started = performance.now();
  const result = await execa(join(repo, 'node_modules', '.bin', 'tsx'), [join(repo, 'src/cli/check.ts'), '--json'], { cwd: repo, reject: false });
  const seconds = (performance.now() - started) / 1000;
  let verdicts: unknown = result.stderr.split('\n').pop();
  try {
    verdicts = (JSON.parse(result.stdout) as { verdicts: { metric: string; verdict: string; now: { point: number; lo: number; hi: number } }[] }).verdicts.map((v) => ({ metric: v.metric, verdict: v.verdict, now: [v.now.point, v.now.lo, v.now.hi].map((n) => Number(n.toFixed(3))) }));
  } catch {
    // keep the error line
  }
  outcomes.push({ run, exitCode: result.exitCode, seconds, verdicts });
  process.stderr.write(`run ${run}/${argv.runs}: exit ${result.exitCode} in ${seconds.toFixed(1)} s ${JSON.stringify(verdicts)}\n`);
}
const alarms = outcomes.filter((o) => o.exitCode !== 0).length;
mkdirSync(join(repo, 'reports', 'bench'), { recursive: true });
const file = join(repo, 'reports', 'bench', `check-false-alarms-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ runs: argv.runs, falseAlarms: alarms, outcomes }, null, 2)}\n`);
console.log(`${alarms} false alarm(s) in ${argv.runs} unchanged runs (goal ≤ 1 in 20); mean ${(outcomes.reduce((s, o) => s + o.seconds, 0) / outcomes.length).toFixed(1)} s per check; saved ${file}`);
