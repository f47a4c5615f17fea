import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import { idTimePrefix } from '../shared/ids.ts';
import type { Database, NewScan, ScanRow } from '../storage/schema.ts';
import { SERVED_OUTCOMES } from './outcomes.ts';
import { inList } from '../storage/in-list.ts';

const INSERT_CHUNK = 100;
const COUNT_SHARDS = 16;
type ScanColumn = keyof NewScan;

export interface ScanRange {
  from: number;
  to: number;
}

export interface Breakdowns {
  scans: number;
  repeats: number;
  uniqueVisitors: number;
  byDay: { key: string; n: number }[];
  byHour: { key: number; n: number }[];
  byOs: { key: string; n: number }[];
  byProvince: { key: string | null; n: number }[];
  byOutcome: { key: string; n: number }[];
}

/**
 * Scan ids begin with their time (see newId), so one index on (code_id, id) serves paging and
 * time ranges alike; every extra index would cost each recorded scan another B-tree insert.
 */
export class ScanRepo {
  // The insert for n rows, compiled once per n: compiling 27 columns × 100 rows on every batch
  // cost more than SQLite's own work for them.
  private readonly inserts = new Map<number, { sql: string; columns: ScanColumn[] }>();
  // Likewise the counter upsert, per number of codes in a batch (almost always one).
  private readonly countUpserts = new Map<number, string>();

  constructor(private readonly db: Kysely<Database>) {}

  private insertQuery(rows: NewScan[]): CompiledQuery {
    let insert = this.inserts.get(rows.length);
    if (!insert) {
      const columns = Object.keys(rows[0]!) as ScanColumn[];
      const canonical = rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])) as NewScan);
      insert = { sql: this.db.insertInto('scans').values(canonical).compile().sql, columns };
      this.inserts.set(rows.length, insert);
    }
    const { columns } = insert;
    const params = new Array<unknown>(rows.length * columns.length);
    let k = 0;
    for (const row of rows) for (const column of columns) params[k++] = row[column] ?? null;
    return CompiledQuery.raw(insert.sql, params);
  }

  private countQuery(counted: Map<string, number>): CompiledQuery {
    let upsert = this.countUpserts.get(counted.size);
    if (upsert === undefined) {
      const rows = Array.from({ length: counted.size }, () => ({ code_id: '', shard: 0, n: 0 }));
      upsert = this.db
        .insertInto('code_scan_counts')
        .values(rows)
        .onConflict((oc) => oc.columns(['code_id', 'shard']).doUpdateSet({ n: sql`code_scan_counts.n + excluded.n` }))
        .compile().sql;
      this.countUpserts.set(counted.size, upsert);
    }
    const shard = Math.floor(Math.random() * COUNT_SHARDS);
    // In code order, so two batches touching the same codes lock them in the same order.
    const sorted = [...counted].sort(([a], [b]) => (a < b ? -1 : 1));
    return CompiledQuery.raw(upsert, sorted.flatMap(([code, n]) => [code, shard, n]));
  }

  /**
   * One transaction for a whole batch: the scans, and each code's served-scan counter, which
   * scan caps and lists read. `counted` holds, per code, how many of the batch count toward it.
   */
  async insertBatch(scans: NewScan[], counted: Map<string, number>, alongside?: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // Fixed-size chunks repeat the same SQL text, so its prepared statement is reused.
      for (let i = 0; i < scans.length; i += INSERT_CHUNK) {
        await trx.executeQuery(this.insertQuery(scans.slice(i, i + INSERT_CHUNK)));
      }
      if (counted.size > 0) await trx.executeQuery(this.countQuery(counted));
      await alongside?.(trx);
    });
  }

  /** Which of these codes still exist: a batch's scans of the others have nowhere to go. */
  async presentCodes(codeIds: string[]): Promise<Set<string>> {
    if (codeIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('codes').select('id').where('id', 'in', codeIds).execute();
    return new Set(rows.map((r) => r.id));
  }

  async list(codeId: string, range: ScanRange, opts: { limit: number; cursor?: string | undefined; includeBots: boolean }): Promise<ScanRow[]> {
    let query = this.db
      .selectFrom('scans')
      .selectAll()
      .where('code_id', '=', codeId)
      .where('id', '>=', idTimePrefix(range.from))
      .where('id', '<', idTimePrefix(range.to))
      .orderBy('id', 'desc')
      .limit(opts.limit);
    if (opts.cursor) query = query.where('id', '<', opts.cursor);
    if (!opts.includeBots) query = query.where('is_bot', '=', 0);
    return query.execute();
  }

  async exists(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('scans').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  }

  /** Whether `id` is a scan of this code answered with the location step at `since` or later. */
  async locateStep(id: string, codeId: string, since: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('scans')
      .select('id')
      .where('id', '=', id)
      .where('code_id', '=', codeId)
      .where('outcome', '=', 'locate')
      .where('scanned_at', '>=', since)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The member this device was sent to on this code since `since` (a staff code's repeat scan meets them again). */
  async lastStaffFor(codeId: string, visitorId: string, since: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('scans')
      .select('staff_id')
      .where('code_id', '=', codeId)
      .where('visitor_id', '=', visitorId)
      .where('scanned_at', '>=', since)
      .where('staff_id', 'is not', null)
      .orderBy('scanned_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.staff_id ?? null;
  }

  /**
   * Served human scans per code channel in a range (refusals, repeats and bots left out): a channel
   * report's scans. `departments`: only scans of those departments' codes (a limited caller's report).
   */
  async servedByChannel(range: ScanRange, departments: ReadonlySet<string> | null): Promise<Map<string, number>> {
    let query = this.db
      .selectFrom('scans')
      .innerJoin('codes', 'codes.id', 'scans.code_id')
      .select((eb) => ['codes.channel_id as channel', eb.fn.countAll<number>().as('n')])
      .where('scans.id', '>=', idTimePrefix(range.from))
      .where('scans.id', '<', idTimePrefix(range.to))
      .where('scans.is_bot', '=', 0)
      .where('scans.outcome', 'in', SERVED_OUTCOMES)
      .where('codes.channel_id', 'is not', null)
      .groupBy('codes.channel_id');
    if (departments !== null) query = query.where('codes.department_id', 'in', inList(departments));
    const rows = await query.execute();
    return new Map(rows.map((r) => [r.channel!, Number(r.n)]));
  }

  /** Scans served in a range to each member they were sent to (bots left out): a member's load for the day. */
  async servedByStaff(range: ScanRange): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('scans')
      .select((eb) => ['staff_id as staff', eb.fn.countAll<number>().as('n')])
      .where('id', '>=', idTimePrefix(range.from))
      .where('id', '<', idTimePrefix(range.to))
      .where('is_bot', '=', 0)
      .where('outcome', 'in', SERVED_OUTCOMES)
      .where('staff_id', 'is not', null)
      .groupBy('staff_id')
      .execute();
    return new Map(rows.map((r) => [r.staff!, Number(r.n)]));
  }

  /** The latest scan of this code sent to this member up to `before`: the scan an add most likely came from. */
  async lastScanFor(codeId: string, staffId: string, before: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('scans')
      .select('id')
      .where('code_id', '=', codeId)
      .where('staff_id', '=', staffId)
      .where('scanned_at', '<=', before)
      .orderBy('scanned_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /**
   * Human scans only: bots are stored for the record but never counted, and neither are repeats
   * (the same device again on a staff code within its dedupe window), which are counted apart.
   */
  /** Scans per code and local day since `from`, counted as statistics count them (no bots, no repeats). */
  async perDay(codeIds: readonly string[], from: number): Promise<{ codeId: string; date: string; n: number }[]> {
    if (codeIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('scans')
      .select((eb) => ['code_id', 'local_date', eb.fn.countAll<number>().as('n')])
      .where('code_id', 'in', codeIds)
      .where('id', '>=', idTimePrefix(from))
      .where('is_bot', '=', 0)
      .where('outcome', '!=', 'repeat')
      .groupBy(['code_id', 'local_date'])
      .execute();
    return rows.map((r) => ({ codeId: r.code_id, date: r.local_date, n: Number(r.n) }));
  }

  async breakdowns(codeId: string, range: ScanRange): Promise<Breakdowns> {
    const human = this.db
      .selectFrom('scans')
      .where('code_id', '=', codeId)
      .where('id', '>=', idTimePrefix(range.from))
      .where('id', '<', idTimePrefix(range.to))
      .where('is_bot', '=', 0);
    const base = human.where('outcome', '!=', 'repeat');
    const repeats = await human.where('outcome', '=', 'repeat').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const totals = await base
      .select((eb) => [eb.fn.countAll<number>().as('scans'), eb.fn.count<number>('visitor_id').distinct().as('visitors')])
      .executeTakeFirstOrThrow();
    const group = async <K extends 'local_date' | 'local_hour' | 'os' | 'province' | 'outcome'>(column: K) =>
      (await base.select((eb) => [eb.ref(column).as('key'), eb.fn.countAll<number>().as('n')]).groupBy(column).execute()).map((r) => ({
        key: r.key,
        n: Number(r.n),
      }));
    return {
      scans: Number(totals.scans),
      repeats: Number(repeats.n),
      uniqueVisitors: Number(totals.visitors),
      byDay: await group('local_date'),
      byHour: await group('local_hour'),
      byOs: await group('os'),
      byProvince: await group('province'),
      byOutcome: await group('outcome'),
    };
  }
}
