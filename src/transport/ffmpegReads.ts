// What a worker's ffmpeg read of its http:// inputs, in its own words, and its message tail without the lines
// the http transport makes it print (pure functions of stderr text).
//
// The count. libavformat prints, at -loglevel verbose, when a reading AVIOContext is closed (aviobuf.c,
// avio_close): `[AVIOContext @ 0x…] Statistics: 1191831 bytes read, 3 seeks`. bytes_read counts every byte
// its reads took from the protocol: for http://, the response bodies ffmpeg read off its sockets — not what
// the kernel had buffered beyond them when ffmpeg dropped a connection, which is what a count at the
// server cannot tell apart (issue #17). Writing AVIOContexts print `Statistics: N seeks, M writeouts`, so
// the pattern picks the reading ones. ffmpeg prints it while exiting, after -benchmark's lines, so it is the
// last line of the stderr tail exec.ts keeps; a killed ffmpeg prints none. Checked on the bundled 2018
// build (N-47683) for http:// inputs; the extra verbose lines change neither the -benchmark nor the frame
// count that exec.ts parses (test/transport/httpServer.test.ts runs it).
//
// The noise. Verbose adds a connection line per request and a summary of every stream at the end, and each
// window end (window.ts) an info line "Will reconnect at N in 0 second(s), error=End of file." — which
// ffmpegReason would take for the cause of a failure ("error"). Those lines are dropped from the tail that
// is recorded, so a failed http try reads like a failed local one — but shorter: exec.ts cuts the tail to 12
// lines before the worker sees it, and the end-of-run summary takes ~9 of them when ffmpeg got that far (it
// does not when it fails to open or to write; it does when it exits 0 on a short input, whose frame count
// the pool then rejects with its own message). The price of counting there rather than at the server.

/** A try's outcome as the worker reports it: ffmpeg's own count of what it read, when it printed one. */
export interface InputReadReport {
  inputReadBytes?: number;
}

const READ_STATISTICS = /^\[AVIOContext @ 0x[0-9a-f]+\] Statistics: (\d+) bytes read, \d+ seeks$/;

/** Σ of ffmpeg's "N bytes read" over its reading AVIOContexts (one per input), or null when it printed none. */
export function readBytesIn(stderr: string): number | null {
  let total: number | null = null;
  for (const line of stderr.split(/\r?\n/)) {
    const match = READ_STATISTICS.exec(line.trim());
    if (match) total = (total ?? 0) + Number(match[1]);
  }
  return total;
}

/** Lines that -loglevel verbose and the windows add to an http try's tail (the ones that reach the end). */
const NOISE: RegExp[] = [
  /^\[tcp @ 0x[0-9a-f]+\] (Starting connection attempt to|Successfully connected to) /,
  /^\[http @ 0x[0-9a-f]+\] Will reconnect at \d+ in 0 second\(s\), error=End of file\.$/,
  /^\[AVIOContext @ 0x[0-9a-f]+\] Statistics: /,
  /^No more output streams to write to, finishing\.$/,
  /^(Input|Output) file #\d+ \(.*\):$/,
  /^\s+(Input|Output) stream #\d+:\d+ \(\w+\): /,
  /^\s+Total: \d+ packets \(\d+ bytes\) (demuxed|muxed)$/,
  /^\[graph \d+ input from stream \d+:\d+ @ 0x[0-9a-f]+\] w:/,
  /^\[\w+ @ 0x[0-9a-f]+\] Reinit context to /,
];

/** The tail without the lines the http transport adds: what the same try would say reading a local file. */
export function withoutTransportNoise(tail: string): string {
  return tail
    .split('\n')
    .filter((line) => !NOISE.some((pattern) => pattern.test(line)))
    .join('\n');
}

/** Σ of what the tries' outcomes (as they came back through Redis) report reading, or null when none does
 * (a worker that predates the report, or tries whose ffmpeg was killed). */
export function reportedReadBytes(tries: readonly (object | undefined)[]): number | null {
  const reported = tries
    .map((t) => (t && 'inputReadBytes' in t ? t.inputReadBytes : undefined))
    .filter((n): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0);
  return reported.length ? reported.reduce((s, n) => s + n, 0) : null;
}
