import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { appendResult, newRunId, readResults, runPaths, type ResultLine } from '../../src/harness/store.ts';
import { tempDir } from '../helpers.ts';

const work = tempDir();
afterAll(() => work.remove());
const line = (seq: number): ResultLine => ({ schema: 'chunkbench.result/1', seq, round: 0, warmup: false, configId: 'c', label: 'l', state: 'ok', wallMs: 1, record: null });

describe('results.jsonl', () => {
  it('appends whole lines and reads them back', () => {
    appendResult(work.dir, line(0));
    appendResult(work.dir, line(1));
    expect(readResults(work.dir).map((l) => l.seq)).toEqual([0, 1]);
  });

  it('skips a partial last line left by a crash, and cuts it off when repairing', () => {
    appendFileSync(runPaths(work.dir).results, '{"schema":"chunkbench.result/1","seq":2,"rou');
    expect(readResults(work.dir).map((l) => l.seq)).toEqual([0, 1]);
    readResults(work.dir, true);
    expect(readFileSync(runPaths(work.dir).results, 'utf8').endsWith('}\n')).toBe(true);
    appendResult(work.dir, line(2));
    expect(readResults(work.dir).map((l) => l.seq)).toEqual([0, 1, 2]);
  });

  it('names runs by time and grid', () => {
    expect(newRunId('default', new Date('2026-11-25T00:45:12Z'))).toBe('20261125-004512-default');
  });
});
