// The http transport's job arguments, as pure functions: what the coordinator puts in a job, what a worker
// refuses to run, and how the credentials are added and kept out of what is recorded.
import { describe, expect, it } from 'vitest';
import { httpJobProblem, redact, toHttpArgs, withCredentials } from '../../src/transport/jobArgs.ts';
import type { HttpJobData } from '../../src/transport/types.ts';

const http: HttpJobData = { baseUrl: 'http://10.0.0.5:8700', token: 'T0KEN-secret', uploadPath: '/chunks/ab-0-chunk3-a1' };
const chunkArgs = ['-hide_banner', '-ss', '1.000000', '-i', '/data/src.mp4', '-map', '0:v:0', '-vf', 'select=gte(t\\,0.000000),setpts=PTS-STARTPTS', '-c:v', 'libx264', '/tmp/chunkbench-1-abc/chunk_00003.mp4'];

describe('toHttpArgs (coordinator)', () => {
  it('serves every local input by URL, read with -reconnect (answers end at windows), and names the output by its bare file name', () => {
    const served: string[] = [];
    const mapped = toHttpArgs(chunkArgs, '/tmp/chunkbench-1-abc/chunk_00003.mp4', http.baseUrl, (path) => (served.push(path), `/files/id1/${path.split('/').pop()}`));
    expect(served).toEqual(['/data/src.mp4']);
    expect(mapped?.outputName).toBe('chunk_00003.mp4');
    expect(mapped?.args).toEqual([...chunkArgs.slice(0, 3), '-reconnect', '1', '-i', 'http://10.0.0.5:8700/files/id1/src.mp4', ...chunkArgs.slice(5, -1), 'chunk_00003.mp4']);
    // and a worker accepts it
    expect(httpJobProblem(mapped?.args ?? [], 'chunk_00003.mp4', http)).toBeNull();
  });

  it('leaves inputs that already are URLs or lavfi graphs alone, and refuses args that do not end with the output', () => {
    const mapped = toHttpArgs(['-f', 'lavfi', '-i', 'testsrc2:duration=1', 'out.mp4'], 'out.mp4', http.baseUrl, () => '/files/x');
    expect(mapped?.args).toEqual(['-f', 'lavfi', '-i', 'testsrc2:duration=1', 'out.mp4']);
    expect(toHttpArgs(['-i', 'a.mp4', 'b.mp4'], 'c.mp4', http.baseUrl, () => '/files/x')).toBeNull();
  });
});

describe('httpJobProblem (worker)', () => {
  const ok = ['-i', 'http://10.0.0.5:8700/files/id1/src.mp4', '-c:v', 'libx264', '-vf', 'scale=iw/2:ih/2', 'chunk_00003.mp4'];

  it('accepts a job whose only input is served by its coordinator and whose output is a plain name', () => {
    expect(httpJobProblem(ok, 'chunk_00003.mp4', http)).toBeNull();
  });

  it.each([
    ['an output path with a directory', ok.slice(0, -1).concat('../x.mp4'), '../x.mp4', /output must be a plain file name/],
    ['an absolute output', ok.slice(0, -1).concat('/etc/x.mp4'), '/etc/x.mp4', /output must be a plain file name/],
    ['an absolute path anywhere', ['-passlogfile', '/root/log', ...ok], 'chunk_00003.mp4', /argument 2 '\/root\/log' is an absolute path/],
    ['a walk up', ['-passlogfile', 'a/../../b', ...ok], 'chunk_00003.mp4', /walks up with '\.\.'/],
    ['a home path', ['-vstats_file', '~/x', ...ok], 'chunk_00003.mp4', /absolute path/],
    ['a file: protocol', ['-i', 'file:/etc/shadow', ...ok], 'chunk_00003.mp4', /names a protocol/],
    ['another host', ['-i', 'http://evil.example/x', ...ok], 'chunk_00003.mp4', /names a protocol; only inputs served by the job's coordinator/],
    ['a served URL that walks up', ['-i', 'http://10.0.0.5:8700/files/../chunks/x', ...ok.slice(2)], 'chunk_00003.mp4', /names a protocol/],
    ['a second output after the first', [...ok, 'other.mp4'], 'chunk_00003.mp4', /do not end with its output/],
  ])('refuses %s', (_what, args, output, message) => {
    expect(httpJobProblem(args, output, http)).toMatch(message);
  });

  it('refuses a job without a token, with a foreign upload path or a non-http coordinator', () => {
    expect(httpJobProblem(ok, 'chunk_00003.mp4', { ...http, token: '' })).toBe('the job carries no token');
    expect(httpJobProblem(ok, 'chunk_00003.mp4', { ...http, uploadPath: '/files/x' })).toMatch(/upload path must be \/chunks\//);
    expect(httpJobProblem(ok, 'chunk_00003.mp4', { ...http, baseUrl: 'file:///tmp' })).toMatch(/must be http:\/\/ or https:\/\//);
  });
});

describe('withCredentials and redact (worker)', () => {
  it('puts the token in a request header before each served input, the output in the try directory, an idle timeout, and makes ffmpeg say what it read', () => {
    const args = withCredentials(['-ss', '1', '-i', 'http://10.0.0.5:8700/files/id1/src.mp4', '-c:v', 'libx264', 'chunk_00003.mp4'], '/own/try-1/chunk_00003.mp4', http, 'job-7');
    expect(args).toEqual(['-loglevel', 'verbose', '-ss', '1', '-headers', 'Authorization: Bearer T0KEN-secret\r\nx-chunkbench-job: job-7\r\n', '-rw_timeout', '30000000', '-i', 'http://10.0.0.5:8700/files/id1/src.mp4', '-c:v', 'libx264', '/own/try-1/chunk_00003.mp4']);
    // the URL itself carries no secret: ffmpeg's messages name it
    expect(args.filter((a) => a.startsWith('http')).join(' ')).not.toContain(http.token);
  });

  it('blanks every occurrence of the token', () => {
    expect(redact('ffmpeg -headers Authorization: Bearer T0KEN-secret -i x; again T0KEN-secret', http.token)).toBe('ffmpeg -headers Authorization: Bearer *** -i x; again ***');
    expect(redact('nothing here', '')).toBe('nothing here');
  });
});
