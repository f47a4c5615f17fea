import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { z } from 'zod';
import type { CodeRow, Database } from '../storage/schema.ts';
import type { CodeSchemas } from './code-schemas.ts';
import { storedDeviceLimit, storedPage, storedRules, storedTags, type CodeConfig, type CodeStatus, type CodeType } from './model.ts';
import { inList } from '../storage/in-list.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredCode {
  config: CodeConfig;
  scanCount: number;
}

export interface VersionEntry {
  version: number;
  actor: { id: string | null; name: string | null };
  createdAt: number;
  changes: { field: string; from: unknown; to: unknown }[];
  /** The whole configuration after the change, as it was stored then (older versions may predate today's fields). */
  snapshot: Record<string, unknown>;
}

const changesSchema = z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() }));
const snapshotSchema = z.record(z.string(), z.unknown());

/**
 * Served scans, summed over the code's count shards: the recorder adds to one shard per batch, so
 * batches committing at once on several instances do not queue on one hot row.
 */
const scanCount = sql<number>`(select coalesce(sum(n), 0) from code_scan_counts where code_scan_counts.code_id = codes.id)`;

/**
 * A configuration as versions have always kept it: every type's own part named, null where it is
 * not this code's, so snapshots read the same whatever the type.
 */
function snapshotOf(c: CodeConfig, schemas: CodeSchemas): Record<string, unknown> {
  const { id, slug, type, name, url, ...rest } = c;
  const parts = Object.fromEntries(schemas.types.flatMap((t) => (t.stored ? [[t.stored.key, null]] : [])));
  return { id, slug, type, name, url, ...parts, ...rest };
}

/** The url column predates staff codes and cannot be null; a staff code without a backup page keeps ''. */
const NO_URL = '';

/** A stored code whose configuration does not fit its schema (written behind the API, or by a broken release). */
export class UnreadableCode extends Error {
  constructor(
    readonly codeId: string,
    readonly column: string,
    problem: string,
  ) {
    super(`code ${codeId}: the stored ${column} column does not fit its schema: ${problem}`);
  }
}

/** A JSON column read through its schema, so what the scan path reads is what the types say. */
function readJson<T>(codeId: string, column: string, raw: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new UnreadableCode(codeId, column, 'not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new UnreadableCode(codeId, column, z.prettifyError(parsed.error));
  return parsed.data;
}

function toStored(row: CodeRow & { scan_count: number }, schemas: CodeSchemas): StoredCode {
  const type = schemas.types.find((t) => t.type === row.type);
  if (!type) throw new UnreadableCode(row.id, 'type', `no code type ${row.type}`);
  const { stored } = type;
  const own = stored ? { [stored.key]: readJson(row.id, 'setup', row.setup ?? 'null', stored.schema) } : {};
  const config = {
    id: row.id,
    slug: row.slug,
    type: type.type,
    name: row.name,
    url: row.url === NO_URL ? null : row.url,
    ...own,
    rules: readJson(row.id, 'rules', row.rules, storedRules),
    tags: readJson(row.id, 'tags', row.tags, storedTags),
    timeZone: row.time_zone,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    maxScans: row.max_scans,
    deviceLimit: row.device_limit === null ? null : readJson(row.id, 'device_limit', row.device_limit, storedDeviceLimit),
    paused: row.paused === 1,
    printed: row.printed === 1,
    departmentId: row.department_id,
    channelId: row.channel_id,
    expiredUrl: row.expired_url,
    note: row.note,
    page: row.page === null ? null : readJson(row.id, 'page', row.page, storedPage),
    archivedAt: row.archived_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  } as CodeConfig;
  return { scanCount: row.scan_count, config };
}

function toRow(c: CodeConfig, schemas: CodeSchemas) {
  // The type's own part, as JSON; which part it is follows from the type.
  const key = schemas.of(c.type).stored?.key;
  return {
    setup: key ? JSON.stringify((c as unknown as Record<string, unknown>)[key]) : null,
    id: c.id,
    slug: c.slug,
    type: c.type,
    name: c.name,
    url: c.url ?? NO_URL,
    rules: JSON.stringify(c.rules),
    tags: JSON.stringify(c.tags),
    time_zone: c.timeZone,
    valid_from: c.validFrom,
    valid_until: c.validUntil,
    max_scans: c.maxScans,
    device_limit: c.deviceLimit === null ? null : JSON.stringify(c.deviceLimit),
    paused: c.paused ? 1 : 0,
    printed: c.printed ? 1 : 0,
    department_id: c.departmentId,
    channel_id: c.channelId,
    expired_url: c.expiredUrl,
    note: c.note,
    page: c.page === null ? null : JSON.stringify(c.page),
    archived_at: c.archivedAt,
    version: c.version,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export interface ListFilter {
  q?: string | undefined;
  tag?: string | undefined;
  status?: CodeStatus | undefined;
  type?: CodeType | undefined;
  channelId?: string | undefined;
  departmentId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
  now: number;
  /** Only codes of these departments (a caller limited to some); absent or null: all. */
  departments?: ReadonlySet<string> | null | undefined;
}

export class CodeRepo {
  constructor(
    private readonly db: Kysely<Database>,
    /** The registered code types: how each one's own part is read back. */
    private readonly schemas: CodeSchemas,
    /** Told of a code a list leaves out because its stored configuration cannot be read (single reads throw instead). */
    private readonly unreadable: (error: UnreadableCode) => void,
    /** Tells other instances that the code with this slug changed, in the change's own transaction. */
    private readonly announce: (slug: string, trx: Transaction<Database>) => Promise<void> = async () => {},
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Codes whose own part (a roster, backup staff) contains the id (a coarse text match: `_` matches any character; the caller checks precisely). */
  async codesMentioning(id: string): Promise<CodeConfig[]> {
    const rows = await this.db
      .selectFrom('codes')
      .selectAll()
      .select(scanCount.as('scan_count'))
      .where('setup', 'like', `%${id}%`)
      .execute();
    return this.readAll(rows).map((r) => r.config);
  }

  /** Codes whose page design contains the id (a coarse text match; the caller checks precisely). */
  async codesWithPageMentioning(id: string): Promise<CodeConfig[]> {
    const rows = await this.db
      .selectFrom('codes')
      .selectAll()
      .select(scanCount.as('scan_count'))
      .where('page', 'like', `%${id}%`)
      .execute();
    return this.readAll(rows).map((r) => r.config);
  }

  /** Every row that can be read; one that cannot is reported and left out, so it never hides the others. */
  private readAll(rows: (CodeRow & { scan_count: number })[]): StoredCode[] {
    return rows.flatMap((row) => {
      try {
        return [toStored(row, this.schemas)];
      } catch (error) {
        if (!(error instanceof UnreadableCode)) throw error;
        this.unreadable(error);
        return [];
      }
    });
  }

  async slugTaken(slug: string): Promise<boolean> {
    return (await this.db.selectFrom('codes').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
  }

  async insert(trx: Transaction<Database>, code: CodeConfig): Promise<void> {
    await trx.insertInto('codes').values(toRow(code, this.schemas)).execute();
    await this.replaceTags(trx, code.id, code.tags);
    await this.announce(code.slug, trx);
  }

  /** Writes the new configuration only if nobody changed the code since `expectedVersion`. */
  async update(trx: Transaction<Database>, code: CodeConfig, expectedVersion: number): Promise<boolean> {
    const { id, created_at, slug, type, ...fields } = toRow(code, this.schemas);
    const result = await trx
      .updateTable('codes')
      .set(fields)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return false;
    await this.replaceTags(trx, id, code.tags);
    await this.announce(slug, trx);
    return true;
  }

  private async replaceTags(trx: Db, codeId: string, tags: string[]): Promise<void> {
    await trx.deleteFrom('code_tags').where('code_id', '=', codeId).execute();
    if (tags.length) await trx.insertInto('code_tags').values(tags.map((tag) => ({ code_id: codeId, tag }))).execute();
  }

  async addVersion(trx: Db, code: CodeConfig, actor: { id: string | null; name: string | null }, changes: VersionEntry['changes']): Promise<void> {
    await trx
      .insertInto('code_versions')
      .values({
        code_id: code.id,
        version: code.version,
        actor_id: actor.id,
        actor_name: actor.name,
        created_at: code.updatedAt,
        changes: JSON.stringify(changes),
        snapshot: JSON.stringify(snapshotOf(code, this.schemas)),
      })
      .execute();
  }

  async byId(id: string, db: Db = this.db): Promise<StoredCode | null> {
    const row = await db.selectFrom('codes').selectAll().select(scanCount.as('scan_count')).where('id', '=', id).executeTakeFirst();
    return row ? toStored(row, this.schemas) : null;
  }

  /** The version of the code with this slug, or null when there is none: a cheap check that a cached copy is current. */
  async versionBySlug(slug: string): Promise<number | null> {
    const row = await this.db.selectFrom('codes').select('version').where('slug', '=', slug).executeTakeFirst();
    return row?.version ?? null;
  }

  /** Codes' departments, read in a change's transaction (scan events' webhooks). */
  async departmentsOf(trx: Transaction<Database>, ids: readonly string[]): Promise<Map<string, string | null>> {
    const rows = await trx.selectFrom('codes').select(['id', 'department_id']).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [r.id, r.department_id]));
  }

  async departmentOf(id: string): Promise<string | null | undefined> {
    const row = await this.db.selectFrom('codes').select('department_id').where('id', '=', id).executeTakeFirst();
    return row?.department_id;
  }

  async bySlug(slug: string): Promise<StoredCode | null> {
    const row = await this.db.selectFrom('codes').selectAll().select(scanCount.as('scan_count')).where('slug', '=', slug).executeTakeFirst();
    return row ? toStored(row, this.schemas) : null;
  }

  async byIds(ids: string[]): Promise<StoredCode[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('codes').selectAll().select(scanCount.as('scan_count')).where('id', 'in', ids).execute();
    return this.readAll(rows);
  }

  async list(f: ListFilter): Promise<StoredCode[]> {
    let query = this.db.selectFrom('codes').selectAll().select(scanCount.as('scan_count')).orderBy('id', 'desc').limit(f.limit);
    if (f.cursor) query = query.where('id', '<', f.cursor);
    if (f.q) {
      const pattern = `%${f.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      query = query.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
    }
    if (f.tag) {
      const tag = f.tag;
      query = query.where((eb) =>
        eb.exists(eb.selectFrom('code_tags').select('code_tags.code_id').whereRef('code_tags.code_id', '=', 'codes.id').where('code_tags.tag', '=', tag)),
      );
    }
    if (f.status) query = query.where(statusFilter(f.status, f.now));
    if (f.type) query = query.where('type', '=', f.type);
    if (f.channelId) query = query.where('channel_id', '=', f.channelId);
    if (f.departmentId) query = query.where('department_id', '=', f.departmentId);
    if (f.departments) query = query.where('department_id', 'in', inList(f.departments));
    return this.readAll(await query.execute());
  }

  async versions(codeId: string): Promise<VersionEntry[]> {
    const rows = await this.db.selectFrom('code_versions').selectAll().where('code_id', '=', codeId).orderBy('version', 'desc').execute();
    return rows.map(toVersion);
  }

  async version(codeId: string, version: number): Promise<VersionEntry | null> {
    const row = await this.db.selectFrom('code_versions').selectAll().where('code_id', '=', codeId).where('version', '=', version).executeTakeFirst();
    return row ? toVersion(row) : null;
  }

  /** `alongside` runs in the same transaction when the code was there to delete. */
  async delete(codeId: string, alongside: (trx: Transaction<Database>) => Promise<void>): Promise<boolean> {
    return this.transaction(async (trx) => {
      // The code's row first, then its dependents: the order the scan recorder locks them in (its
      // scan rows' foreign key check locks the code's row, then it updates the count rows), so a
      // delete under load waits for the batches in flight instead of deadlocking with one.
      const deleted = await trx.deleteFrom('codes').where('id', '=', codeId).returning('slug').executeTakeFirst();
      if (!deleted) return false;
      // Dependent rows go explicitly too: SQLite enforces ON DELETE CASCADE only with its pragma on.
      for (const table of ['scans', 'code_tags', 'code_versions', 'code_logos', 'code_scan_counts'] as const) {
        await trx.deleteFrom(table).where('code_id', '=', codeId).execute();
      }
      await this.announce(deleted.slug, trx);
      await alongside(trx);
      return true;
    });
  }

  async putLogo(codeId: string, mime: string, data: Buffer, now: number): Promise<void> {
    const values = { code_id: codeId, mime, data, updated_at: now };
    await this.db
      .insertInto('code_logos')
      .values(values)
      .onConflict((oc) => oc.column('code_id').doUpdateSet({ mime, data, updated_at: now }))
      .execute();
  }

  async logo(codeId: string): Promise<{ mime: string; data: Buffer } | null> {
    const row = await this.db.selectFrom('code_logos').select(['mime', 'data']).where('code_id', '=', codeId).executeTakeFirst();
    return row ? { mime: row.mime, data: Buffer.from(row.data) } : null;
  }

  async deleteLogo(codeId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('code_logos').where('code_id', '=', codeId).executeTakeFirst();
    return result.numDeletedRows === 1n;
  }
}

function toVersion(r: Selectable<Database['code_versions']>): VersionEntry {
  return {
    version: r.version,
    actor: { id: r.actor_id, name: r.actor_name },
    createdAt: r.created_at,
    changes: readJson(r.code_id, 'changes', r.changes, changesSchema),
    snapshot: readJson(r.code_id, 'snapshot', r.snapshot, snapshotSchema),
  };
}

/** The SQL form of `codeStatus`, so a list filtered by status agrees with each item's status. */
function statusFilter(status: CodeStatus, now: number) {
  return sql<boolean>`(case
    when archived_at is not null then 'archived'
    when paused = 1 then 'paused'
    when valid_from is not null and ${now} < valid_from then 'scheduled'
    when valid_until is not null and ${now} >= valid_until then 'ended'
    when max_scans is not null and ${scanCount} >= max_scans then 'limit_reached'
    else 'active' end) = ${status}`;
}
