import type { TestProject } from 'vitest/node';
import { findPostgresBin, startPostgres, type PostgresServer } from './postgres.ts';
import { findRedisServer, startRedis, type RedisServer } from './redis.ts';

let postgres: PostgresServer | null = null;
let redis: RedisServer | null = null;

/**
 * Starts one PostgreSQL cluster and one Redis for the whole run, so the storage and counter
 * suites run on every backend. In CI a missing server is an error; on a laptop without one
 * that half is skipped with a warning.
 */
export async function setup(project: TestProject) {
  // HUOMA_TEST_WITHOUT=postgresql,redis-server runs as a machine without them would (their suites skipped).
  const without = (process.env.HUOMA_TEST_WITHOUT ?? '').split(',');
  const bin = without.includes('postgresql') ? null : findPostgresBin();
  const redisBin = without.includes('redis-server') ? null : findRedisServer();
  const missing = [!bin && 'postgresql', !redisBin && 'redis-server'].filter(Boolean);
  if (missing.length > 0) {
    if (process.env.CI) throw new Error(`${missing.join(' and ')} not installed; .ci/run installs them from Debian packages`);
    console.warn(`${missing.join(' and ')} not found: the tests that need them are skipped (apt-get install ${missing.join(' ')})`);
  }
  postgres = bin ? await startPostgres(bin) : null;
  redis = redisBin ? await startRedis(redisBin) : null;
  project.provide('postgresUrl', postgres?.url ?? '');
  project.provide('redisUrl', redis?.url ?? '');
}

export async function teardown() {
  await Promise.all([postgres?.stop(), redis?.stop()]);
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    redisUrl: string;
  }
}
