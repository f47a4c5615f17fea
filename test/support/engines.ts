import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { migrateToLatest, openStorage, type Storage } from '../../src/storage/db.ts';
import { createDatabase } from './postgres.ts';

export interface EngineCase {
  name: 'sqlite' | 'postgres';
  open(): Promise<Storage>;
}

const sqlite: EngineCase = {
  name: 'sqlite',
  async open() {
    const storage = openStorage({ dataDir: mkdtempSync(join(tmpdir(), 'huoma-sqlite-')) });
    await migrateToLatest(storage);
    return storage;
  },
};

/** Every engine this run can reach: SQLite always, PostgreSQL when the global setup started one. */
export function engines(): EngineCase[] {
  const serverUrl = inject('postgresUrl');
  if (!serverUrl) return [sqlite];
  const postgres: EngineCase = {
    name: 'postgres',
    async open() {
      const storage = openStorage({ dataDir: tmpdir(), databaseUrl: await createDatabase(serverUrl) });
      await migrateToLatest(storage);
      return storage;
    },
  };
  return [sqlite, postgres];
}
