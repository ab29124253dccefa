import { describe, expect, it } from 'vitest';
import { parseWorkerList } from '../../src/simulate/args.ts';

describe('parseWorkerList', () => {
  it('reads lists and doubling ranges, sorted and without duplicates', () => {
    expect(parseWorkerList('1,2,4')).toEqual([1, 2, 4]);
    expect(parseWorkerList('1..1024')).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
    expect(parseWorkerList('3..20')).toEqual([3, 6, 12, 20]);
    expect(parseWorkerList('8, 1..4 ,4')).toEqual([1, 2, 4, 8]);
  });

  it.each(['', '0', '1,,2', '1,two', '2.5', '-1', '8..2', '1..', '1e3'])('rejects %j with one line naming the flag', (text) => {
    expect(() => parseWorkerList(text)).toThrow(/^--workers must be a comma-separated list of whole numbers ≥ 1, or a doubling range a\.\.b \(e\.g\. 1,2,4 or 1\.\.1024\), up to 1000000; got '.*'$/);
  });
});
