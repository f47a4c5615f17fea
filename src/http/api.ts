import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import { diffFields } from '../shared/diff.ts';
import { AppError, RateLimited, RecordedRefusal } from '../shared/errors.ts';
import type { Database } from '../storage/schema.ts';
import { covers, type Actor, type Belonging, type Permission } from '../shared/actor.ts';
import type { AuditEntry, ChangeLog } from '../shared/audit-entry.ts';
import type { ApiOperation } from './openapi.ts';
import type { RateLimiter } from './rate-limit.ts';
import { parsePart } from './validation.ts';

/** Who is calling (or a thrown `unauthorized`): the port the teams domain implements. */
export type Authenticate = (req: FastifyRequest) => Promise<Actor>;

/** Where entries of the operation log go (teams/audit.ts); `trx` is the change's own transaction. */
export interface AuditTrail {
  append(entry: AuditEntry, trx?: Transaction<Database>): Promise<void>;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** How a change is named in the operation log, and how to read the object before and after it. */
export interface AuditSpec {
  action: string;
  object: string;
  load?: (id: string) => Promise<object | null>;
  /** For what has no id (a setting of the workspace): how to read it before and after. */
  current?: () => Promise<object>;
  /** Fields computed from others (a code's status): they change with them and are not changes of their own. */
  derived?: readonly string[];
  /**
   * The service writes the entry itself, through the handler's `logChange`, inside the change's
   * own transaction and from the before and after that transaction saw (a code's version history
   * is written from the same values). Every other change is wrapped by the Api in one transaction
   * with its `load`/`current` before and after and its entry. Either way the change and its entry
   * commit together or not at all, and a concurrent edit is never logged under this caller.
   */
  transactional?: boolean;
  /**
   * The operation is mostly calls to another system (WeCom), whose answers it records: it runs and
   * is logged outside any transaction, never holding the database (SQLite's one connection) across them.
   */
  callsOut?: boolean;
}

type Outcome = { value: unknown } | { refusal: RecordedRefusal };

/**
 * Who may reach the object a route is about, for callers limited to some departments: what the
 * object named by `:id` belongs to (undefined: no such object), or `workspace` for what belongs to
 * the whole workspace (settings, roles, the channel tree, stores), which limited callers only read.
 * Routes without either decide in their handler (lists filtered, new objects placed in the caller's departments).
 */
export type ScopeSpec = ((id: string) => Promise<Belonging | undefined>) | 'workspace';

type Input<P, Q, B> = { params: Out<P>; query: Out<Q>; body: Out<B>; actor: Actor; req: FastifyRequest; reply: FastifyReply };

export interface RouteSpec<P, Q, B, R = undefined> extends Omit<ApiOperation, 'auth' | 'params' | 'query' | 'body' | 'permission' | 'scope'> {
  permission: Permission;
  /** Every change is logged; reads are not. */
  audit?: AuditSpec;
  scope?: ScopeSpec;
  status?: number;
  /** The most this route reads of a body, in bytes (default API_BODY_LIMIT); read only once the caller is known. */
  bodyLimit?: number;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Slow work a change needs before it writes (parsing, checking a big upload), run before the
   * change's transaction opens, so it never holds the database (SQLite's one connection) meanwhile.
   */
  prepare?(input: Input<P, Q, B>): Promise<R>;
  handler(input: Input<P, Q, B> & { logChange: ChangeLog; prepared: R }): Promise<unknown>;
}

export interface ApiLimits {
  perKey: number;
  perIp: number;
}

/** JSON bodies of the API: a code with a hundred rules fits many times over. */
const API_BODY_LIMIT = 1024 * 1024;

// Bookkeeping that changes on every write; the log shows what a person changed.
const NOT_CHANGES = ['updatedAt', 'version', 'scanCount'];

/** The `:id` of the route, when it has one: the object a change or a refusal is about. */
const idOf = (req: FastifyRequest) => (req.params as { id?: string } | undefined)?.id;

/** The object a change is about as it reads now: by its id, or the one setting without an id. */
const read = async (audit: AuditSpec, id: string | undefined) => {
  if (audit.current) return audit.current();
  if (!audit.load || id === undefined) return null;
  return audit.load(id).catch(() => null);
};

// PostgreSQL's answer when two REPEATABLE READ changes touch the same rows: one must be retried.
const SERIALIZATION_FAILURES = new Set(['40001', '40P01']);

/** What a logged object belongs to, read from its own fields (a code's or member's department, a key's or person's limit). */
function belongingOf(object: object | null): Belonging | undefined {
  if (object === null) return undefined;
  if ('departmentId' in object) return object.departmentId as string | null;
  if ('departments' in object) return object.departments as string[] | null;
  return undefined;
}

/**
 * Registers JSON API routes: limits the rate, authenticates, checks the permission (a refusal is
 * logged as a security event), validates each part with its zod schema, logs every change with
 * its before/after, and records the operation for the OpenAPI document. Handlers only call services.
 */
export class Api {
  readonly operations: ApiOperation[] = [];
  private readonly actors = new WeakMap<FastifyRequest, Actor>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly caller: Authenticate,
    private readonly audit: AuditTrail,
    private readonly limiter: RateLimiter,
    private readonly limits: ApiLimits,
    /** Makes committed writes durable; a change is acknowledged only after it. */
    private readonly durable: () => Promise<void>,
    /** Runs a change and its log entry as one transaction (the storage's). */
    private readonly atomic: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {}

  route<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined, R = undefined>(
    spec: RouteSpec<P, Q, B, R>,
  ): void {
    this.operations.push({
      ...spec, auth: true, permission: spec.permission, params: spec.params, query: spec.query, body: spec.body,
      scope: spec.scope === undefined ? 'caller' : spec.scope === 'workspace' ? 'workspace' : 'object',
    });
    this.app.route({
      method: spec.method as 'GET',
      url: spec.url,
      bodyLimit: spec.bodyLimit ?? API_BODY_LIMIT,
      // Before the body is read: a stranger's or an unpermitted upload is refused unread, never buffered.
      onRequest: async (req) => {
        this.actors.set(req, await this.authenticate(req, spec));
      },
      handler: async (req, reply) => {
        const actor = this.actors.get(req)!;
        const input = {
          params: (spec.params ? parsePart(spec.params, req.params, 'params') : undefined) as Out<P>,
          query: (spec.query ? parsePart(spec.query, req.query, 'query') : undefined) as Out<Q>,
          body: (spec.body ? parsePart(spec.body, req.body, 'body') : undefined) as Out<B>,
          actor,
          req,
          reply,
          logChange: (async () => {}) as ChangeLog,
          prepared: undefined as R,
        };
        const id = idOf(req);
        const audit = spec.audit;
        const entry = async (before: object | null, after: object | null, objectId: string | null, inTransaction: boolean) => {
          const changes = diffFields(before, after, new Set([...NOT_CHANGES, ...(audit?.derived ?? [])]));
          // An object that reads the same afterwards was not changed (a no-op edit, a change held for approval).
          if ((audit?.load || audit?.current) && changes.length === 0) return null;
          // Inside a service's own transaction nothing is read beside it (SQLite's one connection is the transaction's).
          const told = [belongingOf(after), belongingOf(before)].find((b) => b !== undefined);
          const department = told !== undefined ? told : inTransaction ? null : await this.belongingOf(spec, objectId);
          return { actor, ip: req.ip, action: audit!.action, objectType: audit!.object, objectId, outcome: 'ok' as const, department, detail: { changes } };
        };
        input.logChange = async (trx, before, after) => {
          if (!audit) return;
          const objectId = id ?? (after as { id?: string } | null)?.id ?? (before as { id?: string } | null)?.id ?? null;
          const e = await entry(before, after, objectId, true);
          if (e) await this.audit.append(e, trx);
        };
        // Through a promise, so a refusal a handler throws before its first await is logged too.
        const handle = () => Promise.resolve(input).then(spec.handler);
        const logged = audit && !audit.transactional ? () => this.logged(audit, id, handle, entry) : handle;
        const prepared = async () => {
          if (spec.prepare) input.prepared = await spec.prepare(input);
          return logged();
        };
        const result = await prepared().catch(async (error: unknown) => {
          // A refusal decided deeper down (a grant above one's own, someone else's department) is a security event too.
          if (error instanceof AppError && error.code === 'forbidden') await this.logDenied(actor, req, spec, { reason: error.message });
          if (SERIALIZATION_FAILURES.has((error as { code?: unknown }).code as string)) {
            throw new AppError('conflict', 'someone else changed this at the same moment; read it again and retry');
          }
          throw error;
        });
        if (spec.audit) await this.durable();
        if (reply.sent) return reply;
        if (result === undefined) return reply.code(204).send();
        return reply.code(reply.statusCode !== 200 ? reply.statusCode : (spec.status ?? 200)).send(result);
      },
    });
  }

  /**
   * Runs a change that is not logged by its service: in one transaction (unless it calls out) with
   * the object read before it, read after it, and its entry, so they commit together or not at all.
   */
  private async logged(
    audit: AuditSpec,
    id: string | undefined,
    handle: () => Promise<unknown>,
    entry: (before: object | null, after: object | null, objectId: string | null, inTransaction: boolean) => Promise<AuditEntry | null>,
  ): Promise<unknown> {
    const run = async (): Promise<Outcome> => {
      const before = await read(audit, id);
      const result = await handle().then((value) => ({ value }), (error: unknown) => {
        if (error instanceof RecordedRefusal) return { refusal: error };
        throw error;
      });
      if ('refusal' in result) return result;
      const objectId = id ?? (result.value as { id?: string } | undefined)?.id ?? null;
      const e = await entry(before, await read(audit, objectId ?? undefined), objectId, false);
      if (e) await this.audit.append(e);
      return result;
    };
    const outcome = audit.callsOut ? await run() : await this.atomic(run);
    if ('refusal' in outcome) throw outcome.refusal;
    return outcome.value;
  }

  /** Lists a public route (registered directly on Fastify) in the OpenAPI document. */
  document(op: Omit<ApiOperation, 'auth'>): void {
    this.operations.push({ ...op, auth: false });
  }

  private async authenticate(
    req: FastifyRequest,
    spec: { permission: Permission; method: string; url: string; audit?: AuditSpec | undefined; scope?: ScopeSpec | undefined },
  ): Promise<Actor> {
    await this.limit(`api-ip:${req.ip}`, this.limits.perIp, 'from this address');
    const actor = await this.caller(req);
    await this.limit(`api-key:${actor.id}`, this.limits.perKey, 'for this caller');
    const id = idOf(req);
    const deny = async (detail: object, message: string) => {
      await this.logDenied(actor, req, spec, detail);
      return new AppError('forbidden', message);
    };
    if (!actor.permissions.has(spec.permission)) {
      const message = `this needs the "${spec.permission}" permission, which the "${actor.role}" key does not have`;
      throw await deny({ needs: spec.permission, role: actor.role }, message);
    }
    if (actor.departments !== null && spec.scope === 'workspace' && req.method !== 'GET') {
      const message = 'this belongs to the whole workspace, and your key or account is limited to some departments';
      throw await deny({ workspace: true, allowed: [...actor.departments] }, message);
    }
    if (actor.departments !== null && typeof spec.scope === 'function' && id !== undefined) {
      const belonging = await spec.scope(id);
      if (belonging !== undefined && !covers(actor, belonging)) {
        throw await deny({ department: belonging, allowed: [...actor.departments] }, 'this belongs to a department outside your scope');
      }
    }
    return actor;
  }

  /** What the object of a log entry belongs to, as the route's scope says; null when it says nothing. */
  private async belongingOf(spec: { scope?: ScopeSpec | undefined }, id: string | null | undefined): Promise<Belonging> {
    if (typeof spec.scope !== 'function' || id === null || id === undefined) return null;
    return (await spec.scope(id).catch(() => undefined)) ?? null;
  }

  private async logDenied(
    actor: Actor,
    req: FastifyRequest,
    spec: { method: string; url: string; audit?: AuditSpec | undefined; scope?: ScopeSpec | undefined },
    detail: object,
  ): Promise<void> {
    await this.audit.append({
      actor, ip: req.ip, action: spec.audit?.action ?? `${spec.method} ${spec.url}`, objectType: spec.audit?.object ?? null,
      objectId: idOf(req) ?? null, outcome: 'denied', department: await this.belongingOf(spec, idOf(req)), detail,
    });
  }

  private async limit(key: string, perMinute: number, what: string): Promise<void> {
    const wait = await this.limiter.wait(key, perMinute);
    if (wait > 0) throw new RateLimited(`more than ${perMinute} requests a minute ${what}; retry in ${wait} s`, wait);
  }
}
