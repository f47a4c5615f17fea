import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { UpdateCodeInput } from '../codes/model.ts';
import type { FieldChange } from '../shared/diff.ts';
import type { Database, ProposalRow } from '../storage/schema.ts';
import { inList } from '../storage/in-list.ts';
import { approvalLevel, approvalPolicySchema, type ApprovalLevel, type ApprovalPolicy } from './approval-policy.ts';

const POLICY_KEY = 'approvals';

const decision = z.object({
  level: z.string(),
  by: z.object({ id: z.string(), name: z.string() }),
  verdict: z.enum(['approve', 'reject']),
  comment: z.string().nullable(),
  at: z.string(),
});
export type Decision = z.output<typeof decision>;
/**
 * A patch was checked in full by the code schema when it was proposed and is stored as that schema's output,
 * which the schema itself would not take back (its transforms run once): read it back as the object it is.
 */
const storedPatch = z.custom<UpdateCodeInput>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'a stored patch must be an object');
const fieldChanges = z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() }));

export type ProposalStatus = 'pending' | 'applied' | 'rejected' | 'conflict';

/** A proposal with its JSON columns parsed; `decisionsAsRead` is the stored text, which a decision's update is conditional on. */
export interface ProposalRecord {
  id: string;
  codeId: string;
  baseVersion: number;
  patch: UpdateCodeInput;
  changes: FieldChange[];
  proposer: { id: string; name: string };
  levels: ApprovalLevel[];
  decisions: Decision[];
  decisionsAsRead: string;
  status: ProposalStatus;
  createdAt: number;
  decidedAt: number | null;
}

export interface ProposalFilter {
  status?: ProposalStatus | undefined;
  codeId?: string | undefined;
  limit: number;
  /** Only proposals on codes of these departments (null: every one). */
  departments: ReadonlySet<string> | null;
}

const record = (r: ProposalRow): ProposalRecord => ({
  id: r.id, codeId: r.code_id, baseVersion: r.base_version, patch: storedPatch.parse(JSON.parse(r.patch)),
  changes: fieldChanges.parse(JSON.parse(r.changes)), proposer: { id: r.proposer_id, name: r.proposer_name },
  levels: z.array(approvalLevel).parse(JSON.parse(r.levels)), decisions: z.array(decision).parse(JSON.parse(r.decisions)), decisionsAsRead: r.decisions,
  status: r.status as ProposalStatus, createdAt: r.created_at, decidedAt: r.decided_at,
});

/** Proposed changes waiting for approval, and the workspace's approval policy. */
export class ApprovalRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async policy(): Promise<ApprovalPolicy | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', POLICY_KEY).executeTakeFirst();
    return row && approvalPolicySchema.parse(JSON.parse(row.value));
  }

  async setPolicy(policy: ApprovalPolicy, now: number): Promise<void> {
    const value = JSON.stringify(policy);
    await this.db
      .insertInto('settings')
      .values({ key: POLICY_KEY, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  async insert(p: Omit<ProposalRecord, 'decisions' | 'decisionsAsRead' | 'status' | 'decidedAt'>): Promise<ProposalRecord> {
    const row: ProposalRow = {
      id: p.id, code_id: p.codeId, base_version: p.baseVersion, patch: JSON.stringify(p.patch), changes: JSON.stringify(p.changes), proposer_id: p.proposer.id,
      proposer_name: p.proposer.name, levels: JSON.stringify(p.levels), decisions: '[]', status: 'pending', created_at: p.createdAt, decided_at: null,
    };
    await this.db.insertInto('proposals').values(row).execute();
    return { ...p, decisions: [], decisionsAsRead: row.decisions, status: 'pending', decidedAt: null };
  }

  async list(filter: ProposalFilter): Promise<ProposalRecord[]> {
    let query = this.db.selectFrom('proposals').selectAll().orderBy('id', 'desc').limit(filter.limit);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.codeId) query = query.where('code_id', '=', filter.codeId);
    // In the query, not after it: the page must not be filled with proposals the caller cannot see.
    const departments = filter.departments;
    if (departments) query = query.where('code_id', 'in', (eb) => eb.selectFrom('codes').select('id').where('department_id', 'in', inList(departments)));
    return (await query.execute()).map(record);
  }

  async byId(id: string): Promise<ProposalRecord | undefined> {
    const row = await this.db.selectFrom('proposals').selectAll().where('id', '=', id).executeTakeFirst();
    return row && record(row);
  }

  /**
   * Records the decisions (and, when `settled`, the final status) if nobody decided since `read` was read;
   * false otherwise. `db` is the applied change's own transaction where it must commit with it.
   */
  async decide(
    read: Pick<ProposalRecord, 'id' | 'decisionsAsRead'>,
    decisions: Decision[],
    settled: { status: ProposalStatus; at: number } | null,
    db: Kysely<Database> | Transaction<Database> = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('proposals')
      .set({ decisions: JSON.stringify(decisions), ...(settled ? { status: settled.status, decided_at: settled.at } : {}) })
      .where('id', '=', read.id)
      .where('status', '=', 'pending')
      .where('decisions', '=', read.decisionsAsRead)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
