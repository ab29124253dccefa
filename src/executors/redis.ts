// Redis connections for the queue executor and its workers. ioredis (BullMQ's client) retries a refused
// connection forever by default, so a wrong `--redis` would hang the run; every entry point first checks
// the URL with one bounded attempt (no retries, no offline queue, a connect timeout) and turns a failure
// into a one-line ChunkbenchError naming the URL. Connections made after that check use BullMQ's defaults.
import { Redis, type RedisOptions } from 'ioredis';
import { ChunkbenchError } from '../errors.ts';

/** How long the reachability check may take before the URL counts as unreachable. */
export const CONNECT_TIMEOUT_MS = 3000;

/** The URL with its password replaced, fit for messages and logs. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** ioredis options for `redis://[user:password@]host[:port][/db]` (and `rediss://` for TLS). */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ChunkbenchError(`--redis must be a URL like redis://127.0.0.1:6379, got '${url}'`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ChunkbenchError(`--redis must be a redis:// or rediss:// URL, got '${displayUrl(url)}'`);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new ChunkbenchError(`--redis ${displayUrl(url)}: the path must be a database number, got '/${db}'`);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Connects once with a bounded timeout and PINGs; throws a ChunkbenchError naming the URL if that fails. */
export async function checkRedis(url: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<RedisOptions> {
  const options = redisOptions(url);
  const client = new Redis({
    ...options,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: unknown;
  client.on('error', (error: unknown) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs + 500);
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), deadline]);
    return options;
  } catch (error) {
    throw new ChunkbenchError(`--redis ${displayUrl(url)}: cannot connect (${reasonOf(error, lastError)}); start redis-server or give a reachable URL`);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** "connect ECONNREFUSED 127.0.0.1:1", "getaddrinfo ENOTFOUND nohost", "WRONGPASS …": the cause, not ioredis' wrapper. */
function reasonOf(error: unknown, lastError: unknown): string {
  const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
  // "Connection is closed." says nothing; the socket error seen before it says why
  const generic = /Connection is closed|Stream isn't writeable|enableOfflineQueue/i;
  const first = message(error);
  const reason = generic.test(first) && lastError !== undefined ? message(lastError) : first;
  return /Protocol error/.test(reason) ? `something answers there, but not Redis: ${reason}` : reason;
}

/** How long a worker keeps trying to reach a Redis it lost before it gives up (`--redis-retry-s`). */
export const DEFAULT_REDIS_RETRY_SECONDS = 180;

/** ioredis' retryStrategy for a long-lived connection: back off 0.2 s, 0.4 s … up to 5 s between tries,
 * and give up (null, and `onGiveUp` once) when Redis has been unreachable for `limitSeconds`. `log` hears
 * of each outage once, not of every try. BullMQ copies one connection's options into the others it
 * makes, so several connections share this function: an outage is the time since the first failed try
 * of any of them, and a new one starts when no connection has retried for RETRY_QUIET_MS. `now` is
 * injectable for tests. */
export function boundedRetry(limitSeconds: number, log: (line: string) => void, onGiveUp: () => void, now: () => number = Date.now): (times: number) => number | null {
  let downSince: number | null = null;
  let lastTry = -Infinity;
  let gaveUp = false;
  return (times: number) => {
    const t = now();
    if (downSince === null || t - lastTry > RETRY_QUIET_MS) {
      downSince = t;
      log(`lost the connection to Redis: retrying with backoff for up to ${limitSeconds} s (--redis-retry-s)`);
    }
    lastTry = t;
    if ((t - downSince) / 1000 >= limitSeconds) {
      if (!gaveUp) {
        gaveUp = true;
        onGiveUp();
      }
      return null;
    }
    return Math.min(5000, 200 * 2 ** Math.min(Math.max(times, 1) - 1, 5));
  };
}

/** No retry from any connection for this long: the last outage is over (the longest pause between
 * retries is 5 s). */
export const RETRY_QUIET_MS = 10_000;
