import type { Transaction } from 'kysely';
import type { Database } from '../storage/schema.ts';
import type { Actor, Belonging } from './actor.ts';

// What every domain hands the operation log (kept by teams/audit.ts), so none depends on teams for it.

export interface AuditEntry {
  actor: Pick<Actor, 'id' | 'name'> | null;
  ip: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: 'ok' | 'denied';
  /** What the object belongs to; the entry is shown to callers limited to that one department. */
  department?: Belonging | undefined;
  detail: unknown;
}

/** Writes a change's log entry inside the change's own transaction, from what that transaction replaced and wrote. */
export type ChangeLog = (trx: Transaction<Database>, before: object | null, after: object | null) => Promise<void>;
