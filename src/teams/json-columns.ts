import { z } from 'zod';
import { PERMISSIONS, type Permission } from '../shared/actor.ts';

const isPermission = (p: string): p is Permission => (PERMISSIONS as readonly string[]).includes(p);

/** A stored list of department ids; null: not limited. */
export const departmentList = z.array(z.string()).nullable();

/** A stored list of permissions; one no longer known grants nothing rather than failing every request of its holder. */
export const permissionList = z.array(z.string()).transform((ps) => ps.filter(isPermission));

/** A nullable JSON column read through its schema. */
export const parsedOrNull = <T>(schema: z.ZodType<T>, text: string | null): T | null => (text === null ? null : schema.parse(JSON.parse(text)));

/** A parsed department list as an actor holds it. */
export const departmentSet = (list: readonly string[] | null): ReadonlySet<string> | null => (list === null ? null : new Set(list));
