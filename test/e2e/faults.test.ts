// Failures on real ffmpeg: chunks SIGKILLed or hung mid-run are retried or backed up and the output stays
// frame-exact; Ctrl-C and SIGTERM leave no ffmpeg running and no temp directory, and keep stored results.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixture } from '../../src/fixtures/index.ts';
import { readResults } from '../../src/harness/store.ts';
import { pipeline } from '../../src/pipeline/run.ts';
import { frameHashes, REPO, tempDir } from '../helpers.ts';
import { processesMentioning, waitFor } from '../helpers-proc.ts';

const work = tempDir('cb-faults-');
let tiny = '';
let sourceHashes: string[] = [];

beforeAll(async () => {
  tiny = await ensureFixture('tiny');
  sourceHashes = await frameHashes(tiny);
});
afterAll(() => work.remove());

const chunkbenchDirs = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('chunkbench-'));

describe('injected faults on real ffmpeg', () => {
  it('a chunk SIGKILLed mid-run is retried on the other worker and the output stays frame-exact', async () => {
    const out = join(work.dir, 'killed.mp4');
    const record = await pipeline({ input: tiny, workers: 2, segmentSeconds: 1, crf: 0, out, workDir: work.dir, injectFaults: 1, faultSeed: 3 });
    expect(record.state, record.error?.message).toBe('ok');
    const fired = record.chunks.filter((c) => c.attempts?.[0]?.fault?.fired);
    expect(fired.length).toBeGreaterThan(0);
    for (const chunk of fired) {
      const [first, retry] = chunk.attempts ?? [];
      expect(first?.state).toBe('failed');
      expect(first?.signal).toBe('SIGKILL');
      expect(first?.reason).toBe('killed by SIGKILL');
      expect(retry?.state).toBe('ok');
      expect(chunk.retries).toBe(1);
    }
    expect(await frameHashes(out)).toEqual(sourceHashes);
    expect(chunkbenchDirs(work.dir)).toEqual([]);
  });

  it('a hung chunk gets a speculative backup that wins; the stopped ffmpeg is killed, the output frame-exact', async () => {
    const out = join(work.dir, 'stalled.mp4');
    // seed 291 stalls one chunk of eight (chunk 5) early in its run, so a worker goes idle while it hangs
    const record = await pipeline({ input: tiny, workers: 2, segmentSeconds: 0.5, crf: 0, out, workDir: work.dir, injectStalls: 0.25, faultSeed: 291, speculate: 2, timeoutFactor: 50 });
    expect(record.state, record.error?.message).toBe('ok');
    const stalled = record.chunks.filter((c) => c.attempts?.[0]?.fault?.fired);
    expect(stalled.length).toBeGreaterThan(0);
    for (const chunk of stalled) {
      const backup = chunk.attempts?.find((a) => a.speculative);
      expect(backup?.state).toBe('ok');
      expect(chunk.attempts?.[0]?.state).toBe('cancelled');
      expect(chunk.attempts?.[0]?.reason).toBe('lost-race');
    }
    expect(await frameHashes(out)).toEqual(sourceHashes);
    expect(processesMentioning(work.dir)).toEqual([]);
  });

  it('without speculation, a hung chunk is caught by its timeout and retried', async () => {
    const record = await pipeline({ input: tiny, workers: 2, segmentSeconds: 0.5, workDir: work.dir, injectStalls: 0.25, faultSeed: 291, timeoutFactor: 3 });
    expect(record.state, record.error?.message).toBe('ok');
    const stalled = record.chunks.filter((c) => c.attempts?.[0]?.fault?.fired);
    expect(stalled.length).toBeGreaterThan(0);
    for (const chunk of stalled) expect(chunk.attempts?.map((a) => [a.state, a.reason?.replace(/\d+/, 'N')])).toEqual([['failed', 'timed out after N ms'], ['ok', undefined]]);
    expect(processesMentioning(work.dir)).toEqual([]);
  });
});

/** Starts a CLI in its own process group (as a terminal would), collecting stderr. */
function startCli(entry: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, entry), ...args], { cwd: REPO, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stderr: '', stdout: '' };
  child.stderr?.on('data', (d) => (output.stderr += d));
  child.stdout?.on('data', (d) => (output.stdout += d));
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
    let since = 0;
    child.on('spawn', () => (since = Date.now()));
    child.on('exit', (code) => resolve({ code, ms: Date.now() - since }));
  });
  return { child, output, exited };
}

describe('interrupts', () => {
  it('Ctrl-C during a pipeline run stops every ffmpeg, removes the work directory and exits 130', async () => {
    const dir = tempDir('cb-sigint-');
    try {
      const small = await ensureFixture('small');
      const { child, output, exited } = startCli('src/cli/pipeline.ts', ['--input', small, '--segment', '2', '--work-dir', dir.dir]);
      await waitFor(() => (processesMentioning(dir.dir).length >= 2 ? true : undefined), 60_000, 'two ffmpeg workers');
      process.kill(-(child.pid as number), 'SIGINT'); // the whole group, as a terminal's Ctrl-C
      const { code } = await exited;
      expect(code).toBe(130);
      expect(output.stderr).toMatch(/SIGINT received, stopping ffmpeg and cleaning up/);
      expect(output.stderr).toMatch(/interrupted: every ffmpeg was stopped and the temp work directory removed/);
      expect(processesMentioning(dir.dir)).toEqual([]);
      expect(dir.entries()).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('a second Ctrl-C exits at once, still killing every ffmpeg and removing the work directory', async () => {
    const dir = tempDir('cb-sigint2-');
    try {
      // a process whose first Ctrl-C cannot finish (its ffmpeg ignores the abort), so only the second ends it
      const { child, output, exited } = startCli('test/scripts/slow-to-stop.ts', [dir.dir]);
      await waitFor(() => (processesMentioning(dir.dir).some((pid) => pid !== child.pid) && output.stderr.includes('started') ? true : undefined), 30_000, 'its ffmpeg');
      child.kill('SIGINT');
      await waitFor(() => (output.stderr.includes('SIGINT received') ? true : undefined), 10_000, 'the first SIGINT handled');
      await new Promise((r) => setTimeout(r, 300));
      expect(processesMentioning(dir.dir).length).toBeGreaterThan(0); // still running after the first
      child.kill('SIGINT');
      const { code } = await exited;
      expect(code).toBe(130);
      expect(output.stderr).toMatch(/SIGINT again: exited at once; every ffmpeg was killed/);
      await waitFor(() => (processesMentioning(dir.dir).length === 0 ? true : undefined), 5_000, 'no ffmpeg left');
      expect(dir.entries()).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('SIGTERM during an experiment keeps every stored run, leaves no ffmpeg or work dir, and prints how to resume', async () => {
    const dir = tempDir('cb-sigterm-');
    try {
      const grid = join(dir.dir, 'grid.json');
      const workDir = join(dir.dir, 'work');
      const reports = join(dir.dir, 'reports');
      mkdirSync(workDir);
      writeFileSync(grid, JSON.stringify({ name: 'sigterm-e2e', inputs: ['tiny'], repeats: 4, warmup: 0, fixed: { segment: 1, workDir }, sweeps: [{ name: 'w', vary: { workers: [1, 2] } }] }));
      const { child, output, exited } = startCli('src/cli/experiment.ts', ['--grid', grid, '--no-report'], { CHUNKBENCH_REPORTS_DIR: reports });
      const runDir = await waitFor(() => {
        const id = readdirSync(reports)[0];
        return id && readResults(join(reports, id)).length >= 2 ? join(reports, id) : undefined;
      }, 120_000, 'two stored runs');
      await waitFor(() => (processesMentioning(workDir).length > 0 ? true : undefined), 30_000, 'an ffmpeg running');
      const before = readResults(runDir).length;
      child.kill('SIGTERM');
      const { code } = await exited;
      expect(code).toBe(130);
      expect(output.stderr).toMatch(/continue with: (npx )?chunkbench experiment --resume \d{8}-\d{6}-sigterm-e2e$/m);
      expect(readResults(runDir).length).toBeGreaterThanOrEqual(before);
      expect(readResults(runDir).every((line) => line.state === 'ok')).toBe(true);
      expect(processesMentioning(workDir)).toEqual([]);
      expect(readdirSync(workDir)).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});
