// The CI gate on real ffmpeg: a deliberately crippled pool is a regression (exit 1); --update-baseline
// writes a file that the next check reads and judges against; a broken baseline is one line before any
// measurement.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baselineSchema } from '../../src/check/baseline.ts';
import { runCli, tempDir } from '../helpers.ts';

const work = tempDir('cb-check-');
afterAll(() => work.remove());

const grid = join(work.dir, 'ci-short.json');
writeFileSync(grid, JSON.stringify({ name: 'ci-short', inputs: ['small'], repeats: 3, warmup: 0, seed: 1, fixed: { workers: 2, segment: 5 }, sweeps: [{ name: 'b', vary: { mode: ['chunked', 'single'] } }] }));
const reports = join(work.dir, 'reports');

describe('npm run check', () => {
  it('reports a pool crippled by 60% as a regression, and exits 1', () => {
    const env = { CHUNKBENCH_REPORTS_DIR: reports, CHUNKBENCH_CRIPPLE: '0.6' };
    const { status, stdout, stderr } = runCli('src/cli/check.ts', ['--grid', grid, '--baseline', join(work.dir, 'none.json'), '--max-rounds', '4', '--quiet'], { env });
    expect(status, stderr).toBe(1);
    // 60% lost: the efficiency falls below its floor, and the share of the ceiling usually below its own
    expect(stdout).toMatch(/^schedule efficiency\s+floor 0\.6\s+[\d.]+ \[[\d.]+, [\d.]+\]\s+—\s+(REGRESSED|see below)$/m);
    expect(stdout).toMatch(/^share of the ceiling\s+—\s+[\d.]+ \[[\d.]+, [\d.]+\]/m);
    expect(stdout).toMatch(/^REGRESSED: the whole 95% CI of (the schedule's efficiency|the speedup's share of the ceiling) is below the floor 0\.[56]$/m);
    expect(stdout).toMatch(/^2-way ceiling\s+—\s+[\d.]+ \[[\d.]+, [\d.]+\]/m);
    expect(stdout).toMatch(/^no baseline at .*none\.json: judged against the floor only/m);
    expect(stdout).toMatch(/check FAILED: a regression$/m);
  });

  it('--update-baseline writes a valid baseline that the next check reads and judges against', () => {
    const baseline = join(work.dir, 'baseline.json');
    const env = { CHUNKBENCH_REPORTS_DIR: reports };
    const written = runCli('src/cli/check.ts', ['--grid', grid, '--baseline', baseline, '--max-rounds', '3', '--update-baseline', '--baseline-sessions', '2', '--quiet'], { env });
    expect(written.status, written.stderr).toBe(0);
    expect(written.stdout).toMatch(/^baseline written to .*baseline\.json: schedule efficiency [\d.]+ \[[\d.]+, [\d.]+\], share of the ceiling [\d.]+ \[[\d.]+, [\d.]+\], speedup [\d.]+ \[.*\], ceiling [\d.]+ \[.*\] over 6 rounds in 2 session\(s\)$/m);
    const file = baselineSchema.parse(JSON.parse(readFileSync(baseline, 'utf8')));
    expect(file.efficiency).toMatchObject({ n: 6, sessions: 2, sessionSdLog: 0.03 });
    expect(file.machine.cores).toBeGreaterThan(0);
    expect(file.ffmpeg.version).toMatch(/^ffmpeg version/);

    const checked = runCli('src/cli/check.ts', ['--grid', grid, '--baseline', baseline, '--max-rounds', '3', '--json'], { env });
    const verdict = JSON.parse(checked.stdout) as { ok: boolean; verdict: string; change: { point: number } | null; baseline: { createdAt: string } | null; rounds: number };
    expect(verdict.baseline?.createdAt).toBe(file.createdAt);
    expect(verdict.change?.point).toBeGreaterThan(0);
    expect(['no change', 'improved', 'regressed', 'inconclusive']).toContain(verdict.verdict);
    expect(checked.status).toBe(verdict.verdict === 'regressed' ? 1 : 0);
  });

  it('rejects a baseline that does not validate in one line, before measuring anything', () => {
    const broken = join(work.dir, 'broken.json');
    writeFileSync(broken, '{}');
    const fresh = join(work.dir, 'reports-broken');
    const { status, stdout, stderr } = runCli('src/cli/check.ts', ['--grid', grid, '--baseline', broken], { env: { CHUNKBENCH_REPORTS_DIR: fresh } });
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^chunkbench: --baseline .*broken\.json: schema: .*expected a chunkbench\.baseline\/2 file/);
    expect(existsSync(fresh)).toBe(false);
  });
});
