// runProcess through each spawner helper (python3's posix_spawn, the default where python3 is on PATH; the
// shell's subshells) and from this process (CHUNKBENCH_SPAWNER=direct): the same outcome every way, kills
// and timeouts reach the child, a dead spawner fails its callers instead of hanging them, and the spawner's
// CPU is counted.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProcess, spawnerReady } from '../../src/ffmpeg/exec.ts';
import { harnessCpuUs, helperKind, helperRunning, spawnerCpuUs } from '../../src/ffmpeg/spawner.ts';

const sh = (script: string) => ['-c', script];

const python = helperKind({ PATH: process.env.PATH }).kind === 'python';

for (const mode of ['python', 'sh', 'direct'] as const) {
  describe.runIf(mode !== 'python' || python)(`runProcess (${mode})`, () => {
    beforeEach(() => {
      process.env.CHUNKBENCH_SPAWNER = mode;
    });
    afterEach(() => delete process.env.CHUNKBENCH_SPAWNER);

    it('returns the exit code, the stderr tail, stdout and the pid', async () => {
      let pid: number | undefined;
      const outcome = await runProcess('/bin/sh', sh('echo out; echo "bad thing" >&2; echo "bench: utime=0.010s stime=0.002s rtime=0.020s" >&2; exit 3'), { keepStdout: true, onSpawn: (p) => (pid = p) });
      expect(outcome.exitCode).toBe(3);
      expect(outcome.signal).toBeNull();
      expect(outcome.stderrTail).toBe('bad thing');
      expect(outcome.stdout).toBe('out\n');
      expect(outcome.bench?.rtimeMs).toBeCloseTo(20);
      expect(pid).toBeGreaterThan(0);
      expect(outcome.spawnToExitMs).toBeGreaterThan(0);
    });

    it('kills on abort and on timeout', async () => {
      const controller = new AbortController();
      const running = runProcess('/bin/sleep', ['30'], { signal: controller.signal, killSignal: 'SIGKILL' });
      setTimeout(() => controller.abort(), 100);
      const aborted = await running;
      expect(aborted.signal).toBe('SIGKILL');
      const timed = await runProcess('/bin/sleep', ['30'], { timeoutMs: 100 });
      expect(timed.timedOut).toBe(true);
      expect(timed.signal).toBe('SIGTERM');
    });

    it('reports a binary that does not exist as a failed outcome', async () => {
      const outcome = await runProcess('/no/such/binary', []);
      expect(outcome.exitCode).not.toBe(0);
      expect(outcome.stderrTail).toMatch(/ENOENT|not found/);
    });
  });
}

describe.each(['python', 'sh'] as const)('the spawner (%s)', (kind) => {
  beforeEach(() => {
    process.env.CHUNKBENCH_SPAWNER = kind;
  });
  afterEach(() => delete process.env.CHUNKBENCH_SPAWNER);

  it.runIf(kind !== 'python' || python)('counts its CPU into the harness CPU', async () => {
    for (let i = 0; i < 5; i++) await runProcess('/bin/true', []);
    const spawner = spawnerCpuUs();
    expect(spawner).toBeGreaterThan(0);
    const own = process.cpuUsage();
    expect(harnessCpuUs()).toBeGreaterThanOrEqual(own.user + own.system + spawner);
  });

  it.runIf(kind !== 'python' || python)('fails the processes it was running when it dies, and a new one starts for the next', async () => {
    let pid: number | undefined;
    const running = runProcess('/bin/sleep', ['30'], { onSpawn: (p) => (pid = p) });
    await expect.poll(() => pid).toBeGreaterThan(0);
    const parentOf = (p: number) => Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(p)], { encoding: 'utf8' }).trim());
    // the process's parent is the spawner's subshell, whose parent is the spawner's shell (sh), or the
    // spawner itself (python)
    const spawnerPid = kind === 'sh' ? parentOf(parentOf(pid as number)) : parentOf(pid as number);
    expect(parentOf(spawnerPid)).toBe(process.pid);
    process.kill(spawnerPid, 'SIGKILL');
    const lost = await running;
    // killed with it: reported as such by its subshell, or as the spawner's death when no word came back
    expect(lost.exitCode).toBeNull();
    expect(lost.signal === 'SIGKILL' || /spawner process exited/.test(lost.stderrTail)).toBe(true);
    // and what it was running was killed with it
    // (a killed process whose parent died too may stay a zombie until init reaps it: dead all the same)
    const state = () => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] === 'Z' ? 'gone' : 'alive';
      } catch {
        return 'gone';
      }
    };
    await expect.poll(state).toBe('gone');
    const next = await runProcess('/bin/sh', sh('exit 0'));
    expect(next.exitCode).toBe(0);
  });
});

describe('choosing the helper', () => {
  it('takes python3 from PATH unless CHUNKBENCH_SPAWNER=sh, and the shell without python3', () => {
    expect(helperKind({ PATH: '/nonexistent' }).kind).toBe('sh');
    expect(helperKind({ PATH: process.env.PATH, CHUNKBENCH_SPAWNER: 'sh' }).kind).toBe('sh');
    if (python) expect(helperKind({ PATH: process.env.PATH }).command).toMatch(/python3$/);
  });
});

describe('spawnerReady', () => {
  afterEach(() => delete process.env.CHUNKBENCH_SPAWNER);
  it.each(['python', 'sh'] as const)('leaves the %s helper running, so that its start-up falls outside what is timed next', async (kind) => {
    if (kind === 'python' && !python) return;
    process.env.CHUNKBENCH_SPAWNER = kind;
    await spawnerReady();
    expect(helperRunning()).toBe(true);
  });
});
