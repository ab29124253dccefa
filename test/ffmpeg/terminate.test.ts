// One place ends processes early (ffmpeg/terminate.ts): the fault injection, the timeout's escalation to
// SIGKILL, and the registry of live children, exercised through runProcess on real (sleeping) processes.
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../src/ffmpeg/exec.ts';
import { killAllChildren, liveChildPids } from '../../src/ffmpeg/terminate.ts';

describe('termination', () => {
  it('a kill fault SIGKILLs the process at its time', async () => {
    const outcome = await runProcess('/bin/sleep', ['30'], { fault: { kind: 'kill', afterMs: 50 } });
    expect(outcome.signal).toBe('SIGKILL');
    expect(outcome.timedOut).toBe(false);
  });

  it('a stall fault SIGSTOPs it, and only a SIGKILL timeout ends it then', async () => {
    const outcome = await runProcess('/bin/sleep', ['30'], { fault: { kind: 'stall', afterMs: 20 }, timeoutMs: 300, killSignal: 'SIGKILL' });
    expect(outcome.timedOut).toBe(true);
    expect(outcome.signal).toBe('SIGKILL');
  });

  it('a polite timeout escalates: a process that ignores SIGTERM is SIGKILLed after the grace', async () => {
    const started = performance.now();
    const outcome = await runProcess('/bin/sh', ['-c', "trap '' TERM; while :; do sleep 0.1; done"], { timeoutMs: 600 });
    expect(outcome.timedOut).toBe(true);
    expect(outcome.signal).toBe('SIGKILL');
    expect(performance.now() - started).toBeGreaterThan(2000);
  }, 15_000);

  it('knows the children running now, and kills them all at once', async () => {
    let pid: number | undefined;
    const running = runProcess('/bin/sleep', ['30'], { onSpawn: (p) => (pid = p) });
    await expect.poll(() => pid).toBeGreaterThan(0);
    expect(liveChildPids()).toContain(pid);
    expect(killAllChildren()).toBeGreaterThanOrEqual(1);
    expect((await running).signal).toBe('SIGKILL');
    expect(liveChildPids()).not.toContain(pid);
  });
});
