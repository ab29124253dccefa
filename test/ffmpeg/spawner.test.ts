// runProcess through the spawner helper (the default) and from this process (CHUNKBENCH_SPAWNER=direct):
// the same outcome either way, kills and timeouts reach the child, a dead spawner fails its callers
// instead of hanging them, and the spawner's CPU is counted.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProcess } from '../../src/ffmpeg/exec.ts';
import { harnessCpuUs, spawnerCpuUs } from '../../src/ffmpeg/spawner.ts';

const sh = (script: string) => ['-c', script];

for (const mode of ['spawner', 'direct'] as const) {
  describe(`runProcess (${mode})`, () => {
    beforeEach(() => {
      if (mode === 'direct') process.env.CHUNKBENCH_SPAWNER = 'direct';
      else delete process.env.CHUNKBENCH_SPAWNER;
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

describe('the spawner', () => {
  it('counts its CPU into the harness CPU', async () => {
    delete process.env.CHUNKBENCH_SPAWNER;
    for (let i = 0; i < 5; i++) await runProcess('/bin/true', []);
    const spawner = spawnerCpuUs();
    expect(spawner).toBeGreaterThan(0);
    const own = process.cpuUsage();
    expect(harnessCpuUs()).toBeGreaterThanOrEqual(own.user + own.system + spawner);
  });

  it('fails the processes it was running when it dies, and a new one starts for the next', async () => {
    delete process.env.CHUNKBENCH_SPAWNER;
    let pid: number | undefined;
    const running = runProcess('/bin/sleep', ['30'], { onSpawn: (p) => (pid = p) });
    await expect.poll(() => pid).toBeGreaterThan(0);
    const parentOf = (p: number) => Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(p)], { encoding: 'utf8' }).trim());
    // the process's parent is the spawner's subshell, whose parent is the spawner's shell
    const spawnerPid = parentOf(parentOf(pid as number));
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
