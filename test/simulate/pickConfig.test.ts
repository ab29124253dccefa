import { describe, expect, it } from 'vitest';
import type { GridConfig } from '../../src/grid/expand.ts';
import type { ResultLine, RunMeta } from '../../src/harness/store.ts';
import { pickConfig } from '../../src/simulate/index.ts';

const config = (id: string, sweeps: string[], segmentSeconds: number) => ({ id, label: id, sweeps, mode: 'chunked', workers: 2, segmentSeconds, injectFaults: 0, injectStalls: 0 }) as unknown as GridConfig;
const line = (c: GridConfig, seq: number) => ({ schema: 'chunkbench.result/1', seq, round: 0, warmup: false, configId: c.id, label: c.label, state: 'ok', wallMs: 1000, record: { state: 'ok', config: c, chunks: [] } }) as unknown as ResultLine;

describe('pickConfig', () => {
  // a segments-like grid: no worker sweep; the most-swept configuration is the 0.5 s one, the centre 10 s
  const centre = config('c10', ['segments'], 10);
  const short = config('s05', ['segments', 'baselines'], 0.5);
  const meta = { runId: 'r', configs: [short, centre], grid: { fixed: { workers: 2 } }, centreId: 'c10' } as unknown as RunMeta;
  const results = [line(short, 0), line(centre, 1)];
  it("projects the grid's declared centre, not its most-swept configuration", () => {
    expect(pickConfig(meta, results).id).toBe('c10');
  });
  it('falls back to the most-swept one when the centre was not run (the queue grid)', () => {
    expect(pickConfig({ ...meta, centreId: 'absent' } as RunMeta, results).id).toBe('s05');
  });
});
