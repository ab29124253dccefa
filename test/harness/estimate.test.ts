// The --dry-run estimate of a configuration whose segment is `auto`: the chunks auto would make.
import { describe, expect, it } from 'vitest';
import { expandGrid } from '../../src/grid/expand.ts';
import { parseGrid } from '../../src/grid/load.ts';
import { estimateRunSeconds } from '../../src/harness/estimate.ts';

describe('estimateRunSeconds', () => {
  it("prices segment 'auto' as the chunks it would choose (60 s on 2 workers: 2 of 30 s)", () => {
    const configs = expandGrid(parseGrid('g.json', { name: 'e', inputs: ['sd'], sweeps: [{ name: 's', vary: { segment: [30, 'auto', 10] } }] }));
    const input = { frames: 1800, width: 640, height: 360, durationSeconds: 60 };
    const [thirty, auto, ten] = configs.map((c) => estimateRunSeconds(c, input, 2));
    expect(auto).toBeCloseTo(thirty as number, 12);
    expect(auto).toBeLessThan(ten as number);
  });
});
