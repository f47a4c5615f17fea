import { AsyncLocalStorage } from 'node:async_hooks';
import type { WriteTurns } from './write-turns.ts';
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type TransactionSettings } from 'kysely';

interface Ambient {
  /** Whose transaction it is: another database's (a second connection to the same file) never joins it. */
  owner: AmbientTransactions;
  connection: DatabaseConnection;
  open: boolean;
  savepoints: number;
}

/** Whether a statement may write: any but a query that only reads (raw SQL by its first word). */
const writes = (query: CompiledQuery) =>
  query.query.kind === 'RawNode' ? !/^\s*(select|pragma|explain|values)\b/i.test(query.sql) : query.query.kind !== 'SelectQueryNode';

// One for the process: work started from inside a transaction can leave it by `detached`, whatever storage it uses.
const current = new AsyncLocalStorage<Ambient>();

/**
 * Runs `fn` (work started in passing and left to run: a follow-up, a worker woken) outside any
 * ambient transaction, so it neither joins a transaction that may still roll back nor sees what
 * that transaction has not committed.
 */
export const detached = <T>(fn: () => T): T => current.exit(fn);

/**
 * One transaction around a whole operation whose parts (services) each use the database on their
 * own: every query made while `atomic(fn)` runs, through any Kysely handle, goes to that
 * transaction's connection, and a transaction a service opens inside it becomes a savepoint. So
 * an API change and its operation-log entry commit together without each service taking a `trx`.
 */
export class AmbientTransactions {
  private driver: Driver | null = null;
  /** The driver's start, run once, whether Kysely's first query or `atomic` comes first. */
  private started: Promise<void> | null = null;
  /** The turn of each transaction running now, by its connection. */
  private readonly turns = new Map<DatabaseConnection, () => void>();
  private readonly wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    private readonly settings: TransactionSettings = {},
    /**
     * SQLite: turns at the write lock shared with the other threads writing the same file; a
     * transaction takes the lock when it begins (`begin immediate`), in its turn.
     */
    private readonly writeTurns?: WriteTurns,
  ) {}

  /** The dialect to build Kysely with, so its queries see the ambient transaction. */
  wrap(dialect: Dialect): Dialect {
    return {
      createAdapter: () => dialect.createAdapter(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createDriver: () => (this.driver = this.ambientDriver(dialect.createDriver())),
    };
  }

  /** Runs `fn` in one transaction (joined, when one is already running): all of it commits, or none. */
  async atomic<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active()) return fn();
    const driver = this.driver!;
    await driver.init();
    const connection = await driver.acquireConnection();
    const ambient: Ambient = { owner: this, connection, open: true, savepoints: 0 };
    try {
      await driver.beginTransaction(connection, this.settings);
      try {
        const result = await current.run(ambient, fn);
        ambient.open = false;
        await driver.commitTransaction(connection);
        return result;
      } catch (error) {
        ambient.open = false;
        await driver.rollbackTransaction(connection);
        throw error;
      }
    } finally {
      // Work started inside and still running (a background refresh) uses the pool from now on.
      ambient.open = false;
      await driver.releaseConnection(connection);
    }
  }

  private active(): Ambient | undefined {
    const ambient = current.getStore();
    return ambient?.open && ambient.owner === this ? ambient : undefined;
  }

  /** Ends a transaction's turn at the write lock once its commit or rollback has run, whether or not it failed. */
  private async ending(connection: DatabaseConnection, ending: Promise<void>): Promise<void> {
    try {
      await ending;
    } finally {
      this.endTurn(connection);
    }
  }

  private endTurn(connection: DatabaseConnection): void {
    this.turns.get(connection)?.();
    this.turns.delete(connection);
  }

  /**
   * With turns at the write lock, a connection whose writes outside a transaction (a counter's
   * upsert) also wait their turn, without blocking the thread, rather than in SQLite's busy
   * handler, which sleeps the whole thread. One wrapper per connection: transactions know it by identity.
   */
  private turnTaking(connection: DatabaseConnection): DatabaseConnection {
    const turns = this.writeTurns;
    if (!turns) return connection;
    let wrapped = this.wrapped.get(connection);
    if (!wrapped) {
      const self: DatabaseConnection = {
        executeQuery: async (query) => {
          if (this.turns.has(self) || !writes(query)) return connection.executeQuery(query);
          const end = await turns.take();
          try {
            return await connection.executeQuery(query);
          } finally {
            end();
          }
        },
        streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
      };
      wrapped = self;
      this.wrapped.set(connection, wrapped);
    }
    return wrapped;
  }

  private ambientDriver(inner: Driver): Driver {
    const joined = (connection: DatabaseConnection) => this.active()?.connection === connection;
    const savepoint = (connection: DatabaseConnection, verb: string, depth: number) =>
      connection.executeQuery(CompiledQuery.raw(`${verb} huoma_sp_${depth}`));
    return {
      init: () => (this.started ??= inner.init()),
      destroy: () => inner.destroy(),
      acquireConnection: async () => this.active()?.connection ?? this.turnTaking(await inner.acquireConnection()),
      releaseConnection: async (connection) => (joined(connection) ? undefined : inner.releaseConnection(connection)),
      beginTransaction: async (connection, settings) => {
        if (!joined(connection)) {
          if (!this.writeTurns) return inner.beginTransaction(connection, settings);
          // The turn is the connection's before `begin` runs, so that statement waits for no other.
          this.turns.set(connection, await this.writeTurns.take());
          try {
            await connection.executeQuery(CompiledQuery.raw('begin immediate'));
          } catch (error) {
            this.endTurn(connection);
            throw error;
          }
          return;
        }
        await savepoint(connection, 'savepoint', ++this.active()!.savepoints);
      },
      commitTransaction: async (connection) => {
        if (!joined(connection)) return this.ending(connection, inner.commitTransaction(connection));
        await savepoint(connection, 'release savepoint', this.active()!.savepoints--);
      },
      rollbackTransaction: async (connection) => {
        if (!joined(connection)) return this.ending(connection, inner.rollbackTransaction(connection));
        const depth = this.active()!.savepoints--;
        await savepoint(connection, 'rollback to savepoint', depth);
        await savepoint(connection, 'release savepoint', depth);
      },
      ...(inner.savepoint && { savepoint: inner.savepoint.bind(inner) }),
      ...(inner.rollbackToSavepoint && { rollbackToSavepoint: inner.rollbackToSavepoint.bind(inner) }),
      ...(inner.releaseSavepoint && { releaseSavepoint: inner.releaseSavepoint.bind(inner) }),
    };
  }
}
