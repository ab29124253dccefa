// `npm run bench:check`: the CI gate's false-alarm rate and power, measured on this machine with the real
// gate (`npm run check --json`, the committed baseline). Four scenarios, interleaved run by run so that the
// machine's drift hits them alike:
//   unchanged    the code as it is                                        goal: 0 alarms in 20
//   cpu hog      the same while `yes > /dev/null` keeps one core busy    goal: 0 alarms in 10
//   loss 15%     CHUNKBENCH_CRIPPLE=0.15 (executors/cripple.ts)           goal: ≥ 18 of 20 caught
//   loss 25%     CHUNKBENCH_CRIPPLE=0.25                                  goal: 10 of 10 caught
// Prints each rate with its Clopper–Pearson 95% interval, the realised loss of the share of the ceiling
// (crippled against unchanged, the geometric means over the checks), the verdicts, and the time per check;
// writes reports/bench/check-<time>.json. `--runs K` scales every count (K/20 of the numbers above).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { clopperPearson } from '../src/stats/index.ts';
import { startHogs } from './hog.ts';

const argv = await yargs(hideBin(process.argv))
  .option('runs', { type: 'number', default: 20, describe: 'Checks of the unchanged and 15% scenarios (the hog and 25% scenarios get half)' })
  .option('baseline', { type: 'string', describe: 'Baseline file (default: the committed one)' })
  .strict()
  .parseAsync();

interface Scenario {
  name: string;
  runs: number;
  env: Record<string, string>;
  hog: boolean;
  /** true: a regression is the right answer. */
  lossy: boolean;
}
const half = Math.max(1, Math.round(argv.runs / 2));
const scenarios: Scenario[] = [
  { name: 'unchanged', runs: argv.runs, env: {}, hog: false, lossy: false },
  { name: 'cpu hog', runs: half, env: {}, hog: true, lossy: false },
  { name: 'loss 15%', runs: argv.runs, env: { CHUNKBENCH_CRIPPLE: '0.15' }, hog: false, lossy: true },
  { name: 'loss 25%', runs: half, env: { CHUNKBENCH_CRIPPLE: '0.25' }, hog: false, lossy: true },
];

// interleaved: scenario by scenario in turn, each until it has its runs
const order: Scenario[] = [];
for (let i = 0; order.length < scenarios.reduce((s, c) => s + c.runs, 0); i++) for (const s of scenarios) if (i < s.runs) order.push(s);

interface Outcome {
  scenario: string;
  exitCode: number | undefined;
  seconds: number;
  verdict: string;
  /** Which rule decided (the check's own one-line reason), e.g. "at the round cap …". */
  reason?: string;
  rounds: number | null;
  share: number | null;
  change: number | null;
  ceiling: number | null;
  /** The check's stored run (reports/<runId>), so that its rounds can be read again. */
  runId: string | null;
  error?: string;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

const repo = join(import.meta.dirname, '..');
const outcomes: Outcome[] = [];
// written after every check (as hyperfine exports after every benchmark): a stopped run keeps what it measured
mkdirSync(join(repo, 'reports', 'bench'), { recursive: true });
const file = join(repo, 'reports', 'bench', `check-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
for (const [i, scenario] of order.entries()) {
  const stopHog = scenario.hog ? startHogs(1) : null;
  const started = performance.now();
  const args = [join(repo, 'src/cli/check.ts'), '--json', ...(argv.baseline ? ['--baseline', argv.baseline] : [])];
  const result = await execa(join(repo, 'node_modules', '.bin', 'tsx'), args, { cwd: repo, reject: false, env: scenario.env });
  stopHog?.();
  const seconds = (performance.now() - started) / 1000;
  let outcome: Outcome = { scenario: scenario.name, exitCode: result.exitCode, seconds, verdict: 'error', rounds: null, share: null, change: null, ceiling: null, runId: null, error: result.stderr.split('\n').filter(Boolean).pop() ?? '' };
  try {
    const json = JSON.parse(result.stdout) as { verdict: string; reason?: string; runId: string; rounds: number; share: { point: number }; change: { point: number } | null; ceiling: { point: number } };
    outcome = { scenario: scenario.name, exitCode: result.exitCode, seconds, verdict: json.verdict, ...(json.reason ? { reason: json.reason } : {}), rounds: json.rounds, share: json.share.point, change: json.change?.point ?? null, ceiling: json.ceiling.point, runId: json.runId };
  } catch {
    // keep the error line
  }
  outcomes.push(outcome);
  writeFileSync(file, `${JSON.stringify({ outcomes }, null, 2)}\n`);
  process.stderr.write(`[${i + 1}/${order.length}] ${scenario.name}: ${outcome.verdict} (exit ${outcome.exitCode}) in ${seconds.toFixed(0)} s, ${outcome.rounds ?? '?'} rounds, share ${outcome.share?.toFixed(3) ?? '?'}, change ${outcome.change === null ? '—' : `${((outcome.change - 1) * 100).toFixed(1)}%`}, ceiling ${outcome.ceiling?.toFixed(2) ?? '?'}${outcome.error ? ` — ${outcome.error}` : ''}\n`);
}

const gm = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const shares = (name: string) => outcomes.filter((o) => o.scenario === name && o.share !== null).map((o) => o.share as number);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const lines: string[] = [];
const summary = scenarios.map((s) => {
  const mine = outcomes.filter((o) => o.scenario === s.name);
  const alarms = mine.filter((o) => o.exitCode === 1).length;
  const inconclusive = mine.filter((o) => o.verdict === 'inconclusive').length;
  const errors = mine.filter((o) => o.verdict === 'error').length;
  const ci = clopperPearson(alarms, mine.length);
  const realisedLoss = s.lossy && shares(s.name).length && shares('unchanged').length ? 1 - gm(shares(s.name)) / gm(shares('unchanged')) : null;
  const meanSeconds = mine.reduce((t, o) => t + o.seconds, 0) / mine.length;
  const what = s.lossy ? 'caught' : 'false alarms';
  lines.push(`${s.name.padEnd(10)} ${what} ${alarms} of ${mine.length} = ${pct(alarms / mine.length)} [95% CI ${pct(ci.lo)}, ${pct(ci.hi)}]${inconclusive ? `, ${inconclusive} inconclusive` : ''}${errors ? `, ${errors} errors` : ''}${realisedLoss === null ? '' : `; realised loss of the share ${pct(realisedLoss)}`}; ${meanSeconds.toFixed(0)} s per check (max ${Math.max(...mine.map((o) => o.seconds)).toFixed(0)} s)`);
  return { scenario: s.name, runs: mine.length, alarms, rate: alarms / mine.length, clopperPearson95: ci, inconclusive, errors, realisedLoss, meanSeconds };
});
writeFileSync(file, `${JSON.stringify({ summary, outcomes }, null, 2)}\n`);
console.log(lines.join('\n'));
console.log(`saved ${file}`);
// the unchanged checks are sessions of unchanged code spread over this hour: a baseline built from them
// averages out the machine's drift (check --update-baseline --from-runs)
// (every unchanged check, whatever its verdict: leaving out the ones that alarmed would raise the baseline)
const unchangedRuns = outcomes.filter((o) => o.scenario === 'unchanged' && o.runId && o.verdict !== 'error').map((o) => o.runId);
if (unchangedRuns.length) console.log(`a baseline from this hour's unchanged checks: npm run check -- --update-baseline --from-runs ${unchangedRuns.join(' ')}`);
