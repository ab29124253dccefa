// A throwaway redis-server for tests (src/executors/redisServer.ts): its own loopback port, no
// persistence, stopped afterwards. The queue tests need a real Redis (BullMQ's Lua scripts, blocking
// commands, pub/sub); `.ci/run` installs Debian's redis-server when it is missing.
import { freePort, startRedisServer, type RedisServer } from '../src/executors/redisServer.ts';

export { freePort };
export type TestRedis = RedisServer;

export const startRedis = (): Promise<TestRedis> => startRedisServer();
