import type { Transaction } from 'kysely';
import type { Database } from '../storage/schema.ts';
import { newId } from './ids.ts';

/** What other systems can subscribe to; each domain adds its own as it arrives. */
export const EVENT_TYPES = ['code.created', 'code.changed', 'code.deleted', 'scan.created'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface DomainEvent {
  /** Unique per event: a receiver dedupes on it (one event may be delivered more than once). */
  id: string;
  type: EventType;
  occurredAt: number;
  data: unknown;
  /**
   * The department of what it is about (null: the whole workspace), or the departments (a code
   * moved from one to another): subscriptions limited to departments hear those touching theirs.
   * Absent on scans: the outbox reads their code's (`data.codeId`).
   */
  department?: EventDepartment;
}

export type EventDepartment = string | readonly string[] | null;

export const newEvent = (type: EventType, occurredAt: number, data: unknown, department?: EventDepartment): DomainEvent => ({
  id: `evt_${newId(occurredAt)}`, type, occurredAt, data, ...(department !== undefined ? { department } : {}),
});

/**
 * Takes events inside the transaction of the change they report: a committed change always has
 * its events, a rolled-back one never does (the transactional outbox).
 */
export interface EventSink {
  /** `build` is called only when someone subscribes, so unwatched scans cost one small query per batch. */
  record(trx: Transaction<Database>, build: () => DomainEvent[]): Promise<void>;
}

export const noEvents: EventSink = { record: async () => {} };
