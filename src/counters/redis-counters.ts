import { Redis } from 'ioredis';
import type { CounterTake, Counters } from './counters.ts';

// Check and increment in one script: Redis runs it atomically, whichever instance sends it.
const TAKE = `
local v = redis.call('GET', KEYS[1])
local limit = tonumber(ARGV[1])
if not v then
  local seed = tonumber(ARGV[2])
  if seed >= limit then return 0 end
  redis.call('SET', KEYS[1], seed + 1)
  if ARGV[3] ~= '' then redis.call('PEXPIREAT', KEYS[1], ARGV[3]) end
  return 1
end
if tonumber(v) >= limit then return 0 end
redis.call('INCR', KEYS[1])
return 1`;

const RELEASE = `
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

type ScriptedRedis = Redis & {
  huomaTake(key: string, limit: number, seed: number, expiresAt: string): Promise<number>;
  huomaRelease(key: string): Promise<number>;
};

/** Counters in Redis, each key with its own expiry, so nothing needs sweeping. */
export class RedisCounters implements Counters {
  readonly kind = 'redis';
  private readonly redis: ScriptedRedis;

  constructor(url: string, private readonly prefix = 'huoma:counter:') {
    // A scan must not hang on an unreachable Redis: fail the command soon and let the scan answer 503.
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: 2000 });
    redis.on('error', () => {});
    redis.defineCommand('huomaTake', { numberOfKeys: 1, lua: TAKE });
    redis.defineCommand('huomaRelease', { numberOfKeys: 1, lua: RELEASE });
    this.redis = redis as ScriptedRedis;
  }

  async connect(): Promise<this> {
    await this.redis.connect();
    return this;
  }

  async take({ key, limit, expiresAt, seed }: CounterTake): Promise<boolean> {
    return (await this.redis.huomaTake(this.prefix + key, limit, seed, expiresAt === null ? '' : String(expiresAt))) === 1;
  }

  async read(keys: readonly string[]): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const values = await this.redis.mget(keys.map((k) => this.prefix + k));
    return new Map(keys.map((k, i) => [k, Number(values[i] ?? 0)]));
  }

  async release(key: string): Promise<void> {
    await this.redis.huomaRelease(this.prefix + key);
  }

  async expire(): Promise<number> {
    return 0;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
