// The coordinator's side of the http transport: a small HTTP server (node:http) that
//   GET/HEAD /files/<id>/<name>  serves a chunk's input with byte ranges (RFC 9110 §14, range.ts), so
//                                ffmpeg seeks in the source by range requests and an exact chunk fetches
//                                about its own part of it. ffmpeg asks with open-ended ranges
//                                (`bytes=N-`); those are answered with at most the reader's window
//                                (window.ts) and the connection closed, and ffmpeg (-reconnect 1) asks
//                                for the rest — so what the socket buffers absorb beyond what ffmpeg
//                                reads is bounded. `servedBytes` counts what each answer handed to the
//                                socket; what ffmpeg read is its own count, reported by the worker
//                                (ffmpegReads.ts) and added when the job settles (`readBytes`);
//   PUT      /chunks/<job>       accepts the job's output: size-capped, written to a temp file beside the
//                                chunk's path, checked with ffprobe (uploadCheck.ts), and only then renamed
//                                into place for the merge. A truncated or refused upload leaves nothing.
// Every request must carry the run's random token (Authorization: Bearer …); a wrong or missing one gets
// 403 and is counted. Only files registered for a live job are served: a URL names an id, never a path.
// The server listens on loopback unless told otherwise, and warns when it is reachable from the network.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ChunkTask } from '../executors/types.ts';
import type { Binaries } from '../ffmpeg/binaries.ts';
import { filePath, JOB_HEADER, toHttpArgs, uploadPath } from './jobArgs.ts';
import { parseListen, type ListenAddress } from './listen.ts';
import { reportedReadBytes } from './ffmpegReads.ts';
import { byteRange } from './range.ts';
import { DEFAULT_MAX_UPLOAD_BYTES, type CoordinatorTransport, type TransferStats } from './types.ts';
import { codecOfEncoder, encoderOf, uploadProblem } from './uploadCheck.ts';
import { windowBytes, type LastAnswer } from './window.ts';
import { ChunkbenchError } from '../errors.ts';

/** A connection that moves nothing for this long is closed (a dead worker mid-upload; a stuck reader). */
export const IDLE_SOCKET_MS = 60_000;

export interface HttpTransportOptions {
  /** `HOST[:PORT]` to listen on (`--transport-listen`); default 127.0.0.1 on a free port. */
  listen?: string;
  /** The URL workers reach this server at (`--transport-url`); default http://HOST:PORT of `listen`.
   * Required when listening on every interface (0.0.0.0, ::). */
  advertiseUrl?: string;
  maxUploadBytes?: number;
  binaries: Binaries;
  /** Where the non-loopback warning and refused requests are told (never the token). */
  log?: (line: string) => void;
}

/** What the data plane refused, for the run's record and for tests. */
export interface DataPlaneCounters {
  /** Requests with a wrong or missing token (403). */
  forbidden: number;
  /** Uploads over the cap, without a length, or failing the ffprobe check. */
  refusedUploads: number;
  /** Uploads whose connection ended before their declared length. */
  truncatedUploads: number;
  acceptedUploads: number;
}

export interface HttpTransport extends CoordinatorTransport {
  readonly kind: 'http';
  /** What workers are told to use. */
  readonly url: string;
  /** Where it actually listens. */
  readonly address: ListenAddress;
  counters(): DataPlaneCounters;
}

interface ExpectedJob {
  outputPath: string;
  expectedFrames: number | null;
  codec: string | null;
  files: string[];
  accepted: boolean;
  stats: TransferStats;
  /** Per served path: where the last answer to this job ended, for the next window (window.ts). */
  lastAnswers: Map<string, LastAnswer>;
}

const emptyStats = (): TransferStats => ({ readBytes: null, servedBytes: 0, fetchRequests: 0, fetchMs: 0, uploadBytes: 0, uploadMs: 0, checkMs: 0, uploadAttempts: 0 });

/** Starts the server; a one-line ChunkbenchError naming the flag when the address cannot be used. */
export async function startHttpTransport(options: HttpTransportOptions): Promise<HttpTransport> {
  const address = parseListen(options.listen ?? '127.0.0.1:0');
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  if (!(Number.isSafeInteger(maxUploadBytes) && maxUploadBytes > 0)) throw new ChunkbenchError(`--max-upload-mb must be a size > 0, got ${maxUploadBytes} bytes`);
  if (address.wildcard && !options.advertiseUrl) {
    throw new ChunkbenchError(`--transport-listen ${options.listen}: listening on every interface, workers need to be told where to connect: give --transport-url http://ADDRESS:PORT`);
  }
  const log = options.log ?? (() => {});
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(`Bearer ${token}`);
  const counters: DataPlaneCounters = { forbidden: 0, refusedUploads: 0, truncatedUploads: 0, acceptedUploads: 0 };
  const jobs = new Map<string, ExpectedJob>();
  /** Served files: id → path, and path → { id, jobs using it }. */
  const byId = new Map<string, string>();
  const byPath = new Map<string, { id: string; users: number }>();

  const authorised = (req: IncomingMessage): boolean => {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorised(req)) {
      counters.forbidden++;
      log(`refused ${req.method} ${req.url?.split('?')[0]} from ${req.socket.remoteAddress}: wrong or missing token (403)`);
      return reply(res, 403, 'forbidden: wrong or missing token');
    }
    const parts = (req.url ?? '').split('?')[0]?.split('/') ?? [];
    const job = jobs.get(String(req.headers[JOB_HEADER] ?? ''));
    if (parts[1] === 'files' && parts[2] && (req.method === 'GET' || req.method === 'HEAD')) return serveFile(req, res, byId.get(parts[2]), job);
    if (parts[1] === 'chunks' && parts[2] && req.method === 'PUT') return acceptUpload(req, res, decodeURIComponent(parts[2]));
    return reply(res, 404, 'not found');
  }

  async function acceptUpload(req: IncomingMessage, res: ServerResponse, jobId: string): Promise<void> {
    const startedMs = performance.now();
    const job = jobs.get(jobId);
    if (!job) return reply(res, 404, `no upload is expected for job ${jobId} (finished, cancelled or never queued)`);
    job.stats.uploadAttempts++;
    if (job.accepted) return reply(res, 409, `job ${jobId}: an upload was already accepted`);
    const declared = Number(req.headers['content-length']);
    if (req.headers['content-length'] === undefined || !Number.isSafeInteger(declared)) {
      counters.refusedUploads++;
      return reply(res, 411, 'an upload must declare its Content-Length');
    }
    if (declared > maxUploadBytes) {
      counters.refusedUploads++;
      return reply(res, 413, `upload of ${declared} bytes is over the cap of ${maxUploadBytes} bytes (--max-upload-mb)`);
    }
    const partial = join(dirname(job.outputPath), `.${basename(job.outputPath)}.upload-${randomUUID().slice(0, 8)}.part`);
    let received = 0;
    try {
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          received += chunk.length;
          done(received > declared ? new Error(`more than the declared ${declared} bytes`) : null, chunk);
        },
      });
      await pipeline(req, count, createWriteStream(partial));
      if (received !== declared) throw new Error(`the upload ended after ${received} of ${declared} bytes`);
      const uploadMs = performance.now() - startedMs;
      const checkStart = performance.now();
      const problem = await uploadProblem(options.binaries, partial, job);
      const checkMs = performance.now() - checkStart;
      if (problem) {
        counters.refusedUploads++;
        log(`refused the upload of job ${jobId}: ${problem}`);
        return reply(res, 422, `chunk upload refused: ${problem}`);
      }
      // settled meanwhile (cancelled, or the run ended): the merge must not get it
      if (jobs.get(jobId) !== job) return reply(res, 410, `job ${jobId} ended while its upload was checked`);
      if (job.accepted) return reply(res, 409, `job ${jobId}: an upload was already accepted`);
      renameSync(partial, job.outputPath);
      job.accepted = true;
      counters.acceptedUploads++;
      Object.assign(job.stats, { uploadBytes: declared, uploadMs, checkMs });
      return reply(res, 201, `accepted ${declared} bytes`);
    } catch (error) {
      counters.truncatedUploads++;
      log(`dropped the upload of job ${jobId}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent && !res.destroyed) reply(res, 400, `upload failed after ${received} of ${declared} bytes`);
    } finally {
      rmSync(partial, { force: true });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`internal error on ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) reply(res, 500, 'internal error');
      else res.destroy();
    });
  });
  // an upload of a big chunk over a slow link may take long; a connection that moves nothing may not
  server.requestTimeout = 0;
  server.setTimeout(IDLE_SOCKET_MS, (socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new ChunkbenchError(`--transport-listen ${address.host}:${address.port}: cannot listen (${error.code ?? error.message}); choose another address or port`)));
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = { ...address, port: (server.address() as AddressInfo).port };
  const hostInUrl = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  const url = (options.advertiseUrl ?? `http://${hostInUrl}:${bound.port}`).replace(/\/$/, '');
  if (!bound.loopback) {
    log(`warning: the data plane listens on ${hostInUrl}:${bound.port}, reachable from the network; every request needs this run's token, but plain HTTP carries it unencrypted: use a private network, or a TLS proxy and --transport-url https://…`);
  }

  const serve = (path: string, jobId: string): string => {
    let entry = byPath.get(path);
    if (!entry) {
      entry = { id: randomUUID(), users: 0 };
      byPath.set(path, entry);
      byId.set(entry.id, path);
    }
    entry.users++;
    jobs.get(jobId)?.files.push(path);
    return filePath(entry.id, path);
  };

  return {
    kind: 'http',
    url,
    address: bound,
    counters: () => ({ ...counters }),
    place(task: ChunkTask, jobId: string) {
      jobs.set(jobId, { outputPath: task.outputPath, expectedFrames: task.expectedFrames, codec: codecOfEncoder(encoderOf(task.args)), files: [], accepted: false, stats: emptyStats(), lastAnswers: new Map() });
      const mapped = toHttpArgs(task.args, task.outputPath, url, (path) => serve(path, jobId));
      if (!mapped) throw new Error(`chunk ${task.index}: its ffmpeg arguments do not end with its output path ${task.outputPath}`);
      return { args: mapped.args, outputPath: mapped.outputName, workDir: '', http: { baseUrl: url, token, uploadPath: uploadPath(jobId) } };
    },
    settle(jobId: string, tries = []) {
      const job = jobs.get(jobId);
      if (!job) return undefined;
      job.stats.readBytes = reportedReadBytes(tries);
      jobs.delete(jobId);
      for (const path of job.files) {
        const entry = byPath.get(path);
        if (entry && --entry.users === 0) {
          byPath.delete(path);
          byId.delete(entry.id);
        }
      }
      return job.stats;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Serves `path` (undefined: not registered): the whole file, or the one byte range asked for — an open-ended
 * one cut to the reader's window (window.ts), the connection then closed so that ffmpeg asks again for the
 * rest. Counts, per response, the bytes handed to the socket (`servedBytes`). */
async function serveFile(req: IncomingMessage, res: ServerResponse, path: string | undefined, job: ExpectedJob | undefined): Promise<void> {
  if (path === undefined) return reply(res, 404, 'no such file (it is served only while a job needs it)');
  const startedMs = performance.now();
  const size = statSync(path).size;
  const asked = byteRange(size, req.headers.range);
  if (asked === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  // no Range, a malformed one, or several (multipart answers are not needed by ffmpeg): the whole file
  const range = asked ?? undefined;
  const start = range?.start ?? 0;
  let end = range?.end ?? size - 1;
  if (range?.openEnded) {
    const window = windowBytes(start, job?.lastAnswers.get(path));
    end = Math.min(end, start + window - 1);
    if (req.method !== 'HEAD') job?.lastAnswers.set(path, { nextOffset: end + 1, windowBytes: window });
  }
  const cut = end < size - 1 && range?.openEnded === true;
  res.writeHead(range ? 206 : 200, {
    'Accept-Ranges': 'bytes',
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(Math.max(0, end - start + 1)),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    // a reader on a kept-alive connection would wait for the rest of the file; a closed one makes it ask
    ...(cut ? { Connection: 'close' } : {}),
  });
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(path, { start, end });
  if (job) {
    job.stats.fetchRequests++;
    // counted as each piece is handed over, so the count is complete before the reader has the last byte
    stream.on('data', (chunk) => (job.stats.servedBytes += chunk.length));
  }
  try {
    // pipeline writes with backpressure: the file is read only as fast as the socket takes it
    await pipeline(stream, res);
  } catch {
    // ffmpeg drops a connection when it seeks elsewhere: normal, not an error
  } finally {
    if (job) job.stats.fetchMs += performance.now() - startedMs;
  }
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: status >= 400 ? 'close' : 'keep-alive' }).end(`${message}\n`);
}
