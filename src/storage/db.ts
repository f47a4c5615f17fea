import { chmodSync, closeSync, fdatasyncSync, mkdirSync, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Engine } from './engine.ts';
import { migrationProvider } from './migrations.ts';
import { AmbientTransactions } from './ambient-transaction.ts';
import { WriteTurns } from './write-turns.ts';
import { openSqlite } from './sqlite-driver.ts';
import type { Database } from './schema.ts';

export interface Storage {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data lives, with any password removed, for start-up messages. */
  describe: string;
  /**
   * Resolves once every transaction committed so far is on disk. Callers await it before they
   * acknowledge a write: after a scan batch, before answering an API change.
   */
  durable(): Promise<void>;
  /** Whether `durable()` has anything to wait for (SQLite with `full` sync); else commits are as durable as they get. */
  syncs: boolean;
  /**
   * Runs `fn` as one transaction: every query it makes, through `db` or a transaction it opens
   * (then a savepoint), commits with the rest or not at all. On PostgreSQL it is REPEATABLE READ,
   * so what it reads first (the object before a change) is the snapshot its writes apply to.
   */
  atomic<T>(fn: () => Promise<T>): Promise<T>;
  /** PostgreSQL only: for connections of our own outside the pool (LISTEN). */
  connectionString?: string;
  /** How it was opened: another thread opens the same database with these (the scan writer). */
  options: StorageOptions;
  close(): Promise<void>;
}

export interface StorageOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /**
   * SQLite only. `full` (default): an acknowledged write survives power loss. `normal`: it
   * survives a crash of the process but not of the machine, and nothing waits for the disk.
   */
  sqliteSync?: 'full' | 'normal' | undefined;
  /** SQLite: the turns at the write lock of every thread writing the file (made on first open; another thread passes them on). */
  writeTurns?: SharedArrayBuffer | undefined;
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
    const ambient = new AmbientTransactions({ isolationLevel: 'repeatable read' });
    const db = new Kysely<Database>({ dialect: ambient.wrap(new PostgresDialect({ pool })) });
    const url = new URL(options.databaseUrl);
    url.password = url.password ? '***' : '';
    // PostgreSQL's commit is durable by itself (synchronous_commit = on).
    return {
      db,
      engine: 'postgres',
      describe: url.toString(),
      durable: async () => {},
      syncs: false,
      atomic: (fn) => ambient.atomic(fn),
      connectionString: options.databaseUrl,
      options,
      close: () => db.destroy(),
    };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, 'huoma.db');
  ownerOnly(file);
  const sqlite = openSqlite(file);
  // synchronous=FULL would fsync the WAL inside every COMMIT, blocking the event loop for the
  // disk. NORMAL commits without it; `durable()` then fdatasyncs the WAL off the event loop, which
  // is what FULL's commit-time sync does (SQLite's own checkpoints stay synced under NORMAL).
  sqlite.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  // Two threads write the file (the event loop's connection and the scan writer thread's): each
  // transaction takes the write lock as it begins, in its turn. One that read first and wrote
  // later could otherwise find the other's commit in between and fail at once (SQLITE_BUSY_SNAPSHOT).
  const writeTurns = new WriteTurns(options.writeTurns);
  const ambient = new AmbientTransactions({}, writeTurns);
  const db = new Kysely<Database>({ dialect: ambient.wrap(new SqliteDialect({ database: sqlite.database })) });
  const full = options.sqliteSync !== 'normal';
  const wal = walSyncer(`${file}-wal`);
  return {
    db,
    engine: 'sqlite',
    describe: `${file} (${sqlite.driver}, ${full ? 'writes synced to disk' : 'crash-safe writes, not synced'})`,
    durable: full ? wal.sync : async () => {},
    syncs: full,
    atomic: (fn) => ambient.atomic(fn),
    options: { ...options, writeTurns: writeTurns.shared },
    async close() {
      await db.destroy();
      await wal.close();
    },
  };
}

/**
 * The database holds sessions, password hashes and every scan: like the secret, it is the server's
 * user's alone: created 0600 (a umask only takes bits away), and made so where an older version
 * left it readable. SQLite gives the -wal and -shm it creates the main file's mode.
 */
function ownerOnly(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(path, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * fdatasync of SQLite's write-ahead log, on libuv's thread pool rather than the event loop; a
 * thread of its own (the scan writer's) waits for the disk itself, since the pool would cost each
 * batch two more thread hops. One sync at a time: callers that come while one runs (it may have
 * begun before their commit) share the next, so a burst of commits costs two syncs, not one each.
 */
function walSyncer(path: string) {
  let handle: Promise<FileHandle> | null = null;
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const syncNow = async () => {
    handle ??= open(path, 'r');
    try {
      const file = await handle;
      if (isMainThread) await file.datasync();
      else fdatasyncSync(file.fd);
    } catch (error) {
      handle = null;
      // No log yet means no write yet: nothing to make durable.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  };
  const sync = (): Promise<void> => {
    if (!running) {
      running = syncNow().finally(() => {
        running = null;
      });
      return running;
    }
    next ??= running.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      next = null;
      return sync();
    });
    return next;
  };
  return {
    sync,
    async close() {
      await handle?.then((h) => h.close()).catch(() => {});
    },
  };
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
