// The worker's upload of a finished chunk: one HTTP PUT of the file, streamed from disk with its length
// declared, the token in a header. The coordinator answers only once it has checked the chunk (ffprobe), so
// a 201 means the chunk is in the merge. Never hangs: a connection that moves nothing for IDLE_MS fails.
import { createReadStream, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { JOB_HEADER } from './jobArgs.ts';
import type { HttpJobData } from './types.ts';

/** How long an upload may move nothing before it fails. */
export const UPLOAD_IDLE_MS = 60_000;

export interface UploadResult {
  status: number;
  /** The coordinator's one-line answer. */
  message: string;
  bytes: number;
  ms: number;
}

/** PUTs `file` for `jobId`; resolves with the coordinator's answer, rejects when no answer came. */
export function uploadChunk(file: string, http: HttpJobData, jobId: string, signal?: AbortSignal): Promise<UploadResult> {
  const bytes = statSync(file).size;
  const url = new URL(http.uploadPath, `${http.baseUrl.replace(/\/$/, '')}/`);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, result?: UploadResult) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(result as UploadResult);
    };
    const req = request(url, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${http.token}`, [JOB_HEADER]: jobId, 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes) },
      timeout: UPLOAD_IDLE_MS,
      ...(signal ? { signal } : {}),
    });
    req.on('response', (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => (body = (body + text).slice(0, 2000)));
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, message: body.trim().split('\n')[0] ?? '', bytes, ms: performance.now() - started }));
      res.on('error', (error) => finish(error));
    });
    req.on('timeout', () => req.destroy(new Error(`the coordinator at ${http.baseUrl} moved nothing for ${UPLOAD_IDLE_MS / 1000} s`)));
    // an early answer (403, 413) may close the connection while the body is still going: the answer wins
    req.on('error', (error) => setTimeout(() => finish(new Error(`upload to ${http.baseUrl} failed: ${error.message}`)), 50));
    const body = createReadStream(file);
    body.on('error', (error) => req.destroy(error));
    body.pipe(req);
  });
}
