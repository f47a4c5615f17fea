import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client.ts';
import type { Me } from '../../api/types.ts';
import type { Proposal } from './types.ts';

/** Whether this person may decide the proposal now: named at its next level or holding one of its roles, and not its proposer. */
export function mayDecide(me: Me, proposal: Proposal): boolean {
  const level = proposal.levels.find((l) => l.name === proposal.nextLevel);
  return proposal.status === 'pending' && !!level && proposal.proposer.id !== me.id && (level.users.includes(me.id) || level.roles.includes(me.role));
}

/**
 * The proposals listed under `status` (all when absent), newest first. The client's type loosens the
 * JSON values of `changes`; the document's own shape is Proposal.
 */
export const useProposals = (status: 'pending' | undefined, enabled = true) =>
  useQuery({
    queryKey: ['proposals', status ?? 'all'],
    enabled,
    queryFn: async () => (await ok(api.GET('/api/v1/proposals', { params: { query: { limit: 100, ...(status ? { status } : {}) } } }))).items as Proposal[],
  });
