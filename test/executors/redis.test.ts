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
    // the outage goes on, a try every 5 s, until 30 s after it began
    let times = 9;
    while (now < 30_000) {
      expect(retry(times++)).toBe(5000);
      now += 5000;
    }
    expect(retry(times++)).toBeNull();
    expect(retry(times)).toBeNull();
    expect(gaveUp).toBe(1);
  });

  it('starts a new outage only after a quiet spell, so that connections sharing it do not reset each other', () => {
    let now = 0;
    let gaveUp = 0;
    const lines: string[] = [];
    const retry = boundedRetry(10, (line) => lines.push(line), () => gaveUp++, () => now);
    retry(1);
    now = 100;
    retry(1); // a second connection of the same outage: same clock, no second line
    now = 5000;
    expect(retry(3)).not.toBeNull();
    now = 9000;
    expect(retry(4)).not.toBeNull();
    now = 10_000;
    expect(retry(5)).toBeNull();
    expect(gaveUp).toBe(1);
    now = 60_000; // reconnected meanwhile, then lost again
    expect(retry(1)).toBe(200);
    expect(lines).toHaveLength(2);
  });
});

describe('redisOptions', () => {
  it('reads host, port, credentials and database from the URL', () => {
    expect(redisOptions('redis://u:p%40ss@example.org:7000/2')).toEqual({ host: 'example.org', port: 7000, username: 'u', password: 'p@ss', db: 2 });
  });
});
