import { describe, expect, it } from 'vitest';
import { Turns } from '../../src/harness/runner.ts';
import { buildSchedule } from '../../src/harness/schedule.ts';

describe('buildSchedule', () => {
  const ids = ['a', 'b', 'c', 'd'];
  const schedule = buildSchedule(ids, 3, 1, 7);

  it('puts the warmup round first, then every configuration once per round', () => {
    expect(schedule).toHaveLength(16);
    expect(schedule.slice(0, 4).every((r) => r.warmup)).toBe(true);
    for (let round = 0; round < 3; round++) {
      expect(schedule.filter((r) => !r.warmup && r.round === round).map((r) => r.configId).sort()).toEqual(ids);
    }
    expect(schedule.map((r) => r.seq)).toEqual([...Array(16).keys()]);
  });

  it('shuffles each round differently, and the same way for the same seed', () => {
    const orders = [0, 1, 2].map((round) => schedule.filter((r) => !r.warmup && r.round === round).map((r) => r.configId).join(''));
    expect(new Set(orders).size).toBeGreaterThan(1);
    expect(buildSchedule(ids, 3, 1, 7)).toEqual(schedule);
    expect(buildSchedule(ids, 3, 1, 8)).not.toEqual(schedule);
  });
});

describe('buildSchedule with fewer rounds for some configurations (a sweep\'s repeats)', () => {
  it('runs them in the first rounds only, and in every warmup; the others keep the schedule they had', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const schedule = buildSchedule(ids, 3, 1, 7, (id) => (id === 'c' ? 1 : 3));
    expect(schedule.filter((r) => r.configId === 'c').map((r) => [r.warmup, r.round])).toEqual([[true, 0], [false, 0]]);
    expect(schedule.filter((r) => r.configId === 'a')).toHaveLength(4);
    expect(schedule).toHaveLength(14);
    expect(schedule.map((r) => r.seq)).toEqual([...Array(14).keys()]);
    // every configuration at the full count: the same schedule as without the argument
    expect(buildSchedule(ids, 3, 1, 7, () => 3)).toEqual(buildSchedule(ids, 3, 1, 7));
  });
});

describe('Turns', () => {
  it('lets concurrent per-configuration loops run strictly in schedule order', async () => {
    const schedule = buildSchedule(['a', 'b', 'c'], 4, 0, 3);
    const turns = new Turns(schedule);
    const executed: number[] = [];
    let running = 0;
    const loop = async (id: string) => {
      for (;;) {
        const run = await turns.wait(id);
        if (!run) return;
        running++;
        expect(running).toBe(1); // never two at once
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        executed.push(run.seq);
        running--;
        turns.advance();
      }
    };
    await Promise.all(['a', 'b', 'c'].map(loop));
    expect(executed).toEqual(schedule.map((r) => r.seq));
  });

  it('releases every waiter on abort', async () => {
    const controller = new AbortController();
    const turns = new Turns(buildSchedule(['a', 'b'], 2, 0, 1), controller.signal);
    const head = buildSchedule(['a', 'b'], 2, 0, 1)[0]?.configId;
    const other = head === 'a' ? 'b' : 'a';
    const waiting = turns.wait(other);
    controller.abort();
    expect(await waiting).toBeNull();
    expect(await turns.wait(head ?? 'a')).toBeNull();
  });
});
