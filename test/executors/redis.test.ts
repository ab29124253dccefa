// A worker's lost Redis: retried with growing pauses, announced once, and given up after the limit
// (virtual clock: nothing waits).
import { describe, expect, it } from 'vitest';
import { boundedRetry, redisOptions } from '../../src/executors/redis.ts';

describe('boundedRetry', () => {
  it('backs off 0.2 s, 0.4 s … up to 5 s, logs the loss once, and gives up once after the limit', () => {
    let now = 0;
    const lines: string[] = [];
    let gaveUp = 0;
    const retry = boundedRetry(30, (line) => lines.push(line), () => gaveUp++, () => now);
    const delays: (number | null)[] = [];
    for (let times = 1; times <= 8; times++) {
      const delay = retry(times);
      delays.push(delay);
      now += delay ?? 0;
    }
    expect(delays).toEqual([200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
    expect(lines).toEqual(['lost the connection to Redis: retrying with backoff for up to 30 s (--redis-retry-s)']);
    now = 30_000;
    expect(retry(9)).toBeNull();
    expect(retry(10)).toBeNull();
    expect(gaveUp).toBe(1);
  });

  it('starts counting again after a reconnection (ioredis restarts `times` at 1)', () => {
    let now = 0;
    let gaveUp = 0;
    const retry = boundedRetry(10, () => {}, () => gaveUp++, () => now);
    retry(1);
    now = 9000;
    expect(retry(5)).not.toBeNull();
    now = 60_000; // reconnected meanwhile, then lost again
    expect(retry(1)).toBe(200);
    now = 65_000;
    expect(retry(2)).toBe(400);
    expect(gaveUp).toBe(0);
  });
});

describe('redisOptions', () => {
  it('reads host, port, credentials and database from the URL', () => {
    expect(redisOptions('redis://u:p%40ss@example.org:7000/2')).toEqual({ host: 'example.org', port: 7000, username: 'u', password: 'p@ss', db: 2 });
  });
});
