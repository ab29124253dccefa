// Test helpers for workers that share nothing with the coordinator but the network:
//   sandboxed(...)  runs a command in a private mount namespace (unshare -m) where each hidden directory is
//                   covered by an empty tmpfs that nobody may read, as another user (nobody, via setpriv):
//                   the coordinator's work directory and the source are simply not there for it;
//   startProxy(...) a TCP proxy between workers and the coordinator's data plane that can cut or hold the
//                   first upload passing through it: a connection lost mid-upload, a worker killed mid-upload.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NOBODY = 65534;

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The argv that runs `command` as nobody with `hidden` directories covered by empty, unreadable tmpfs. */
export function sandboxArgv(hidden: string[], command: string[]): string[] {
  const mounts = hidden.map((dir) => `mount -t tmpfs -o size=64k,mode=000 chunkbench-hidden ${quote(dir)} || exit 97`).join('; ');
  const script = `${mounts}; exec setpriv --reuid ${NOBODY} --regid ${NOBODY} --clear-groups -- ${command.map(quote).join(' ')}`;
  return ['unshare', '-m', '--propagation', 'private', '--', 'sh', '-c', script];
}

/** Null when this machine can run sandboxes (root, unshare, setpriv, tmpfs mounts), else why not. */
export function sandboxUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  const probe = spawnSync(sandboxArgv([tmpdir()], ['true'])[0] as string, sandboxArgv([tmpdir()], ['true']).slice(1));
  return probe.status === 0 ? null : `unshare/setpriv/mount failed (${probe.stderr?.toString().trim() || probe.status})`;
}

/** Runs `command` in the sandbox and returns its exit status and stderr. */
export function inSandbox(hidden: string[], command: string[]): { status: number | null; stderr: string } {
  const argv = sandboxArgv(hidden, command);
  const result = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } });
  return { status: result.status, stderr: result.stderr };
}

/** A fresh directory owned by nobody: a sandboxed worker's own directory. */
export function nobodysDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chownSync(dir, NOBODY, NOBODY);
  return dir;
}

/** Spawns `command` in the sandbox as its own process group (so cleanup reaches its children too). */
export function spawnSandboxed(hidden: string[], command: string[], cwd: string): ChildProcess {
  const argv = sandboxArgv(hidden, command);
  return spawn(argv[0] as string, argv.slice(1), { cwd, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: '/tmp' } });
}

export type ProxyMode = 'pass' | 'cut' | 'hold';

export interface Proxy {
  url: string;
  /** Where connections go (settable after start: the proxy's URL is needed to start what it fronts). */
  target: { host: string; port: number };
  /** What to do with the next upload (PUT) that starts: pass it, cut its connection after its headers and
   * half its body, or hold it there until its sender goes away. Back to `pass` once it has happened. */
  mode: ProxyMode;
  /** Resolves when an upload was cut or is being held. */
  acted(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy on a free loopback port to `target` (host:port, settable later). */
export async function startProxy(target: { host: string; port: number } = { host: '127.0.0.1', port: 1 }): Promise<Proxy> {
  const sockets = new Set<Socket>();
  let notify: () => void = () => {};
  let acted = new Promise<void>((resolve) => (notify = resolve));
  const proxy: Proxy = {
    url: '',
    target,
    mode: 'pass',
    acted: () => acted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((client) => {
    const upstream = connect(proxy.target.port, proxy.target.host);
    sockets.add(client).add(upstream);
    let acting: ProxyMode | 'held' = 'pass';
    let head = Buffer.alloc(0);
    /** Bytes to let through: the request's headers and half of its body (known once the headers are in). */
    let allow = Infinity;
    let forwarded = 0;
    let cut = false;
    client.on('data', (data: Buffer) => {
      // any request that starts a write may be the upload: a keep-alive connection carries several requests,
      // and the upload need not be its first (a PUT's body is a video, which never starts with 'PUT ')
      if (acting === 'pass' && proxy.mode !== 'pass' && data.subarray(0, 4).toString() === 'PUT ') {
        acting = proxy.mode;
        proxy.mode = 'pass';
      }
      if (acting === 'pass') return void upstream.write(data);
      if (cut) return; // the connection is being cut: nothing more goes through
      if (acting === 'held') return; // swallowed: the coordinator waits for the rest
      if (allow === Infinity) {
        head = Buffer.concat([head, data]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length:\s*(\d+)/i.exec(head.subarray(0, end).toString())?.[1] ?? 0);
        allow = end + 4 + Math.floor(length / 2);
        data = head;
      }
      const room = Math.max(0, allow - forwarded);
      const last = forwarded + Math.min(room, data.length) >= allow;
      // the cut waits until the half it lets through has left: destroy() drops writes still queued, and on a
      // loaded machine the server then saw nothing of the upload (no truncated upload to count; 5 of 20
      // loaded runs of the suite failed so)
      if (last && acting === 'cut') cut = true;
      upstream.write(data.subarray(0, room), () => {
        if (last && acting === 'cut') {
          client.destroy();
          upstream.destroy();
        }
      });
      forwarded += Math.min(room, data.length);
      if (!last) return;
      if (acting !== 'cut') acting = 'held';
      const done = notify;
      acted = new Promise<void>((resolve) => (notify = resolve));
      done();
    });
    upstream.on('data', (data: Buffer) => client.write(data));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
