import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { Database } from '../storage/schema.ts';
import type { Belonging } from '../shared/actor.ts';
import type { AuditEntry } from '../shared/audit-entry.ts';
import { isoTime } from '../shared/time.ts';
import type { AuditFilter, AuditRecord, AuditRepo } from './audit-repo.ts';

/**
 * The one department an entry is filed under. An object of several departments (a key limited to
 * two) or of the whole workspace is filed under none, so only unlimited callers read its entries.
 */
const filedUnder = (belonging: Belonging | undefined) =>
  typeof belonging === 'string' ? belonging : belonging && belonging.length === 1 ? belonging[0]! : null;

/** The operation log: every change and every refused attempt, appended and never edited. */
export class AuditLog {
  constructor(
    private readonly repo: AuditRepo,
    private readonly clock: Clock,
  ) {}

  /** `db` is the change's own transaction where the entry must commit with it. */
  async append(e: AuditEntry, db?: Kysely<Database> | Transaction<Database>): Promise<void> {
    const at = this.clock.now();
    await this.repo.append(
      {
        id: newId(at), at, actor_id: e.actor?.id ?? null, actor_name: e.actor?.name ?? null, ip: e.ip, action: e.action, object_type: e.objectType,
        object_id: e.objectId, outcome: e.outcome, department_id: filedUnder(e.department), detail: e.detail === undefined ? null : JSON.stringify(e.detail),
      },
      db,
    );
  }

  async list(f: AuditFilter) {
    const rows = await this.repo.list(f);
    const last = rows.length === f.limit ? rows[rows.length - 1] : undefined;
    return { items: rows.map(view), nextCursor: last ? last.id : null };
  }
}

function view(r: AuditRecord) {
  return {
    id: r.id,
    at: isoTime(r.at),
    actor: r.actor_id === null ? null : { id: r.actor_id, name: r.actor_name },
    ip: r.ip,
    action: r.action,
    object: r.object_type === null ? null : { type: r.object_type, id: r.object_id },
    outcome: r.outcome as 'ok' | 'denied',
    detail: r.detail,
  };
}
