// The one byte range a request asks for (RFC 9110 §14.1.2: `bytes=first-last`, `bytes=first-`,
// `bytes=-suffix`). ffmpeg asks for one range per request; a list of ranges, another unit or a malformed
// header is answered with the whole file (§14.2 allows ignoring Range), an unsatisfiable one with 416.
// Written here rather than taken from range-parser 1.3.0 (jshttp's, as express uses), by decision: that
// library answers a suffix longer than the file and `bytes=5-2` with 416 where RFC 9110 serves the whole
// file, and it does not say whether the end was left open, which the windows (window.ts) need.

/** Inclusive byte offsets, and whether the request left the end open (`bytes=first-`: the server may end
 * its answer early, window.ts); 'unsatisfiable' for 416; null: serve the whole file. */
export type ByteRange = { start: number; end: number; openEnded: boolean } | 'unsatisfiable' | null;

export function byteRange(size: number, header: string | undefined): ByteRange {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    // the last `suffix` bytes
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1, openEnded: false };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end, openEnded: match[2] === '' };
}
