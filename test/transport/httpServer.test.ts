// The coordinator's data plane on a real socket, with real ffmpeg-made chunks and the real ffprobe check:
// the token (403, counted, never logged), byte ranges and the windows open-ended ones are cut to, the upload
// cap, truncated and wrong uploads (refused, nothing left behind), the accepted one (moved into place once),
// and the per-job counts of what moved. Then a pipeline whose chunks read the source through the server and
// upload back as a queue worker's http try does (its placement, real ffmpeg, no Redis): frame-exact, and
// the bytes recorded per chunk are what ffmpeg read — its packets at least, the source at most (issue #17).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChunkExecutor, ChunkOutcome, ChunkTask } from '../../src/executors/types.ts';
import { runProcess, type ProcessOutcome } from '../../src/ffmpeg/exec.ts';
import { ensureFixture } from '../../src/fixtures/index.ts';
import { resolveOptions } from '../../src/pipeline/options.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { resolveBinaries, type Binaries } from '../../src/ffmpeg/binaries.ts';
import { startHttpTransport, type HttpTransport } from '../../src/transport/httpServer.ts';
import { FIRST_WINDOW_BYTES } from '../../src/transport/window.ts';
import { httpPlacement } from '../../src/transport/httpWorker.ts';
import type { HttpJobData } from '../../src/transport/types.ts';
import { uploadChunk } from '../../src/transport/upload.ts';
import { frameHashes, tempDir } from '../helpers.ts';

const work = tempDir('cb-dataplane-');
let binaries: Binaries;
let transport: HttpTransport;
const logged: string[] = [];
/** A 10-frame h264 chunk, a 5-frame one, a 10-frame mpeg4 one, and a "source" to serve. */
const files = { good: '', short: '', mpeg4: '', source: '' };

function make(name: string, frames: number, codec: string): string {
  const path = join(work.dir, name);
  execFileSync(binaries.ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=160x120:rate=10`, '-frames:v', String(frames), '-c:v', codec, '-y', path]);
  return path;
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    }).on('error', reject).end();
  });
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
};

let jobs = 0;
/** A job expecting a 10-frame h264 chunk at a fresh path; its placement (input URL, token) and output path. */
function expectJob(t: HttpTransport = transport): { id: string; http: HttpJobData; args: string[]; url: string; outputPath: string } {
  const id = `job-${jobs++}`;
  const outputPath = join(work.dir, `chunk_${id}.mp4`);
  const task: ChunkTask = { index: 0, args: ['-i', files.source, '-c:v', 'libx264', outputPath], outputPath, expectedFrames: 10, durationSeconds: 1 };
  const placed = t.place(task, id);
  if (!placed.http) throw new Error('no http placement');
  return { id, http: placed.http, args: placed.args, url: placed.args[placed.args.indexOf('-i') + 1] as string, outputPath };
}

beforeAll(async () => {
  binaries = await resolveBinaries();
  files.good = make('good.mp4', 10, 'libx264');
  files.short = make('short.mp4', 5, 'libx264');
  files.mpeg4 = make('mpeg4.mp4', 10, 'mpeg4');
  files.source = join(work.dir, 'source.bin');
  writeFileSync(files.source, Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251)));
  transport = await startHttpTransport({ binaries, log: (line) => logged.push(line) });
});

afterAll(async () => {
  await transport?.close();
  work.remove();
});

describe('the data plane', () => {
  it('listens on loopback by default, says nothing about it, and puts no token in a URL', () => {
    expect(transport.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const job = expectJob();
    expect(job.url).toMatch(new RegExp(`^${transport.url}/files/[0-9a-f-]{36}/source\\.bin$`));
    expect(job.args.join(' ')).not.toContain(job.http.token);
    expect(job.http.token.length).toBeGreaterThanOrEqual(40);
    expect(logged.filter((l) => /warning/.test(l))).toEqual([]);
    transport.settle(job.id);
  });

  it('answers 403 to a missing or wrong token, counts it, and never logs the token', async () => {
    const job = expectJob();
    const before = transport.counters().forbidden;
    expect((await get(job.url, {})).status).toBe(403);
    expect((await get(job.url, { Authorization: 'Bearer not-the-token' })).status).toBe(403);
    expect((await uploadChunk(files.good, { ...job.http, token: 'wrong' }, job.id)).status).toBe(403);
    expect(transport.counters().forbidden - before).toBe(3);
    expect(existsSync(job.outputPath)).toBe(false);
    expect(logged.join('\n')).not.toContain(job.http.token);
    expect(logged.filter((l) => /wrong or missing token \(403\)/.test(l))).toHaveLength(3);
    transport.settle(job.id);
  });

  it('serves byte ranges of a registered input, counts what it served per job, and nothing once the job has ended', async () => {
    const job = expectJob();
    const auth = { Authorization: `Bearer ${job.http.token}`, 'x-chunkbench-job': job.id };
    const source = readFileSync(files.source);
    const part = await get(job.url, { ...auth, Range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 10-19/5000');
    expect(part.body.equals(source.subarray(10, 20))).toBe(true);
    const whole = await get(job.url, auth);
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.body.equals(source)).toBe(true);
    expect((await get(job.url, { ...auth, Range: 'bytes=9000-' })).status).toBe(416);
    expect((await get(`${transport.url}/files/not-an-id/source.bin`, auth)).status).toBe(404);
    const stats = transport.settle(job.id);
    // a job's tries report nothing here (no ffmpeg ran): what was read is unknown, not 0
    expect(stats).toMatchObject({ servedBytes: 5010, readBytes: null, fetchRequests: 2, uploadBytes: 0, uploadAttempts: 0 });
    expect((await get(job.url, auth)).status).toBe(404);
  });

  it('cuts open-ended ranges to the reader\'s window, closing the connection, and grows it while the read goes on', async () => {
    const big = join(work.dir, 'big.bin');
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 253));
    writeFileSync(big, bytes);
    const id = `job-${jobs++}`;
    const outputPath = join(work.dir, `chunk_${id}.mp4`);
    const placed = transport.place({ index: 0, args: ['-i', big, '-c:v', 'libx264', outputPath], outputPath, expectedFrames: 10, durationSeconds: 1 }, id);
    const url = placed.args[placed.args.indexOf('-i') + 1] as string;
    const auth = { Authorization: `Bearer ${placed.http?.token}`, 'x-chunkbench-job': id };
    const first = await get(url, { ...auth, Range: 'bytes=0-' });
    expect([first.status, first.headers['content-range'], first.headers.connection]).toEqual([206, `bytes 0-${FIRST_WINDOW_BYTES - 1}/300000`, 'close']);
    expect(first.body.equals(bytes.subarray(0, FIRST_WINDOW_BYTES))).toBe(true);
    // the same read going on: twice the window
    const next = await get(url, { ...auth, Range: `bytes=${FIRST_WINDOW_BYTES}-` });
    expect(next.headers['content-range']).toBe(`bytes ${FIRST_WINDOW_BYTES}-${3 * FIRST_WINDOW_BYTES - 1}/300000`);
    // a seek: a fresh read, the first window again; and the last window ends at the end of the file, no cut
    expect((await get(url, { ...auth, Range: 'bytes=1000-' })).headers['content-range']).toBe(`bytes 1000-${1000 + FIRST_WINDOW_BYTES - 1}/300000`);
    const tail = await get(url, { ...auth, Range: 'bytes=290000-' });
    expect([tail.headers['content-range'], tail.headers.connection]).toEqual(['bytes 290000-299999/300000', 'keep-alive']);
    // a closed range is answered as asked, however long
    expect((await get(url, { ...auth, Range: 'bytes=0-199999' })).body.length).toBe(200_000);
    expect(transport.settle(id)).toMatchObject({ servedBytes: FIRST_WINDOW_BYTES * 4 + 10_000 + 200_000, fetchRequests: 5 });
  });

  it('accepts a correct chunk once, after checking it, and records the upload', async () => {
    const job = expectJob();
    const first = await uploadChunk(files.good, job.http, job.id);
    expect(first.status).toBe(201);
    expect(readFileSync(job.outputPath).equals(readFileSync(files.good))).toBe(true);
    expect((await uploadChunk(files.good, job.http, job.id)).status).toBe(409);
    const stats = transport.settle(job.id);
    expect(stats?.uploadBytes).toBe(readFileSync(files.good).length);
    expect(stats?.uploadAttempts).toBe(2);
    expect(stats?.uploadMs).toBeGreaterThan(0);
    expect(stats?.checkMs).toBeGreaterThan(0);
    // the job is over: a late upload is not taken
    expect((await uploadChunk(files.good, job.http, job.id)).status).toBe(404);
  });

  it.each([
    ['a chunk with too few frames', () => files.short, 422, /^chunk upload refused: wrote 5 frames, expected 10$/],
    ['a chunk in another codec', () => files.mpeg4, 422, /^chunk upload refused: its video is mpeg4, expected h264$/],
    ['a chunk cut in half (declared as such)', () => {
      const cut = join(work.dir, 'cut.mp4');
      const bytes = readFileSync(files.good);
      writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
      return cut;
    }, 422, /^chunk upload refused: ffprobe cannot read it \(/],
  ])('refuses %s with one line, and leaves nothing behind', async (_what, file, status, message) => {
    const job = expectJob();
    const refused = transport.counters().refusedUploads;
    const answer = await uploadChunk(file(), job.http, job.id);
    expect(answer.status).toBe(status);
    expect(answer.message).toMatch(message);
    expect(transport.counters().refusedUploads).toBe(refused + 1);
    expect(existsSync(job.outputPath)).toBe(false);
    expect(readdirSync(work.dir).filter((n) => n.endsWith('.part'))).toEqual([]);
    transport.settle(job.id);
  });

  it('drops an upload whose connection ends before its declared length (a worker killed mid-upload)', async () => {
    const job = expectJob();
    const truncated = transport.counters().truncatedUploads;
    const { port } = new URL(transport.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`PUT ${job.http.uploadPath} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${job.http.token}\r\nContent-Length: 100000\r\n\r\n`);
    socket.write(Buffer.alloc(30_000, 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    expect(await until(() => transport.counters().truncatedUploads === truncated + 1)).toBe(true);
    expect(existsSync(job.outputPath)).toBe(false);
    expect(readdirSync(work.dir).filter((n) => n.endsWith('.part'))).toEqual([]);
    // the job can still be delivered by the next try
    expect((await uploadChunk(files.good, job.http, job.id)).status).toBe(201);
    transport.settle(job.id);
  });

  it('refuses an upload over the cap before reading it', async () => {
    const capped = await startHttpTransport({ binaries, maxUploadBytes: 1000 });
    try {
      const job = expectJob(capped);
      const answer = await uploadChunk(files.good, job.http, job.id);
      expect(answer.status).toBe(413);
      expect(answer.message).toMatch(/^upload of \d+ bytes is over the cap of 1000 bytes \(--max-upload-mb\)$/);
      expect(capped.counters().refusedUploads).toBe(1);
      expect(existsSync(job.outputPath)).toBe(false);
    } finally {
      await capped.close();
    }
  });

  it('on every interface: needs the URL workers use, and warns that it is reachable from the network', async () => {
    await expect(startHttpTransport({ binaries, listen: '0.0.0.0:0' })).rejects.toThrow(/^--transport-listen 0\.0\.0\.0:0: listening on every interface, workers need to be told where to connect: give --transport-url http:\/\/ADDRESS:PORT$/);
    const lines: string[] = [];
    const open = await startHttpTransport({ binaries, listen: '0.0.0.0:0', advertiseUrl: 'http://10.9.8.7:8700', log: (l) => lines.push(l) });
    try {
      expect(open.url).toBe('http://10.9.8.7:8700');
      expect(lines).toEqual([expect.stringMatching(/^warning: the data plane listens on 0\.0\.0\.0:\d+, reachable from the network; every request needs this run's token, but plain HTTP carries it unencrypted/)]);
    } finally {
      await open.close();
    }
  });
});

describe('chunks that read their input through the data plane (a queue worker\'s http try, without the queue)', () => {
  /** Runs each chunk as a worker's http try does: placement, real ffmpeg, upload; the raw outcomes kept. */
  function tryExecutor(own: string): { executor: ChunkExecutor; raw: Map<number, ProcessOutcome>; reported: Map<number, ChunkOutcome> } {
    const raw = new Map<number, ProcessOutcome>();
    const reported = new Map<number, ChunkOutcome>();
    let n = 0;
    const executor: ChunkExecutor = {
      name: 'http try',
      run: async (task) => {
        const id = `try-${n++}`;
        const placed = transport.place(task, id);
        const placement = httpPlacement(placed.args, placed.outputPath, placed.http as HttpJobData, id, own);
        if ('problem' in placement) throw new Error(placement.problem);
        try {
          const outcome = await runProcess(binaries.ffmpeg.path, placement.args, {});
          raw.set(task.index, outcome);
          const report = placement.redact(outcome);
          const committed = await placement.commit();
          const transfer = transport.settle(id, [report]);
          const result: ChunkOutcome = { ...report, ...(committed ? { error: committed.problem } : {}), ...(transfer ? { transfer } : {}) };
          reported.set(task.index, result);
          return result;
        } finally {
          placement.cleanup();
          transport.settle(id);
        }
      },
    };
    return { executor, raw, reported };
  }

  it('is frame-exact across window ends, and records what ffmpeg read: its packets at least, the source at most', async () => {
    const tiny = await ensureFixture('tiny');
    const sourceBytes = statSync(tiny).size;
    const own = join(work.dir, 'own');
    mkdirSync(own);
    const { executor, raw, reported } = tryExecutor(own);
    const out = join(work.dir, 'through-http.mp4');
    // 2 s chunks of the 4 s source: each reads past its first window, so ffmpeg reconnects mid-chunk
    const options = await resolveOptions({ input: tiny, workers: 2, segmentSeconds: 2, crf: 0, out, workDir: work.dir, chunkTimeoutMs: 60_000 });
    const record = await runPipeline(options, { executor });
    expect(record.state, record.error?.message).toBe('ok');
    expect(await frameHashes(out)).toEqual(await frameHashes(tiny));
    expect(record.chunks).toHaveLength(2);
    let read = 0;
    for (const chunk of record.chunks) {
      const t = chunk.transfer;
      const readBytes = t?.readBytes ?? 0;
      read += readBytes;
      expect(readBytes).toBeGreaterThanOrEqual(chunk.inputBytes);
      expect(readBytes).toBeLessThanOrEqual(sourceBytes);
      // the server's count bounds it from above, and the windows bound that (window.ts)
      expect(t?.servedBytes).toBeGreaterThanOrEqual(readBytes);
      expect(t?.servedBytes).toBeLessThanOrEqual(2 * readBytes + (t?.fetchRequests ?? 0) * FIRST_WINDOW_BYTES);
      // the start, the moov at the end, the chunk's offset, and at least one window end
      expect(t?.fetchRequests).toBeGreaterThanOrEqual(4);
    }
    // every part of the source is read by some chunk, and little more: each chunk also reads the file's
    // start and its moov, and the audio between its video packets
    expect(read).toBeGreaterThanOrEqual(record.chunks.reduce((s, c) => s + c.inputBytes, 0));
    expect(read).toBeLessThanOrEqual(1.5 * sourceBytes);
    for (const [index, outcome] of raw) {
      // at -loglevel verbose ffmpeg still gives exec.ts its -benchmark figures and its frame count
      expect(outcome.bench?.rtimeMs).toBeGreaterThan(0);
      expect(outcome.framesOut).toBe(record.chunks[index]?.frameCount);
      expect(outcome.stderrTail).toMatch(/Statistics: \d+ bytes read, \d+ seeks$/);
      // and what is recorded is what a local try would say
      expect(reported.get(index)?.stderrTail).not.toMatch(/Statistics:|\[tcp @|Will reconnect/);
      expect(reported.get(index)?.command).toContain('Bearer ***');
    }
  });
});

