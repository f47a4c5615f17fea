import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { canAdminister, canWrite, type Actor } from '../teams/actor.ts';
import type { TokenService } from '../teams/tokens.ts';
import type { ApiOperation } from './openapi.ts';
import { parsePart } from './validation.ts';

/** read: any role; write: roles that change codes; admin: owners and admins (integrations, webhooks). */
type Access = 'read' | 'write' | 'admin';
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<P, Q, B> extends Omit<ApiOperation, 'auth' | 'params' | 'query' | 'body'> {
  access: Access;
  status?: number;
  params?: P;
  query?: Q;
  body?: B;
  handler(input: { params: Out<P>; query: Out<Q>; body: Out<B>; actor: Actor; req: FastifyRequest; reply: FastifyReply }): Promise<unknown>;
}

/**
 * Registers JSON API routes: authenticates, checks the role, validates each part with its zod
 * schema, and records the operation for the OpenAPI document. Handlers only call services.
 */
export class Api {
  readonly operations: ApiOperation[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly tokens: TokenService,
    /** Makes committed writes durable; a change is acknowledged only after it. */
    private readonly durable: () => Promise<void>,
  ) {}

  route<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
    spec: RouteSpec<P, Q, B>,
  ): void {
    this.operations.push({ ...spec, auth: true, params: spec.params, query: spec.query, body: spec.body });
    this.app.route({
      method: spec.method as 'GET',
      url: spec.url,
      handler: async (req, reply) => {
        const actor = await this.authenticate(req, spec.access);
        const input = {
          params: (spec.params ? parsePart(spec.params, req.params, 'params') : undefined) as Out<P>,
          query: (spec.query ? parsePart(spec.query, req.query, 'query') : undefined) as Out<Q>,
          body: (spec.body ? parsePart(spec.body, req.body, 'body') : undefined) as Out<B>,
          actor,
          req,
          reply,
        };
        const result = await spec.handler(input);
        if (spec.access !== 'read') await this.durable();
        if (reply.sent) return reply;
        if (result === undefined) return reply.code(204).send();
        return reply.code(spec.status ?? 200).send(result);
      },
    });
  }

  /** Lists a public route (registered directly on Fastify) in the OpenAPI document. */
  document(op: Omit<ApiOperation, 'auth'>): void {
    this.operations.push({ ...op, auth: false });
  }

  private async authenticate(req: FastifyRequest, access: Access): Promise<Actor> {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    if (!token) throw new AppError('unauthorized', 'send an API token as "Authorization: Bearer <token>"');
    const actor = await this.tokens.verify(token);
    if (!actor) throw new AppError('unauthorized', 'the API token is unknown or revoked');
    if (access === 'write' && !canWrite(actor.role)) {
      throw new AppError('forbidden', `the role "${actor.role}" may read but not change codes`);
    }
    if (access === 'admin' && !canAdminister(actor.role)) {
      throw new AppError('forbidden', `only owners and admins may do this; the role is "${actor.role}"`);
    }
    return actor;
  }
}
