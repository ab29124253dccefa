// The harness on real ffmpeg: a small grid end to end, and a run killed with SIGKILL in the middle then
// resumed, with no run lost or repeated.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scheduleIds } from '../../src/harness/runner.ts';
import { buildSchedule } from '../../src/harness/schedule.ts';
import { readCeilings, readMeta, readResults, readStoredLines } from '../../src/harness/store.ts';
import { REPO, runCli, tempDir } from '../helpers.ts';

const work = tempDir('cb-exp-');
afterAll(() => work.remove());
const reports = join(work.dir, 'reports');
const env = { CHUNKBENCH_REPORTS_DIR: reports };
const experiment = (args: string[]) => runCli('src/cli/experiment.ts', args, { env });

function writeGrid(name: string, grid: object): string {
  const path = join(work.dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(grid));
  return path;
}

/** The run directory the CLI named on stderr ("results in <dir>/results.jsonl"). */
function runDirFrom(stderr: string): string {
  const match = /results in (\S+)\/results\.jsonl/.exec(stderr);
  if (!match?.[1]) throw new Error(`no run directory in: ${stderr}`);
  return resolve(REPO, match[1]);
}

describe('npm run experiment', () => {
  it('runs a 2-configuration, 2-repeat grid, interleaved, and stores and summarises every run', () => {
    const grid = writeGrid('small', { name: 'small-e2e', inputs: ['tiny'], repeats: 2, warmup: 1, seed: 3, fixed: { segment: 1 }, sweeps: [{ name: 'modes', vary: { mode: ['chunked', 'single'] } }] });
    const { status, stdout, stderr } = experiment(['--grid', grid]);
    expect(status, stderr).toBe(0);
    const dir = runDirFrom(stderr);
    const meta = readMeta(dir);
    expect(meta.configs.map((c) => c.mode)).toEqual(['chunked', 'single']);
    expect(meta.machine.cores).toBeGreaterThan(0);
    expect(meta.binaries.ffmpeg.version).toMatch(/^ffmpeg version/);
    expect(meta.gridHash).toMatch(/^[0-9a-f]{12}$/);
    const results = readResults(dir);
    // 2 configurations and the machine's 2-way ceiling × (1 warmup + 2 repeats), in exactly the seeded
    // schedule's order
    expect(scheduleIds(meta)).toEqual([...meta.configs.map((c) => c.id), 'ceiling-w2']);
    expect(readStoredLines(dir).map((l) => [l.seq, l.configId, l.warmup])).toEqual(buildSchedule(scheduleIds(meta), 2, 1, 3).map((r) => [r.seq, r.configId, r.warmup]));
    expect(results.every((l) => l.state === 'ok' && l.record?.verification?.ok)).toBe(true);
    expect(readCeilings(dir).every((l) => l.state === 'ok' && l.ceiling > 0 && l.aloneMs > 0 && l.togetherMs > 0)).toBe(true);
    expect(meta.ceiling?.configId).toBe(meta.centreId);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const chunked = summary.configs.find((c: { config: { mode: string } }) => c.config.mode === 'chunked');
    expect(chunked.wallMs.n).toBe(2);
    expect(chunked.speedup.single.n).toBe(2);
    expect(chunked.speedup.single.lo).toBeLessThanOrEqual(chunked.speedup.single.point);
    expect(chunked.ofCeiling).toMatchObject({ workers: 2, n: 2, method: 'paired-t-log' });
    expect(summary.ceilings[0]).toMatchObject({ workers: 2, ceiling: { n: 2 } });
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8').split('\n')[0]).toMatch(/^label,mode,workers/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('| configuration | runs | wall s |');
    // tinybench drove the repeat loop: exactly the repeats, no extra iterations
    const tinybench = JSON.parse(readFileSync(join(dir, 'tinybench.json'), 'utf8'));
    expect(tinybench.map((t: { samples: number }) => t.samples)).toEqual([2, 2, 2]);
    expect(stdout).toMatch(/Before\/After on this machine's \d+ cores:/);
    expect(stdout).toMatch(/Speedup\s+[\d.]+× \[[\d.]+, [\d.]+\] = \d+% \[\d+, \d+\] of [\d.]+× \[[\d.]+, [\d.]+\] \(the 2-way ceiling of the same rounds\)(, within the noise of it: the ceiling is one short measurement per round, not a strict bound)?/);
    expect(stdout).toMatch(/^ {2}Ceiling\s+[\d.]+× \[[\d.]+, [\d.]+\] — 2 copies of one [\d.]+ s chunk's ffmpeg at once vs one alone, in the same rounds \(n=2\)$/m);
    expect(stdout).toContain('4 measured runs, 0 failed.');
  });

  it('rejects a grid with a wrong type or an unknown key in one line, before running anything', () => {
    const before = existsSync(reports) ? readdirSync(reports).length : 0;
    const bad = writeGrid('bad', { name: 'bad', inputs: ['tiny'], fixed: { workers: 0 } });
    const r1 = experiment(['--grid', bad]);
    expect(r1.status).toBe(2);
    expect(r1.stderr.trim()).toMatch(/^chunkbench: .*bad\.json: fixed\.workers: Too small: expected number to be >=1, got 0$/);
    const unknown = writeGrid('unknown', { name: 'u', inputs: ['tiny'], sweeps: [{ name: 's', vary: { wrokers: [1] } }] });
    const r2 = experiment(['--grid', unknown]);
    expect(r2.stderr.trim()).toMatch(/^chunkbench: .*unknown\.json: sweeps\[0\]\.vary: unknown key 'wrokers'/);
    expect(existsSync(reports) ? readdirSync(reports).length : 0).toBe(before);
  });

  it('prints the expanded grid and an estimate with --dry-run, running nothing', () => {
    const { status, stdout } = experiment(['--grid', 'default', '--dry-run']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^grid default: \d+ configurations × \(1 warmup \+ 4 repeats\) = \d+ runs, interleaved, seed 1$/m);
    expect(stdout).toMatch(/^estimated duration: ~[\d.]+ min on \d+ cores \(a model, not a measurement\); rounds of the headline are then added within a budget of 570 s in all$/m);
  });
});

describe('exit codes', () => {
  // a crop twice as wide as its input: ffmpeg accepts it on the 64x64 source the filter check uses, and
  // rejects it on tiny's 320x240 as the run's one ffmpeg starts, so every run fails within a second
  const failing = () => writeGrid('failing', { name: 'failing-e2e', inputs: ['tiny'], repeats: 1, warmup: 0, fixed: { mode: 'single', filter: 'vf:crop=w=if(gt(iw\\,100)\\,2*iw\\,iw)' } });

  it('exits 1 when a measured run failed, after listing the failures', () => {
    const { status, stdout, stderr } = experiment(['--grid', failing(), '--no-report', '--quiet']);
    expect(status, stderr).toBe(1);
    expect(stdout).toContain('1 measured runs, 1 failed:');
    expect(stdout).toMatch(/^ {2}FAILED .* \(round 1\): process: chunk 0 .*failed/m);
    expect(stdout).toMatch(/^summary: /m);
    expect(stderr.trim().split('\n').at(-1)).toBe('chunkbench: 1 of 1 measured runs failed (listed above); exit code 1 (--ignore-failures to exit 0)');
  });

  it('exits 0 with --ignore-failures, still listing the failures', () => {
    const { status, stdout, stderr } = experiment(['--grid', failing(), '--no-report', '--quiet', '--ignore-failures']);
    expect(status, stderr).toBe(0);
    expect(stdout).toContain('1 measured runs, 1 failed:');
    expect(stdout).toMatch(/^ {2}FAILED .* \(round 1\): /m);
    expect(stderr).not.toMatch(/measured runs failed/);
  });

  it('no arguments: a usage error in one line, exit 2', () => {
    const { status, stdout, stderr } = experiment([]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('chunkbench: give --grid NAME|FILE, or --resume RUN_ID; see --help\n');
  });
});

describe('crash and resume', () => {
  it('loses and repeats nothing when the harness is killed with SIGKILL mid-grid and resumed', async () => {
    const grid = writeGrid('resume', { name: 'resume-e2e', inputs: ['tiny'], repeats: 3, warmup: 1, seed: 5, fixed: { segment: 1, workDir: work.dir }, sweeps: [{ name: 'w', vary: { workers: [1, 2] } }] });
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/experiment.ts'), '--grid', grid], { cwd: REPO, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // wait until a few runs are stored, then kill the whole process group (node and its ffmpeg children)
    const dir = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        try {
          const d = runDirFrom(stderr);
          if (readResults(d).length >= 3) {
            clearInterval(timer);
            resolve(d);
          }
        } catch {
          // not started yet
        }
      }, 50);
      setTimeout(() => reject(new Error(`no progress: ${stderr}`)), 120_000);
    });
    // SIGKILL leaves the in-flight run's temp directory behind (nothing can clean up after it); the grid's
    // workDir is this test's own temp dir, removed afterwards
    process.kill(-(child.pid as number), 'SIGKILL');
    await new Promise((r) => child.on('exit', r));
    // 2 configurations and the 2-way ceiling × (1 warmup + 3 repeats)
    const scheduled = readMeta(dir).scheduledRuns;
    expect(scheduled).toBe(12);
    const stored = readStoredLines(dir).length;
    expect(stored).toBeGreaterThanOrEqual(3);
    expect(stored).toBeLessThan(scheduled);

    const runId = readMeta(dir).runId;
    const { status, stderr: resumed } = experiment(['--resume', runId]);
    expect(status, resumed).toBe(0);
    expect(resumed).toMatch(new RegExp(`running ${scheduled - stored} of ${scheduled} scheduled runs`));
    const lines = readStoredLines(dir);
    expect(new Set(lines.map((l) => l.seq)).size).toBe(scheduled);
    expect(lines.map((l) => l.seq).sort((a, b) => a - b)).toEqual([...Array(scheduled).keys()]);
    // the killed run's work directory (named with its dead pid) was swept by the resumed run
    expect(readdirSync(work.dir).filter((name) => name.startsWith('chunkbench-'))).toEqual([]);
  });
});
