import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baselineFrom, baselineFromStored, mismatches, mixedBecause, readBaseline, unusableBecause, writeBaseline, type StoredSession } from '../../src/check/baseline.ts';
import { decide, gateSample, MIN_CEILING, type BaselineStat, type GateSample } from '../../src/check/gate.ts';
import type { CeilingLine } from '../../src/harness/ceiling.ts';
import type { HeadlinePlan } from '../../src/harness/sequential.ts';
import type { ResultLine } from '../../src/harness/store.ts';
import { mulberry32, ratioFromLogs } from '../../src/stats/index.ts';

const plan: HeadlinePlan = { centreId: 'w2', baselines: [{ name: 'single', configId: 'single' }], ceilingId: 'ceiling-w2', ids: ['w2', 'single', 'ceiling-w2'] };

/** A run; a chunked one gets two workers and chunks busy for `busyMs` in all (efficiency busy / (2 · wall)). */
function run(configId: string, round: number, wallMs: number, state: 'ok' | 'failed' = 'ok', busyMs = 1.7 * wallMs): ResultLine {
  const chunks = [0, 1, 2, 3].map((index) => ({ index, state: 'ok', spawnToExitMs: busyMs / 4 }));
  const record = configId === 'w2' ? ({ config: { workers: 2 }, chunks } as unknown as ResultLine['record']) : null;
  return { schema: 'chunkbench.result/1', seq: 0, round, warmup: false, configId, label: configId, state, wallMs, record };
}
const ceiling = (round: number, value: number): CeilingLine => ({ schema: 'chunkbench.ceiling/1', seq: 0, round, warmup: false, configId: 'ceiling-w2', label: 'ceiling w2', workers: 2, state: 'ok', aloneMs: 1000, togetherMs: 2000 / value, ceiling: value });

/** A sample from per-round logs of the schedule efficiency (share of the ceiling 0.8, speedup made up). */
function sampleOf(efficiencyLogs: number[], ceilingValue = 1.9, share = 0.8): GateSample {
  const lines = efficiencyLogs.flatMap((x, round) => {
    const wall = 4000 / (ceilingValue * share);
    return [run('single', round, 4000), run('w2', round, wall, 'ok', 2 * wall * Math.exp(x))];
  });
  const sample = gateSample(plan, lines, efficiencyLogs.map((_, round) => ceiling(round, ceilingValue)));
  if (!sample) throw new Error('no sample');
  return sample;
}

describe('gateSample', () => {
  it('pairs single, chunked and the ceiling by round, and leaves out a round that lacks one', () => {
    const lines = [run('single', 0, 4000), run('w2', 0, 2500, 'ok', 4000), run('single', 1, 4400), run('w2', 1, 2600, 'ok', 4680), run('single', 2, 4000), run('w2', 2, 2000, 'failed')];
    const sample = gateSample(plan, lines, [ceiling(0, 1.9), ceiling(1, 1.8), ceiling(2, 1.9)]);
    expect(sample?.rounds.map((r) => r.round)).toEqual([0, 1]);
    // efficiency: 4000 / (2 · 2500) = 0.8 and 4680 / (2 · 2600) = 0.9
    expect(sample?.logs).toEqual([expect.closeTo(Math.log(0.8), 12), expect.closeTo(Math.log(0.9), 12)]);
    expect(sample?.efficiency.point).toBeCloseTo(Math.sqrt(0.8 * 0.9), 12);
    // round 0: speedup 4000/2500 = 1.6 of a ceiling of 1.9; round 1: 4400/2600 of 1.8
    expect(sample?.share.point).toBeCloseTo(Math.sqrt((1.6 / 1.9) * (4400 / 2600 / 1.8)), 12);
    expect(sample?.speedup.point).toBeCloseTo(Math.sqrt(1.6 * (4400 / 2600)), 12);
  });

  it('the schedule efficiency and the share of the ceiling do not move with a load that slows everything alike', () => {
    const quiet = sampleOf([0.85, 0.86, 0.84].map(Math.log), 1.95);
    const busy = sampleOf([0.85, 0.86, 0.84].map(Math.log), 1.4);
    expect(busy.speedup.point).toBeLessThan(quiet.speedup.point * 0.75);
    expect(busy.efficiency.point).toBeCloseTo(quiet.efficiency.point, 12);
    expect(busy.share.point).toBeCloseTo(quiet.share.point, 12);
  });
});

describe('decide', () => {
  const base: BaselineStat = { n: 16, meanLog: Math.log(0.85), sdLog: 0.04, sessions: 1, sessionSdLog: 0.03 };

  it('passes unchanged code once a loss of the tolerance is excluded', () => {
    const d = decide(sampleOf([0.85, 0.86, 0.84, 0.85, 0.87, 0.84].map(Math.log)), base, 0.1, false);
    expect(d.verdict).toBe('no change');
    expect(d.change?.lo).toBeGreaterThan(0.9);
  });

  it('calls a regression only when the whole CI is below 1 − tolerance/2', () => {
    const lost = sampleOf([0.7, 0.71, 0.69, 0.72, 0.7, 0.7].map(Math.log));
    const d = decide(lost, base, 0.1, false);
    expect(d.verdict).toBe('regressed');
    expect(d.change?.hi).toBeLessThan(0.95);
    expect(d.reason).toBe('the whole 95% CI of the change in efficiency is below −5%');
  });

  it('asks for more rounds while the CI reaches both a loss and no loss, and decides at the cap', () => {
    const noisy = sampleOf([0.95, 0.7, 0.9, 0.72, 0.8, 0.85].map(Math.log));
    expect(decide(noisy, base, 0.1, false).verdict).toBe('undecided');
    const atCap = decide(noisy, base, 0.1, true);
    expect(['no change', 'regressed']).toContain(atCap.verdict);
    // its point is 0.82 / 0.85 = −3.5%: not beyond the tolerance, so not a regression
    expect(atCap.verdict).toBe('no change');
  });

  it('includes the baseline’s own uncertainty: a noisy baseline widens the interval', () => {
    const sample = sampleOf([0.8, 0.81, 0.79, 0.8, 0.82, 0.8].map(Math.log));
    const tight = decide(sample, { ...base, sdLog: 0.01 }, 0.1, false).change;
    const loose = decide(sample, { ...base, sdLog: 0.4 }, 0.1, false).change;
    expect((loose?.hi ?? 0) - (loose?.lo ?? 0)).toBeGreaterThan(2 * ((tight?.hi ?? 0) - (tight?.lo ?? 0)));
  });

  it('reports an improvement without failing', () => {
    expect(decide(sampleOf([1.0, 1.01, 0.99, 1.0, 1.01, 1.0].map(Math.log)), base, 0.1, false).verdict).toBe('improved');
  });

  it('is inconclusive, naming the ceiling, when the machine cannot show parallelism', () => {
    const saturated = sampleOf([0.85, 0.86, 0.84].map(Math.log), 1.05);
    expect(decide(saturated, base, 0.1, false).verdict).toBe('undecided');
    const d = decide(saturated, base, 0.1, true);
    expect(d.verdict).toBe('inconclusive');
    expect(d.reason).toContain(`1.05× [1.05, 1.05]`);
    expect(d.reason).toContain(`below ${MIN_CEILING}`);
  });

  it('uses the floors without a baseline', () => {
    expect(decide(sampleOf([0.45, 0.46, 0.44].map(Math.log)), null, 0.1, false).verdict).toBe('regressed');
    expect(decide(sampleOf([0.85, 0.86, 0.84].map(Math.log)), null, 0.1, false).verdict).toBe('no change');
  });

  it('fails a share of the ceiling whose whole CI is below its floor, whatever the efficiency', () => {
    const d = decide(sampleOf([0.85, 0.86, 0.84].map(Math.log), 1.9, 0.4), base, 0.1, false);
    expect(d.verdict).toBe('regressed');
    expect(d.reason).toBe("the whole 95% CI of the speedup's share of the ceiling is below the floor 0.5");
  });

  /** Share of simulated checks that call a regression: rounds with log sd 0.06, every check's session off by
   * its own N(0, 0.03) drift, the baseline's mean off by N(0, baselineDriftSd) (0.03: sessions back to back,
   * one spell of the machine; 0.02: the committed baseline, 20 sessions spread over an hour, which keeps the
   * drift between hours), looks after 6 … 16 rounds, a true loss of `loss`. */
  function alarmRate(loss: number, seed: number, trials = 2000, baselineDriftSd = 0.03): number {
    const rng = mulberry32(seed);
    const z = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    let alarms = 0;
    for (let t = 0; t < trials; t++) {
      // the baseline's 3 sessions run back to back: one spell of the machine, one drift for all three
      const baseline: BaselineStat = { n: 24, meanLog: Math.log(0.85) + baselineDriftSd * z() + (0.06 / Math.sqrt(24)) * z(), sdLog: 0.06, sessions: 3, sessionSdLog: 0.03 };
      const session = Math.log(0.85 * (1 - loss)) + 0.03 * z();
      const logs: number[] = [];
      for (let n = 1; n <= 16; n++) {
        logs.push(session + 0.06 * z());
        if (n < 6) continue;
        const d = decide(sampleOf(logs), baseline, 0.1, n === 16);
        if (d.verdict === 'regressed') alarms++;
        if (d.verdict !== 'undecided') break;
      }
    }
    return alarms / trials;
  }

  // In this model the cap's line at −8% (CAP_LOSS_SHARE) gives 1.1% false alarms and catches a 15% loss
  // 95% of the time against a spread-out baseline (2.0% and 93% against back-to-back sessions; at −10% it
  // was 1.1% and 88%). Whether the machine's drift is this model's is what npm run bench:check measures.
  it('keeps false alarms near 1% over repeated looks and drifting sessions, simulated', () => {
    expect(alarmRate(0, 5, 4000, 0.02)).toBeLessThan(0.016);
    expect(alarmRate(0, 8, 4000, 0.03)).toBeLessThan(0.03);
  });

  it('catches most 15% losses and every 25% loss, simulated', () => {
    expect(alarmRate(0.15, 6, 4000, 0.02)).toBeGreaterThan(0.93);
    expect(alarmRate(0.25, 7, 4000, 0.02)).toBeGreaterThan(0.99);
  });
});

describe('the baseline file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-baseline-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sample = sampleOf([0.85, 0.86, 0.84, 0.85].map(Math.log));
  const machine = { cores: 2, cpuModel: 'AMD EPYC' };

  it('round-trips: what is written reads back equal, with the statistic the gate compares', () => {
    const path = join(dir, 'ci.json');
    const written = baselineFrom([sample], { grid: 'ci', commit: 'abc', machine, ffmpegVersion: 'ffmpeg version 4.1', now: new Date('2026-11-30T00:00:00Z') });
    writeBaseline(path, written);
    const read = readBaseline(path);
    expect(read).toEqual(written);
    expect(read?.efficiency.n).toBe(4);
    expect(Math.exp(read?.efficiency.meanLog ?? 0)).toBeCloseTo(sample.efficiency.point, 12);
    expect(ratioFromLogs(sample.logs).log.se * 2).toBeCloseTo(read?.efficiency.sdLog ?? 0, 12);
  });

  it('rejects a file that does not validate in one line naming the file and the field', () => {
    const path = join(dir, 'empty.json');
    writeFileSync(path, '{}');
    expect(() => readBaseline(path)).toThrow(new RegExp(`^--baseline ${path}: schema: .*; expected a chunkbench\\.baseline/2 file \\(write one with --update-baseline\\)$`));
    writeFileSync(path, 'nope');
    expect(() => readBaseline(path)).toThrow(/^--baseline .*: not JSON/);
    expect(readBaseline(join(dir, 'absent.json'))).toBeNull();
  });

  it('names every difference of machine and ffmpeg', () => {
    const b = baselineFrom([sample], { grid: 'ci', commit: null, machine, ffmpegVersion: 'ffmpeg version 4.1' });
    expect(mismatches(b, machine, 'ffmpeg version 4.1')).toEqual([]);
    expect(mismatches(b, { cores: 4, cpuModel: 'Intel' }, 'ffmpeg version 7.1')).toEqual(['2 cores there, 4 here', "CPU 'AMD EPYC' there, 'Intel' here", "ffmpeg 'ffmpeg version 4.1' there, 'ffmpeg version 7.1' here"]);
  });
});

describe('a baseline from stored sessions (--update-baseline --from-runs)', () => {
  const machine = { cores: 2, cpuModel: 'AMD EPYC' };
  const session = (runId: string, startedAt: string, logs: number[], over: Partial<StoredSession> = {}): StoredSession => ({ runId, startedAt, grid: 'ci', commit: 'abc', machine, ffmpegVersion: 'ffmpeg version 4.1', crippled: 0, failedRuns: 0, sample: sampleOf(logs), ...over });
  const a = session('a', '2026-11-30T08:00:00Z', [0.8, 0.82, 0.81, 0.8].map(Math.log));
  const b = session('b', '2026-11-30T08:46:00Z', [0.86, 0.85, 0.84, 0.87].map(Math.log));

  it('averages the sessions, says which and how far apart in time, and round-trips', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-stored-'));
    try {
      const built = baselineFromStored([a, b], new Date('2026-11-30T10:00:00Z'));
      expect(built.efficiency.sessions).toBe(2);
      expect(built.efficiency.n).toBe(8);
      const meanOf = (s: StoredSession) => (s.sample as GateSample).logs.reduce((x, y) => x + y, 0) / 4;
      expect(built.efficiency.meanLog).toBeCloseTo((meanOf(a) + meanOf(b)) / 2, 12);
      expect(built.sessionsSpanMinutes).toBe(46);
      expect(built.runIds).toEqual(['a', 'b']);
      writeBaseline(join(dir, 'ci.json'), built);
      expect(readBaseline(join(dir, 'ci.json'))).toEqual(built);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a session that is not unchanged code on this machine, saying why', () => {
    const why = (s: StoredSession) => unusableBecause(s, 'ci', machine, 'ffmpeg version 4.1');
    expect(why(a)).toBeNull();
    expect(why({ ...a, crippled: 0.15 })).toBe('its runs were crippled on purpose (CHUNKBENCH_CRIPPLE=0.15)');
    expect(why({ ...a, failedRuns: 2 })).toBe('2 of its runs failed');
    expect(why({ ...a, grid: 'quick' })).toBe('it ran the quick grid, not ci');
    expect(why({ ...a, sample: null })).toBe('it has fewer than two complete rounds');
    expect(why({ ...a, machine: { cores: 4, cpuModel: 'AMD EPYC' } })).toBe('it was measured elsewhere (4 cores there, 2 here)');
    expect(why({ ...a, sample: sampleOf([0.8, 0.82, 0.81].map(Math.log), 1.1) })).toBe('its 2-way ceiling was 1.10×, below 1.2: the machine could not show parallelism then');
  });

  it('refuses sessions that do not belong together: the same run twice, two commits, two grids', () => {
    expect(mixedBecause([a, b])).toBeNull();
    expect(mixedBecause([a, a])).toBe('run a is given twice');
    expect(mixedBecause([a, { ...b, commit: 'abc-dirty' }])).toBe('the runs measured different code (commits abc, abc-dirty); a baseline is one version of the code');
    expect(mixedBecause([{ ...a, gridHash: 'x' }, { ...b, gridHash: 'y' }])).toBe('the runs measured different versions of the grid');
  });
});
