// The window an open-ended range request is answered with (pure): a fresh read gets the first window, the
// same sequential read going on gets twice its last one up to the cap; and the bound that follows from it.
import { describe, expect, it } from 'vitest';
import { FIRST_WINDOW_BYTES, MAX_WINDOW_BYTES, windowBytes, type LastAnswer } from '../../src/transport/window.ts';

describe('windowBytes', () => {
  it('gives a fresh read (no previous answer, or another offset: a seek) the first window', () => {
    expect(windowBytes(0, undefined)).toBe(FIRST_WINDOW_BYTES);
    expect(windowBytes(5000, { nextOffset: 4000, windowBytes: MAX_WINDOW_BYTES })).toBe(FIRST_WINDOW_BYTES);
  });

  it('doubles the window of a read that goes on where the last answer ended, up to the cap', () => {
    expect(windowBytes(65_536, { nextOffset: 65_536, windowBytes: 65_536 })).toBe(131_072);
    expect(windowBytes(9e6, { nextOffset: 9e6, windowBytes: MAX_WINDOW_BYTES })).toBe(MAX_WINDOW_BYTES);
  });

  it('serves a sequential read in few requests, and at most 2 × what was read + one first window', () => {
    // a reader that takes `need` bytes from offset 0 and then stops (drops the connection mid-window)
    const serve = (need: number) => {
      let last: LastAnswer | undefined;
      let offset = 0;
      let served = 0;
      let requests = 0;
      while (offset < need) {
        const w = windowBytes(offset, last);
        served += w;
        requests++;
        last = { nextOffset: offset + w, windowBytes: w };
        offset += w;
      }
      return { served, requests };
    };
    for (const need of [1, 30_000, 65_537, 300_000, 1e6, 27e6, 2e9]) {
      const { served, requests } = serve(need);
      expect(served).toBeGreaterThanOrEqual(need);
      expect(served).toBeLessThanOrEqual(2 * need + FIRST_WINDOW_BYTES);
      expect(requests).toBeLessThanOrEqual(Math.log2(MAX_WINDOW_BYTES / FIRST_WINDOW_BYTES) + 1 + Math.ceil(need / MAX_WINDOW_BYTES));
    }
    // the 8.9 MB sd source read whole: 8 requests, not the 137 of first windows
    expect(serve(8_913_794).requests).toBe(8);
  });
});
