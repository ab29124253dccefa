// A chunk's ffmpeg arguments on their way through the http transport, as pure functions: the coordinator
// turns its local input paths into URLs it serves and its output path into a bare file name; the worker
// checks that nothing in the job can make it read from elsewhere or write outside its own directory,
// then adds the credentials (as an HTTP header, so that no URL and no log line carries the token).
import { basename, resolve } from 'node:path';
import type { HttpJobData } from './types.ts';

/** Request header naming the job a request belongs to (the coordinator counts bytes per job). */
export const JOB_HEADER = 'x-chunkbench-job';
/** A chunk output's name in the worker's directory: a plain file name, nothing that walks elsewhere. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,200}$/;
/** ffmpeg gives up on a coordinator that sends nothing for this long (its -rw_timeout, in µs), instead of
 * waiting forever on a dead connection. */
export const INPUT_IDLE_TIMEOUT_US = 30_000_000;

/** The URL path under which the coordinator serves a registered file. */
export function filePath(id: string, path: string): string {
  return `/files/${id}/${encodeURIComponent(basename(path))}`;
}

/** The URL path a job's output is PUT to. */
export function uploadPath(jobId: string): string {
  return `/chunks/${encodeURIComponent(jobId)}`;
}

/** Coordinator side: every `-i` that names a local file becomes a URL of `baseUrl` (via `serve`, which
 * registers it) read with `-reconnect 1` — the server ends its answers to open-ended ranges early
 * (window.ts), and only a reconnecting ffmpeg asks for the rest instead of taking the file for ended —
 * and the output path (the last argument) becomes its bare file name. Null when the last argument is not
 * `outputPath`. */
export function toHttpArgs(args: string[], outputPath: string, baseUrl: string, serve: (path: string) => string): { args: string[]; outputName: string } | null {
  if (args.at(-1) !== outputPath) return null;
  const outputName = basename(outputPath);
  const local = (i: number) => args[i - 1] === '-i' && !/^[a-z][a-z0-9+.-]*:/i.test(args[i] ?? '');
  const out = args.flatMap((arg, i) => {
    if (i === args.length - 1) return [outputName];
    if (arg === '-i' && i + 1 < args.length - 1 && local(i + 1)) return ['-reconnect', '1', arg];
    if (local(i)) return [`${baseUrl}${serve(resolve(arg))}`];
    return [arg];
  });
  return { args: out, outputName };
}

/** Worker side: why this job's arguments may not run here, or null. The output must be a plain file name
 * at the end; no argument may name an absolute path, walk up with `..`, or use a protocol — except
 * inputs served by the job's own coordinator. Relative names land in the worker's directory (ffmpeg runs
 * with it as its working directory). */
export function httpJobProblem(args: string[], outputName: string, http: HttpJobData): string | null {
  let base: URL;
  try {
    base = new URL(http.baseUrl);
  } catch {
    return `the job's coordinator URL is not a URL: '${http.baseUrl}'`;
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return `the job's coordinator URL must be http:// or https://, got '${http.baseUrl}'`;
  if (!http.token) return 'the job carries no token';
  if (!http.uploadPath.startsWith('/chunks/') || http.uploadPath.includes('..')) return `the job's upload path must be /chunks/<job>, got '${http.uploadPath}'`;
  if (!SAFE_NAME.test(outputName)) return `the job's output must be a plain file name (letters, digits, '.', '_', '-'), got '${outputName}'`;
  if (args.at(-1) !== outputName) return `the job's ffmpeg arguments do not end with its output ${outputName}`;
  const served = `${http.baseUrl.replace(/\/$/, '')}/files/`;
  for (const [i, arg] of args.slice(0, -1).entries()) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(arg)) {
      if (args[i - 1] === '-i' && arg.startsWith(served) && !arg.slice(served.length).split('/').includes('..')) continue;
      return `argument ${i + 1} '${arg}' names a protocol; only inputs served by the job's coordinator (${served}…) are allowed`;
    }
    if (/^[/\\~]/.test(arg)) return `argument ${i + 1} '${arg}' is an absolute path; a job may only write inside the worker's own directory`;
    if (/(^|[/\\=:,;'"])\.\.([/\\]|$)/.test(arg)) return `argument ${i + 1} '${arg}' walks up with '..'; a job may only write inside the worker's own directory`;
  }
  return null;
}

/** Worker side: the arguments as run — the output at `outputFile` (in the worker's private directory), and
 * before each served input the credentials and the job's name as request headers, and an idle timeout.
 * `-loglevel verbose` first, so that ffmpeg says how many bytes it read of its inputs when it exits
 * (ffmpegReads.ts; the first -loglevel is the one ffmpeg takes). */
export function withCredentials(args: string[], outputFile: string, http: HttpJobData, jobId: string): string[] {
  const served = `${http.baseUrl.replace(/\/$/, '')}/files/`;
  const headers = `Authorization: Bearer ${http.token}\r\n${JOB_HEADER}: ${jobId}\r\n`;
  return [
    ...READ_REPORT_ARGS,
    ...args.flatMap((arg, i) => {
      if (i === args.length - 1) return [outputFile];
      if (arg === '-i' && args[i + 1]?.startsWith(served)) return ['-headers', headers, '-rw_timeout', String(INPUT_IDLE_TIMEOUT_US), arg];
      return [arg];
    }),
  ];
}

/** What makes ffmpeg print its "Statistics: N bytes read" line (libavformat logs it at verbose). */
export const READ_REPORT_ARGS = ['-loglevel', 'verbose'];

/** `text` with the token blanked out: for anything that is recorded or logged. */
export function redact(text: string, token: string): string {
  return token ? text.split(token).join('***') : text;
}
