import { createRequire } from 'node:module';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** The part of node:sqlite we use; @types/node for Node 20 does not describe it. */
interface StatementSync {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...params: unknown[]): IterableIterator<unknown>;
  columns?(): unknown[];
}
interface DatabaseSync {
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
}

export interface SqliteConnection {
  database: SqliteDatabase;
  exec(sql: string): void;
  driver: 'node:sqlite' | 'better-sqlite3';
}

const require = createRequire(import.meta.url);
// Before node:sqlite can say whether a statement returns rows (columns(), Node 22.16+), tell by its text.
const READER = /^\s*(select|with|pragma|values|explain)\b|\breturning\b/i;

function nodeSqliteStatement(stmt: StatementSync, sql: string): SqliteStatement {
  return {
    reader: stmt.columns ? stmt.columns().length > 0 : READER.test(sql),
    all: (params) => stmt.all(...params),
    run: (params) => stmt.run(...params),
    iterate: (params) => stmt.iterate(...params),
  };
}

const CACHED_STATEMENTS = 500;

/**
 * Kysely prepares every query afresh; the same SQL text recurs (scan batches above all), so keep
 * prepared statements by text. Safe on the one connection: Kysely runs one query at a time, and
 * we never leave an iterator open.
 */
function withStatementCache(close: () => void, prepare: (sql: string) => SqliteStatement): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close,
    prepare(sql) {
      let stmt = cache.get(sql);
      if (!stmt) {
        if (cache.size >= CACHED_STATEMENTS) cache.clear();
        stmt = prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/**
 * Node's built-in SQLite where the runtime has it (22.13+), else better-sqlite3. better-sqlite3
 * 12 (the last for Node 20) aborts the whole process during garbage collection on Node ≥ 24.19
 * (its ObjectWrap destructor trips a CHECK in Node's cleanup hooks), so it must not load there.
 */
export function openSqlite(file: string): SqliteConnection {
  let builtin: { DatabaseSync: new (file: string) => DatabaseSync } | null = null;
  try {
    builtin = require('node:sqlite');
  } catch {
    builtin = null;
  }
  if (builtin) {
    const db = new builtin.DatabaseSync(file);
    const database = withStatementCache(() => db.close(), (sql) => nodeSqliteStatement(db.prepare(sql), sql));
    return { database, exec: (sql) => db.exec(sql), driver: 'node:sqlite' };
  }
  const BetterSqlite = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new BetterSqlite(file);
  const database = withStatementCache(() => db.close(), (sql) => db.prepare(sql));
  return { database, exec: (sql) => db.exec(sql), driver: 'better-sqlite3' };
}
