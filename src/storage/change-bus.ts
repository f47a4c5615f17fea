import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Tells every instance that a code changed, so each drops it from its cache before its next
 * scan. `lost` is called when notifications may have been missed (the listener reconnected):
 * the caller must then forget everything it cached. A notice can still be lost without that
 * (a network fault at the wrong moment), so caches also revalidate what they hold after a while.
 */
export interface ChangeBus {
  /**
   * Given the change's transaction, the notice goes out when (and only if) it commits, so no
   * committed change goes untold for want of a second step after the commit.
   */
  publish(slug: string, trx?: Transaction<Database>): Promise<void>;
  subscribe(handlers: { changed(slug: string): void; lost(): void }): void;
  close(): Promise<void>;
}

/** One process (SQLite): the change is already known here; nobody else to tell. */
export const localBus: ChangeBus = {
  publish: async () => {},
  subscribe: () => {},
  close: async () => {},
};

const CHANNEL = 'huoma_code_changed';
const RECONNECT_MS = 500;

/** Several instances on PostgreSQL: LISTEN/NOTIFY, which delivers only after the commit. */
export function postgresBus(db: Kysely<Database>, connectionString: string): ChangeBus {
  const self = randomUUID();
  let handlers: { changed(slug: string): void; lost(): void } | null = null;
  let client: pg.Client | null = null;
  let closed = false;

  async function listen(): Promise<void> {
    const c = new pg.Client({ connectionString });
    c.on('notification', (msg) => {
      const [from, slug] = (msg.payload ?? '').split(' ');
      if (from !== self && slug) handlers?.changed(slug);
    });
    const retry = () => {
      if (client !== c || closed) return;
      client = null;
      c.end().catch(() => {});
      setTimeout(() => void connect(), RECONNECT_MS).unref();
    };
    c.on('error', retry);
    c.on('end', retry);
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
  }

  async function connect(reconnecting = true): Promise<void> {
    try {
      await listen();
      // While we were away, changes went unheard.
      if (reconnecting) handlers?.lost();
    } catch {
      if (!closed) setTimeout(() => void connect(), RECONNECT_MS).unref();
    }
  }

  const ready = connect(false);
  return {
    async publish(slug, trx) {
      // PostgreSQL holds a NOTIFY made in a transaction until it commits, and drops it on rollback.
      await sql`select pg_notify(${CHANNEL}, ${`${self} ${slug}`})`.execute(trx ?? db);
    },
    subscribe(h) {
      handlers = h;
    },
    async close() {
      closed = true;
      await ready;
      await client?.end().catch(() => {});
    },
  };
}
