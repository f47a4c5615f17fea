import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Engine } from './engine.ts';
import { migrationProvider } from './migrations.ts';
import { openSqlite } from './sqlite-driver.ts';
import type { Database } from './schema.ts';

export interface Storage {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data lives, with any password removed, for start-up messages. */
  describe: string;
  close(): Promise<void>;
}

export interface StorageOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /**
   * SQLite only. `full` (default): a committed scan survives power loss. `normal`: it survives a
   * crash of the process but not of the machine, and the commit does not wait for the disk.
   */
  sqliteSync?: 'full' | 'normal' | undefined;
}

// PostgreSQL sends bigint and numeric as strings; every such column of ours is a count or an
// epoch-ms time, both far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);

export function openStorage(options: StorageOptions): Storage {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle client's error (the server restarted) must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const url = new URL(options.databaseUrl);
    url.password = url.password ? '***' : '';
    return { db, engine: 'postgres', describe: url.toString(), close: () => db.destroy() };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, 'huoma.db');
  const sqlite = openSqlite(file);
  const sync = options.sqliteSync === 'normal' ? 'NORMAL' : 'FULL';
  sqlite.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${sync}; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite.database }) });
  return { db, engine: 'sqlite', describe: `${file} (${sqlite.driver}, synchronous=${sync})`, close: () => db.destroy() };
}

export async function migrateToLatest(storage: Storage): Promise<string[]> {
  const migrator = new Migrator({ db: storage.db, provider: migrationProvider(storage.engine) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every migration this build knows has been applied. */
export async function migrationsCurrent(storage: Storage): Promise<boolean> {
  const migrator = new Migrator({ db: storage.db, provider: migrationProvider(storage.engine) });
  const list = await migrator.getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}

export async function ping(storage: Storage): Promise<void> {
  await sql`select 1`.execute(storage.db);
}
