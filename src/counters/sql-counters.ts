import { sql, type Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';
import type { CounterTake, Counters } from './counters.ts';

/**
 * Counters in the `counters` table, on either engine: one upsert statement per take, so the
 * check and the increment are one atomic step (PostgreSQL takes the row lock; SQLite has one writer).
 */
export class SqlCounters implements Counters {
  readonly kind = 'database';

  constructor(private readonly db: Kysely<Database>) {}

  async take({ key, limit, expiresAt, seed }: CounterTake): Promise<boolean> {
    const { rows } = await sql<{ value: number }>`
      insert into counters (key, value, expires_at)
      select ${key}, ${seed + 1}, ${expiresAt} where cast(${seed} as bigint) < cast(${limit} as bigint)
      on conflict (key) do update set value = counters.value + 1
      where counters.value < cast(${limit} as bigint)
      returning value`.execute(this.db);
    return rows.length === 1;
  }

  async read(keys: readonly string[]): Promise<Map<string, number>> {
    const out = new Map(keys.map((k) => [k, 0]));
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await this.db.selectFrom('counters').select(['key', 'value']).where('key', 'in', keys.slice(i, i + 500)).execute();
      for (const r of rows) out.set(r.key, Number(r.value));
    }
    return out;
  }

  async release(key: string): Promise<void> {
    await this.db.updateTable('counters').set((eb) => ({ value: eb('value', '-', 1) })).where('key', '=', key).where('value', '>', 0).execute();
  }

  async expire(now: number): Promise<number> {
    const result = await this.db.deleteFrom('counters').where('expires_at', '<', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
