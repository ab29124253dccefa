// The CI check on real ffmpeg: a deliberately crippled pool (one chunk at a time while the record still
// says two workers) is reported as regressed and exits 1.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.ts';

const work = tempDir('cb-check-');
afterAll(() => work.remove());

describe('npm run check', () => {
  it('reports a crippled pool as regressed, confirmed by a second measurement, and exits 1', () => {
    const grid = join(work.dir, 'ci-short.json');
    writeFileSync(grid, JSON.stringify({ name: 'ci-short', inputs: ['small'], repeats: 4, warmup: 1, seed: 1, fixed: { segmentSeconds: 5 }, sweeps: [{ name: 'w', vary: { workers: [1, 2] } }, { name: 'b', vary: { mode: ['single'] } }] }));
    const env = { CHUNKBENCH_REPORTS_DIR: join(work.dir, 'reports'), CHUNKBENCH_CRIPPLE_POOL: '1' };
    const { status, stdout, stderr } = runCli('src/cli/check.ts', ['--grid', grid, '--baseline', join(work.dir, 'none.json')], { env });
    expect(status, stderr).toBe(1);
    expect(stdout).toMatch(/^speedup w2 vs single\s+—\s+[\d.]+ \[[\d.]+, [\d.]+\]\s+—\s+REGRESSED\s+the whole 95% CI is below the floor 1\.25/m);
    expect(stdout).toMatch(/^regression in speedup w2 vs single, efficiency w2 confirmed by a second measurement \(\S+\)$/m);
    expect(stdout).toMatch(/check FAILED: a regression$/m);
  });
});
