// The byte range of a request (RFC 9110 §14.1.2), on hand-written headers; only `bytes=first-` leaves the end
// open (the server may then answer with less: window.ts).
import { describe, expect, it } from 'vitest';
import { byteRange } from '../../src/transport/range.ts';

describe('byteRange', () => {
  it.each([
    ['bytes=0-', { start: 0, end: 999, openEnded: true }],
    ['bytes=990-', { start: 990, end: 999, openEnded: true }],
    ['bytes=10-19', { start: 10, end: 19, openEnded: false }],
    ['bytes=990-5000', { start: 990, end: 999, openEnded: false }],
    ['bytes=-100', { start: 900, end: 999, openEnded: false }],
    ['bytes=-5000', { start: 0, end: 999, openEnded: false }],
    [' bytes=5-5 ', { start: 5, end: 5, openEnded: false }],
  ])('%s of 1000 bytes', (header, expected) => {
    expect(byteRange(1000, header)).toEqual(expected);
  });

  it.each(['bytes=1000-', 'bytes=2000-3000', 'bytes=-0'])('%s of 1000 bytes is unsatisfiable (416)', (header) => {
    expect(byteRange(1000, header)).toBe('unsatisfiable');
  });

  it.each([undefined, '', 'bytes=-', 'bytes=5-2', 'items=0-1', 'bytes=0-1,5-6', 'bytes=a-b'])('%s: the whole file', (header) => {
    expect(byteRange(1000, header)).toBeNull();
  });
});
