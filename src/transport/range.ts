// The one byte range a request asks for (RFC 9110 §14.1.2: `bytes=first-last`, `bytes=first-`,
// `bytes=-suffix`). ffmpeg asks for one range per request; a list of ranges, another unit or a malformed
// header is answered with the whole file (§14.2 allows ignoring Range), an unsatisfiable one with 416.
// (express's range-parser does the same and more; it could not be installed in the session that wrote
// this, and nothing here needs multipart answers.)

/** Inclusive byte offsets; 'unsatisfiable' for 416; null: serve the whole file. */
export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

export function byteRange(size: number, header: string | undefined): ByteRange {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    // the last `suffix` bytes
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end };
}
