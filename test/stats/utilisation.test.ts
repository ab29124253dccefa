import { describe as group, expect, it } from 'vitest';
import { cpuUtilisation, cpuUtilisationOf, totalCpuMs } from '../../src/stats/index.ts';

group('cpu utilisation', () => {
  it('is Σ (user + sys) / (wall × cores)', () => {
    // two ffmpeg processes: (4000 + 500) + (3500 + 1000) = 9000 ms of CPU in 6000 ms on 2 cores: 9000 / 12000 = 0.75
    const processes = [{ userMs: 4000, sysMs: 500 }, { userMs: 3500, sysMs: 1000 }];
    expect(totalCpuMs(processes)).toBe(9000);
    expect(cpuUtilisationOf(processes, 6000, 2)).toBe(0.75);
    // 18 s of CPU in 10 s on 2 cores = 18 / 20 = 0.9
    expect(cpuUtilisation(18_000, 10_000, 2)).toBeCloseTo(0.9, 12);
  });

  it('is 0 when nothing was measured', () => {
    expect(cpuUtilisation(1, 0, 2)).toBe(0);
    expect(cpuUtilisation(1, 1000, 0)).toBe(0);
    expect(cpuUtilisationOf([], 1000, 2)).toBe(0);
  });
});
