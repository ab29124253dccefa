// The data plane between the queue's coordinator and its workers, behind one small interface. `shared`: the
// workers see the coordinator's files under the same paths (a shared filesystem), nothing moves through
// the transport. `http`: they share nothing but the network — the coordinator serves each chunk's input
// over HTTP with byte ranges (ffmpeg reads `http://` inputs and seeks with range requests, so an exact chunk
// fetches only its part of the source) and accepts each chunk's output by HTTP PUT (transport/httpServer.ts);
// the worker keeps its own private directory (transport/httpWorker.ts).
import { dirname } from 'node:path';
import type { ChunkTask } from '../executors/types.ts';
import type { ProcessOutcome } from '../ffmpeg/exec.ts';

export const TRANSPORTS = ['shared', 'http'] as const;
/** Default cap on one chunk upload: far above any chunk of the fixtures, well below a disk. */
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
export type TransportKind = (typeof TRANSPORTS)[number];

/** Bytes moved for one chunk job and how long it took (every try of the job counts: a retried chunk moves
 * its bytes again). Two counts of the input, from the two ends of the connection (issue #17): */
export interface TransferStats {
  /** What the worker's ffmpeg read of the job's inputs: libavformat's own count ("Statistics: N bytes
   * read"), reported by each try (httpWorker.ts, ffmpegReads.ts) and summed; null when no try reported it
   * (a try whose ffmpeg was killed reports nothing: then this undercounts, and `servedBytes` still counts
   * it). This is the fetch: the bytes a chunk needed from the source. */
  readBytes: number | null;
  /** What the coordinator handed to the sockets for the job's input requests, every try. Each open-ended
   * answer is cut to a window (window.ts), so this exceeds `readBytes` by at most one first window per
   * request plus the last window of each sequential read: an upper bound on the job's input traffic. */
  servedBytes: number;
  /** Input requests answered (each window is one). */
  fetchRequests: number;
  /** Σ of the time those requests were open. ffmpeg reads as it decodes, so this overlaps its work: an
   * upper bound on the time spent fetching, not a bandwidth measurement. */
  fetchMs: number;
  /** Bytes of the accepted upload (failed or refused uploads are in `uploadAttempts` only). */
  uploadBytes: number;
  /** First request byte → last body byte of the accepted upload: the transfer alone, before the check. */
  uploadMs: number;
  /** The ffprobe check of the accepted upload (frame count, codec) before it was moved into the merge. */
  checkMs: number;
  /** Uploads received for the job, refused and truncated ones included. */
  uploadAttempts: number;
}

/** What a job carries for the http transport (in the job's data in Redis, never in a log line). */
export interface HttpJobData {
  /** The coordinator's base URL as workers reach it, e.g. http://10.0.0.5:8700. */
  baseUrl: string;
  /** The per-run random token every request must carry (Authorization: Bearer …). */
  token: string;
  /** Where the output goes: PUT baseUrl + uploadPath. */
  uploadPath: string;
}

/** The job fields a transport decides for one task. */
export interface JobPlacement {
  args: string[];
  /** shared: the output path on the shared filesystem; http: a bare file name in the worker's own directory. */
  outputPath: string;
  /** shared: the directory the worker must see; http: '' (the worker uses its own). */
  workDir: string;
  http?: HttpJobData;
}

/** The coordinator's side of a transport, used by the queue executor. */
export interface CoordinatorTransport {
  readonly kind: TransportKind;
  /** The job's args and paths for `task`; with http, its inputs are served and its upload expected from now on. */
  place(task: ChunkTask, jobId: string): JobPlacement;
  /** The job has ended (done, failed or cancelled): what it moved — `tries` are the outcomes its tries
   * reported, which say what each read — and stop serving it. */
  settle(jobId: string, tries?: readonly (ProcessOutcome | undefined)[]): TransferStats | undefined;
  close(): Promise<void>;
}

/** The shared filesystem: the job names the coordinator's own paths. */
export function sharedTransport(): CoordinatorTransport {
  return {
    kind: 'shared',
    place: (task) => ({ args: task.args, outputPath: task.outputPath, workDir: dirname(task.outputPath) }),
    settle: () => undefined,
    close: async () => {},
  };
}

