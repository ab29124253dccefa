// `--transport-listen HOST[:PORT]`: where the coordinator's data plane listens. Loopback by default; an
// address on the network is allowed, and the server says so (httpServer.ts).
import { isIP } from 'node:net';
import { ChunkbenchError } from '../errors.ts';

export interface ListenAddress {
  host: string;
  /** 0: a free port the kernel picks. */
  port: number;
  /** 127.0.0.0/8, ::1 or localhost: unreachable from other machines. */
  loopback: boolean;
  /** 0.0.0.0 or ::: every interface. */
  wildcard: boolean;
}

const ACCEPTED = 'HOST[:PORT], e.g. 127.0.0.1:8700, 10.0.0.5:8700, 0.0.0.0:8700 or [::1]:8700 (port 0 or none: a free one)';

/** Parses `HOST[:PORT]`, `[IPv6]:PORT`, `:PORT` (loopback); a one-line error naming the flag otherwise. */
export function parseListen(text: string, flag = '--transport-listen'): ListenAddress {
  const bad = () => new ChunkbenchError(`${flag} must be ${ACCEPTED}; got '${text}'`);
  const t = text.trim();
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracketed) [host, portText] = [bracketed[1] ?? '', bracketed[2]];
  else if ((t.match(/:/g) ?? []).length > 1) host = t; // a bare IPv6 address, no port
  else [host, portText] = t.includes(':') ? [t.slice(0, t.lastIndexOf(':')), t.slice(t.lastIndexOf(':') + 1)] : [t, undefined];
  host ||= '127.0.0.1';
  if (portText !== undefined && !/^\d{1,5}$/.test(portText)) throw bad();
  const port = portText === undefined ? 0 : Number(portText);
  if (port > 65535) throw bad();
  if (!isIP(host) && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) throw bad();
  const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
  const wildcard = host === '0.0.0.0' || host === '::';
  return { host, port, loopback, wildcard };
}
