import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { migrateToLatest, openStorage, type Storage } from '../../src/storage/db.ts';
import { createDatabase } from './postgres.ts';

export interface EngineCase {
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
  open: async () => opener({ dataDir: mkdtempSync(join(tmpdir(), 'huoma-sqlite-')) })(),
  database: async () => opener({ dataDir: mkdtempSync(join(tmpdir(), 'huoma-sqlite-')) }),
};

/** Every engine this run can reach: SQLite always, PostgreSQL when the global setup started one. */
export function engines(): EngineCase[] {
  const serverUrl = inject('postgresUrl');
  if (!serverUrl) return [sqlite];
  const postgres: EngineCase = {
    name: 'postgres',
    open: async () => opener({ dataDir: tmpdir(), databaseUrl: await createDatabase(serverUrl) })(),
    database: async () => opener({ dataDir: tmpdir(), databaseUrl: await createDatabase(serverUrl) }),
  };
  return [sqlite, postgres];
}
