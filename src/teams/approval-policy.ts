import { z } from 'zod';
import type { Actor } from '../shared/actor.ts';

/** The fields of a code whose change a rule can hold for approval. */
export const GUARDED_FIELDS = [
  'name', 'url', 'rules', 'tags', 'timeZone', 'validFrom', 'validUntil', 'maxScans', 'deviceLimit', 'paused', 'expiredUrl', 'note', 'printed',
] as const;

export const approvalLevel = z
  .strictObject({
    name: z.string().trim().min(1).max(30),
    roles: z.array(z.string().trim().min(1).max(30)).default([]),
    users: z.array(z.string().min(1).max(40)).default([]),
  })
  .refine((l) => l.roles.length + l.users.length > 0, { message: 'name at least one role or user who may approve', path: ['roles'] });
export type ApprovalLevel = z.output<typeof approvalLevel>;

export const approvalPolicySchema = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        fields: z.array(z.enum(GUARDED_FIELDS)).min(1),
        /** Only once the code is marked printed (the usual case: the destination of a poster already out). */
        onlyPrinted: z.boolean().default(false),
        levels: z.array(approvalLevel).min(1).max(5),
      }),
    )
    .max(20),
});
export type ApprovalPolicy = z.output<typeof approvalPolicySchema>;

export const NO_APPROVALS: ApprovalPolicy = { rules: [] };

/**
 * The ordered approval levels a change needs: those of every rule it touches, each level once
 * (by name), in the order the rules list them. Empty: the change applies at once.
 */
export function requiredLevels(policy: ApprovalPolicy, printed: boolean, changedFields: readonly string[]): ApprovalLevel[] {
  const levels: ApprovalLevel[] = [];
  for (const rule of policy.rules) {
    if (rule.onlyPrinted && !printed) continue;
    if (!rule.fields.some((f) => changedFields.includes(f))) continue;
    for (const l of rule.levels) if (!levels.some((x) => x.name === l.name)) levels.push(l);
  }
  return levels;
}

/** Whether this person may decide at this level: named, or holding one of its roles. */
export const mayDecide = (level: ApprovalLevel, actor: Pick<Actor, 'id' | 'role'>) => level.users.includes(actor.id) || level.roles.includes(actor.role);
