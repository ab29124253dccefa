// How much of a file the data plane sends for one open-ended range request (`Range: bytes=N-`, which is how
// ffmpeg asks: it never says where it will stop), as a pure function of the reader's previous request.
//
// Why bound it at all. ffmpeg reads an http:// input through a socket and drops the connection when it has
// what it needs or seeks elsewhere. By then the kernel has taken far more off the server than ffmpeg read:
// Node writes with backpressure, but the socket buffers are the backpressure's slack, and they autotune to
// megabytes (on this VM tcp_wmem tops out at 4 MB and tcp_rmem at 32 MB). Answering `bytes=N-` with the rest
// of the file made the coordinator push 25–27× the 8.9 MB sd source per run at 1 s segments, where the
// chunks' ffmpeg read 2.3× of it (5.2–5.4× at 5 s segments, read 1.15×: issue #17); on a real network that
// push is traffic, not just a wrong count. With these windows it served 3.1× and 1.5× (measured).
//
// The policy: a fresh read (a new offset: ffmpeg's first look at the file, a seek) gets FIRST_WINDOW_BYTES;
// a request that starts where the previous answer to the same job and file ended is the same sequential read
// going on, and gets twice the previous window, up to MAX_WINDOW_BYTES. So what is pushed but never read is
// at most FIRST_WINDOW_BYTES per abandoned fresh read, and for a sequential read at most its last window,
// which is no more than what it had read before plus FIRST_WINDOW_BYTES (doubling): served ≤ 2 × read + one
// first window per request, and a long read costs log₂(MAX / FIRST) + size / MAX requests, not size / FIRST.
// ffmpeg continues past the end of a window only with `-reconnect 1` (jobArgs.ts adds it): without it the
// 2018 build takes the early end for the end of the file and decodes a silently truncated input (measured).
// With it, each window end costs one new connection and one info line ("Will reconnect at N … End of file").

/** A fresh read's window: covers ffmpeg's look at a file's start or an mp4's moov in one or two answers. */
export const FIRST_WINDOW_BYTES = 64 * 1024;
/** The largest window: 34 ms of a gigabit link against a round trip or two per reconnect, and a bounded push
 * when ffmpeg stops. */
export const MAX_WINDOW_BYTES = 4 * 1024 * 1024;

/** Where the previous answer to the same reader (job and file) ended, and how big its window was. */
export interface LastAnswer {
  /** The first byte after that answer. */
  nextOffset: number;
  windowBytes: number;
}

/** The window for an open-ended request starting at `start`, given the previous answer to the same reader. */
export function windowBytes(start: number, last: LastAnswer | undefined): number {
  if (!last || last.nextOffset !== start) return FIRST_WINDOW_BYTES;
  return Math.min(MAX_WINDOW_BYTES, last.windowBytes * 2);
}
