import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, inject } from 'vitest';
import { migrateToLatest, openStorage, type Storage } from '../../src/storage/db.ts';
import { createDatabase } from './postgres.ts';

/** A backend a suite runs on; `missing` says why this run cannot reach it (null: it can). */
export interface Reachable {
  name: string;
  missing: string | null;
}

/** Why a server the global setup starts is absent from this run, or null when it is here. */
export function missing(server: 'postgresUrl' | 'redisUrl'): string | null {
  if (inject(server)) return null;
  return server === 'postgresUrl'
    ? 'skipped: PostgreSQL is not installed (apt-get install postgresql)'
    : 'skipped: Redis is not installed (apt-get install redis-server)';
}

/**
 * One suite per backend. A backend this run cannot reach shows as a skipped suite with the reason,
 * every test in it listed as skipped, instead of vanishing from the report.
 */
export function describeEach<T extends Reachable>(cases: readonly T[], title: string, body: (c: T) => void): void {
  for (const c of cases) describe.skipIf(c.missing !== null)(`${title} on ${c.name}${c.missing ? ` (${c.missing})` : ''}`, () => body(c));
}

export interface EngineCase extends Reachable {
  name: 'sqlite' | 'postgres';
  open(): Promise<Storage>;
  /** A new database, and a way to open it again (a restart). */
  database(): Promise<() => Promise<Storage>>;
}

const opener = (options: Parameters<typeof openStorage>[0]) => async () => {
  const storage = openStorage(options);
  await migrateToLatest(storage);
  return storage;
};

const sqlite: EngineCase = {
  name: 'sqlite',
  missing: null,
  open: async () => opener({ dataDir: mkdtempSync(join(tmpdir(), 'huoma-sqlite-')) })(),
  database: async () => opener({ dataDir: mkdtempSync(join(tmpdir(), 'huoma-sqlite-')) }),
};

/** Both engines: SQLite always, PostgreSQL when the global setup started one (else `missing` says why). */
export function allEngines(): EngineCase[] {
  const serverUrl = inject('postgresUrl');
  const postgres: EngineCase = {
    name: 'postgres',
    missing: missing('postgresUrl'),
    open: async () => opener({ dataDir: tmpdir(), databaseUrl: await createDatabase(serverUrl) })(),
    database: async () => opener({ dataDir: tmpdir(), databaseUrl: await createDatabase(serverUrl) }),
  };
  return [sqlite, postgres];
}

/** Every engine this run can reach. */
export const engines = (): EngineCase[] => allEngines().filter((e) => e.missing === null);

/** A suite on each engine; PostgreSQL's shows as skipped, with the reason, where it is not installed. */
export const describeEngines = (title: string, body: (engine: EngineCase) => void): void => describeEach(allEngines(), title, body);
