import { z } from 'zod';
import type { Belonging } from '../shared/actor.ts';

/** The `:id` of a route on one object. */
export const idParams = z.strictObject({ id: z.string().min(1).max(40) });

/** For routes on one object: its department, so callers limited to other departments are refused. */
export const scopeOf = (owner: { departmentOf(id: string): Promise<Belonging | undefined> }) => (id: string) => owner.departmentOf(id);
