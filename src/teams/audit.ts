import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { AuditRow, Database } from '../storage/schema.ts';
import type { Belonging } from '../shared/actor.ts';
import type { AuditEntry } from '../shared/audit-entry.ts';
import { isoTime } from '../shared/time.ts';
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

/**
 * The one department an entry is filed under. An object of several departments (a key limited to
 * two) or of the whole workspace is filed under none, so only unlimited callers read its entries.
 */
const filedUnder = (belonging: Belonging | undefined) =>
  typeof belonging === 'string' ? belonging : belonging && belonging.length === 1 ? belonging[0]! : null;


/** The operation log: every change and every refused attempt, appended and never edited. */
export class AuditLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** `db` is the change's own transaction where the entry must commit with it. */
  async append(e: AuditEntry, db: Kysely<Database> | Transaction<Database> = this.db): Promise<void> {
    const at = this.clock.now();
    await db
      .insertInto('audit_log')
      .values({
        id: newId(at), at, actor_id: e.actor?.id ?? null, actor_name: e.actor?.name ?? null, ip: e.ip, action: e.action,
        object_type: e.objectType, object_id: e.objectId, outcome: e.outcome, department_id: filedUnder(e.department), detail: e.detail === undefined ? null : JSON.stringify(e.detail),
      })
      .execute();
  }

  async list(f: AuditFilter) {
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
    const rows = await query.execute();
    const last = rows.length === f.limit ? rows[rows.length - 1] : undefined;
    return { items: rows.map(view), nextCursor: last ? last.id : null };
  }
}

function view(r: AuditRow) {
  return {
    id: r.id,
    at: isoTime(r.at),
    actor: r.actor_id === null ? null : { id: r.actor_id, name: r.actor_name },
    ip: r.ip,
    action: r.action,
    object: r.object_type === null ? null : { type: r.object_type, id: r.object_id },
    outcome: r.outcome as 'ok' | 'denied',
    detail: r.detail === null ? null : JSON.parse(r.detail),
  };
}
