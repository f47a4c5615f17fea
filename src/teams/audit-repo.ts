import type { Insertable, Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { AuditLogTable, AuditRow, Database } from '../storage/schema.ts';
import { inList } from '../storage/in-list.ts';

export interface AuditFilter {
  actorId?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  action?: string | undefined;
  outcome?: 'ok' | 'denied' | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  cursor?: string | undefined;
  /** A limited caller's departments: only entries about their objects. Null: every entry. */
  departments: ReadonlySet<string> | null;
}

/** An entry's detail is whatever the change recorded: any JSON. */
const detail = z.json();
export type AuditRecord = Omit<AuditRow, 'detail'> & { detail: z.output<typeof detail> | null };

/** The operation log's table: appended to, never edited. */
export class AuditRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** `db` is the change's own transaction where the entry must commit with it. */
  async append(entry: Insertable<AuditLogTable>, db: Kysely<Database> | Transaction<Database> = this.db): Promise<void> {
    await db.insertInto('audit_log').values(entry).execute();
  }

  async list(f: AuditFilter): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(f.limit);
    if (f.cursor) query = query.where('id', '<', f.cursor);
    if (f.departments !== null) query = query.where('department_id', 'in', inList(f.departments));
    if (f.actorId) query = query.where('actor_id', '=', f.actorId);
    if (f.objectType) query = query.where('object_type', '=', f.objectType);
    if (f.objectId) query = query.where('object_id', '=', f.objectId);
    if (f.action) query = query.where('action', '=', f.action);
    if (f.outcome) query = query.where('outcome', '=', f.outcome);
    if (f.from !== undefined) query = query.where('at', '>=', f.from);
    if (f.to !== undefined) query = query.where('at', '<', f.to);
    return (await query.execute()).map((r) => ({ ...r, detail: r.detail === null ? null : detail.parse(JSON.parse(r.detail)) }));
  }
}
