import type { Transaction } from 'kysely';
import type { CodeConfig, UpdateCodeInput } from '../codes/model.ts';
import type { ChangeGate } from '../codes/service.ts';
import type { Clock } from '../shared/clock.ts';
import type { FieldChange } from '../shared/diff.ts';
import { AppError, notFound, RecordedRefusal } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Database } from '../storage/schema.ts';
import type { Actor } from '../shared/actor.ts';
import { mayDecide, NO_APPROVALS, requiredLevels, type ApprovalPolicy } from './approval-policy.ts';
import type { ApprovalRepo, ProposalFilter, ProposalRecord, ProposalStatus } from './approval-repo.ts';
import type { AuditLog } from './audit.ts';
import { isoTime, isoTimeOrNull } from '../shared/time.ts';

/** What applying an approved proposal takes: the code service's write, with our status update inside it. */
export type ApplyChange = (
  codeId: string,
  patch: UpdateCodeInput,
  proposer: Actor,
  baseVersion: number,
  alongside: (trx: Transaction<Database>) => Promise<void>,
) => Promise<unknown>;

function view(p: ProposalRecord) {
  return {
    id: p.id,
    codeId: p.codeId,
    baseVersion: p.baseVersion,
    patch: p.patch,
    changes: p.changes,
    proposer: p.proposer,
    levels: p.levels.map((l) => ({ ...l, decision: p.decisions.find((d) => d.level === l.name) ?? null })),
    nextLevel: p.status === 'pending' ? (p.levels[p.decisions.length]?.name ?? null) : null,
    status: p.status,
    createdAt: isoTime(p.createdAt),
    decidedAt: isoTimeOrNull(p.decidedAt),
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
    private readonly repo: ApprovalRepo,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async policy(): Promise<ApprovalPolicy> {
    return (await this.repo.policy()) ?? NO_APPROVALS;
  }

  async setPolicy(policy: ApprovalPolicy): Promise<ApprovalPolicy> {
    await this.repo.setPolicy(policy, this.clock.now());
    return policy;
  }

  async hold(code: CodeConfig, patch: UpdateCodeInput, changes: FieldChange[], actor: Actor): Promise<ProposalView | null> {
    const levels = requiredLevels(await this.policy(), code.printed, changes.map((c) => c.field));
    if (levels.length === 0) return null;
    const now = this.clock.now();
    const proposal = await this.repo.insert({
      id: `prp_${newId(now)}`, codeId: code.id, baseVersion: code.version, patch, changes, proposer: { id: actor.id, name: actor.name }, levels, createdAt: now,
    });
    await this.audit.append({
      actor, ip: null, action: 'proposal.create', objectType: 'code', objectId: code.id, outcome: 'ok', department: code.departmentId,
      detail: { proposal: proposal.id, changes },
    });
    return view(proposal);
  }

  /** `departments`: a limited caller's, whose codes' proposals alone are listed (null: every one). */
  async list(filter: ProposalFilter): Promise<ProposalView[]> {
    return (await this.repo.list(filter)).map(view);
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
    const { levels, decisions } = row;
    const level = levels[decisions.length]!;
    if (actor.id === row.proposer.id) throw new AppError('forbidden', 'a change needs someone other than its proposer to approve it');
    if (!mayDecide(level, actor)) throw new AppError('forbidden', `this proposal waits for ${level.name}, which you are not`);
    const now = this.clock.now();
    const next = [...decisions, { level: level.name, by: { id: actor.id, name: actor.name }, verdict, comment, at: isoTime(now) }];
    const last = verdict === 'reject' || decisions.length + 1 === levels.length;
    const status: ProposalStatus = verdict === 'reject' ? 'rejected' : 'applied';
    const mark = async (to: ProposalStatus, trx?: Transaction<Database>) => {
      if (!(await this.repo.decide(row, next, last ? { status: to, at: now } : null, trx))) {
        throw new AppError('conflict', 'someone decided on this proposal meanwhile; reload it');
      }
    };
    if (!last || verdict === 'reject') {
      await mark(status);
      return this.get(id);
    }
    // The version history credits the proposer; the approvers are on the proposal and in the log.
    const proposer: Actor = { ...row.proposer, role: 'viewer', permissions: new Set(), departments: null };
    try {
      await apply(row.codeId, row.patch, proposer, row.baseVersion, (trx) => mark('applied', trx));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'conflict' || error.message.startsWith('someone decided')) throw error;
      // The code moved on since the proposal: nothing is applied, and the proposal says why.
      await mark('conflict');
      throw new RecordedRefusal('conflict', `the code changed since this proposal was made (at version ${row.baseVersion}); nothing was applied`);
    }
    return this.get(id);
  }

  private async load(id: string): Promise<ProposalRecord> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('proposal');
    return row;
  }
}
