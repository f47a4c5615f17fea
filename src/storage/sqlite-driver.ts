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

function nodeSqlite(db: DatabaseSync): SqliteDatabase {
  return {
    close: () => db.close(),
    prepare(sql): SqliteStatement {
      const stmt = db.prepare(sql);
      return {
        reader: stmt.columns ? stmt.columns().length > 0 : READER.test(sql),
        all: (params) => stmt.all(...params),
        run: (params) => stmt.run(...params),
        iterate: (params) => stmt.iterate(...params),
      };
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
    return { database: nodeSqlite(db), exec: (sql) => db.exec(sql), driver: 'node:sqlite' };
  }
  const BetterSqlite = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new BetterSqlite(file);
  return { database: db, exec: (sql) => db.exec(sql), driver: 'better-sqlite3' };
}
