import type { Kysely, Transaction } from 'kysely';
import type { CodeConfig, UpdateCodeInput } from '../codes/model.ts';
import type { ChangeGate } from '../codes/service.ts';
import type { Clock } from '../shared/clock.ts';
import type { FieldChange } from '../shared/diff.ts';
import { AppError, notFound, RecordedRefusal } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Database, ProposalRow } from '../storage/schema.ts';
import type { Actor } from '../shared/actor.ts';
import { approvalPolicySchema, mayDecide, NO_APPROVALS, requiredLevels, type ApprovalLevel, type ApprovalPolicy } from './approval-policy.ts';
import type { AuditLog } from './audit.ts';
import { isoTime, isoTimeOrNull } from '../shared/time.ts';
import { inList } from '../storage/in-list.ts';

interface Decision {
  level: string;
  by: { id: string; name: string };
  verdict: 'approve' | 'reject';
  comment: string | null;
  at: string;
}

export type ProposalStatus = 'pending' | 'applied' | 'rejected' | 'conflict';

/** What applying an approved proposal takes: the code service's write, with our status update inside it. */
export type ApplyChange = (
  codeId: string,
  patch: UpdateCodeInput,
  proposer: Actor,
  baseVersion: number,
  alongside: (trx: Transaction<Database>) => Promise<void>,
) => Promise<unknown>;

const POLICY_KEY = 'approvals';

function view(row: ProposalRow) {
  const levels: ApprovalLevel[] = JSON.parse(row.levels);
  const decisions: Decision[] = JSON.parse(row.decisions);
  return {
    id: row.id,
    codeId: row.code_id,
    baseVersion: row.base_version,
    patch: JSON.parse(row.patch) as UpdateCodeInput,
    changes: JSON.parse(row.changes) as FieldChange[],
    proposer: { id: row.proposer_id, name: row.proposer_name },
    levels: levels.map((l) => ({ ...l, decision: decisions.find((d) => d.level === l.name) ?? null })),
    nextLevel: row.status === 'pending' ? (levels[decisions.length]?.name ?? null) : null,
    status: row.status as ProposalStatus,
    createdAt: isoTime(row.created_at),
    decidedAt: isoTimeOrNull(row.decided_at),
  };
}
export type ProposalView = ReturnType<typeof view>;

/**
 * Sensitive changes wait for a second pair of eyes: the workspace's policy says which changes and
 * whose approval, level after level; the last approval applies the change atomically, or reports
 * a conflict when the code changed meanwhile.
 */
export class ApprovalService implements ChangeGate {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async policy(): Promise<ApprovalPolicy> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', POLICY_KEY).executeTakeFirst();
    return row ? approvalPolicySchema.parse(JSON.parse(row.value)) : NO_APPROVALS;
  }

  async setPolicy(policy: ApprovalPolicy): Promise<ApprovalPolicy> {
    const value = JSON.stringify(policy);
    const now = this.clock.now();
    await this.db
      .insertInto('settings')
      .values({ key: POLICY_KEY, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
    return policy;
  }

  async hold(code: CodeConfig, patch: UpdateCodeInput, changes: FieldChange[], actor: Actor): Promise<ProposalView | null> {
    const levels = requiredLevels(await this.policy(), code.printed, changes.map((c) => c.field));
    if (levels.length === 0) return null;
    const now = this.clock.now();
    const row: ProposalRow = {
      id: `prp_${newId(now)}`, code_id: code.id, base_version: code.version, patch: JSON.stringify(patch), changes: JSON.stringify(changes),
      proposer_id: actor.id, proposer_name: actor.name, levels: JSON.stringify(levels), decisions: '[]', status: 'pending', created_at: now, decided_at: null,
    };
    await this.db.insertInto('proposals').values(row).execute();
    await this.audit.append({ actor, ip: null, action: 'proposal.create', objectType: 'code', objectId: code.id, outcome: 'ok', department: code.departmentId, detail: { proposal: row.id, changes } });
    return view(row);
  }

  /** `departments`: a limited caller's, whose codes' proposals alone are listed (null: every one). */
  async list(filter: { status?: ProposalStatus | undefined; codeId?: string | undefined; limit: number; departments: ReadonlySet<string> | null }): Promise<ProposalView[]> {
    let query = this.db.selectFrom('proposals').selectAll().orderBy('id', 'desc').limit(filter.limit);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.codeId) query = query.where('code_id', '=', filter.codeId);
    // In the query, not after it: the page must not be filled with proposals the caller cannot see.
    const departments = filter.departments;
    if (departments) query = query.where('code_id', 'in', (eb) => eb.selectFrom('codes').select('id').where('department_id', 'in', inList(departments)));
    return (await query.execute()).map(view);
  }

  async get(id: string): Promise<ProposalView> {
    return view(await this.load(id));
  }

  /**
   * One approver's verdict at the proposal's current level. Each update is conditional on the
   * decisions read, so two approvers deciding at once cannot both count.
   */
  async decide(id: string, actor: Actor, verdict: 'approve' | 'reject', comment: string | null, apply: ApplyChange): Promise<ProposalView> {
    const row = await this.load(id);
    if (row.status !== 'pending') throw new AppError('conflict', `the proposal is ${row.status} already`);
    const levels: ApprovalLevel[] = JSON.parse(row.levels);
    const decisions: Decision[] = JSON.parse(row.decisions);
    const level = levels[decisions.length]!;
    if (actor.id === row.proposer_id) throw new AppError('forbidden', 'a change needs someone other than its proposer to approve it');
    if (!mayDecide(level, actor)) throw new AppError('forbidden', `this proposal waits for ${level.name}, which you are not`);
    const now = this.clock.now();
    const next = JSON.stringify([...decisions, { level: level.name, by: { id: actor.id, name: actor.name }, verdict, comment, at: isoTime(now) }]);
    const last = verdict === 'reject' || decisions.length + 1 === levels.length;
    const status: ProposalStatus = verdict === 'reject' ? 'rejected' : 'applied';
    const mark = async (db: Kysely<Database> | Transaction<Database>, to: ProposalStatus) => {
      const result = await db
        .updateTable('proposals')
        .set({ decisions: next, ...(last ? { status: to, decided_at: now } : {}) })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('decisions', '=', row.decisions)
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n) throw new AppError('conflict', 'someone decided on this proposal meanwhile; reload it');
    };
    if (!last || verdict === 'reject') {
      await mark(this.db, status);
      return this.get(id);
    }
    // The version history credits the proposer; the approvers are on the proposal and in the log.
    const proposer: Actor = { id: row.proposer_id, name: row.proposer_name, role: 'viewer', permissions: new Set(), departments: null };
    try {
      await apply(row.code_id, JSON.parse(row.patch), proposer, row.base_version, (trx) => mark(trx, 'applied'));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'conflict' || error.message.startsWith('someone decided')) throw error;
      // The code moved on since the proposal: nothing is applied, and the proposal says why.
      await mark(this.db, 'conflict');
      throw new RecordedRefusal('conflict', `the code changed since this proposal was made (at version ${row.base_version}); nothing was applied`);
    }
    return this.get(id);
  }

  private async load(id: string): Promise<ProposalRow> {
    const row = await this.db.selectFrom('proposals').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('proposal');
    return row;
  }
}
