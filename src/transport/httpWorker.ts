// The worker's side of the http transport, for one try of one job: check the job (jobArgs.ts), make a
// private directory for the try inside the worker's own, run ffmpeg there reading its input from the
// coordinator, then PUT the output back (upload.ts). The token goes to ffmpeg as a request header and to
// the upload; it is blanked out of everything recorded (the command line, ffmpeg's messages). What ffmpeg
// says it read of its input goes back with the outcome (`inputReadBytes`, ffmpegReads.ts), and the lines
// the transport makes it print are dropped from its message tail.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessOutcome } from '../ffmpeg/exec.ts';
import { readBytesIn, withoutTransportNoise, type InputReadReport } from './ffmpegReads.ts';
import { httpJobProblem, redact, withCredentials } from './jobArgs.ts';
import type { HttpJobData } from './types.ts';
import { uploadChunk } from './upload.ts';

/** How one try's output leaves the worker. */
export interface TryPlacement {
  /** ffmpeg's arguments for this try. */
  args: string[];
  /** Moves the finished output to where the coordinator takes it from; null when done, else why not and
   * whether another try may help. */
  commit(signal?: AbortSignal): Promise<{ problem: string; retry: boolean } | null>;
  /** What may be recorded of an outcome (no credentials in it), with what the try read when it says. */
  redact(outcome: ProcessOutcome): ProcessOutcome & InputReadReport;
  /** Removes what the try left (always called). */
  cleanup(): void;
}

/** Statuses after which another try cannot help: the token or the size is wrong, or the coordinator
 * forgot the job. */
const FINAL_STATUSES = new Set([403, 404, 410, 411, 413]);

/** The try's placement in a fresh directory under `root`, or why the job may not run here. */
export function httpPlacement(args: string[], outputName: string, http: HttpJobData, jobId: string, root: string): TryPlacement | { problem: string } {
  const problem = httpJobProblem(args, outputName, http);
  if (problem) return { problem };
  const dir = mkdtempSync(join(root, 'try-'));
  const file = join(dir, outputName);
  return {
    args: withCredentials(args, file, http, jobId),
    async commit(signal) {
      try {
        const answer = await uploadChunk(file, http, jobId, signal);
        // 409: an earlier try of this job (a worker that lost its lock) already delivered it
        if (answer.status === 201 || answer.status === 409) return null;
        return { problem: `the coordinator refused the upload (${answer.status}): ${answer.message}`, retry: !FINAL_STATUSES.has(answer.status) };
      } catch (error) {
        return { problem: error instanceof Error ? error.message : String(error), retry: true };
      }
    },
    redact: (outcome) => {
      const read = readBytesIn(outcome.stderrTail);
      return {
        ...outcome,
        command: redact(outcome.command, http.token),
        stderrTail: redact(withoutTransportNoise(outcome.stderrTail), http.token),
        ...(read === null ? {} : { inputReadBytes: read }),
      };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
