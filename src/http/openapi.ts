import { z } from 'zod';

export interface ApiOperation {
  method: string;
  url: string;
  summary: string;
  tag: string;
  auth: boolean;
  /** The permission an API key needs for this operation. */
  permission?: string | undefined;
  /**
   * How a caller limited to some departments is held to them: `object` (the object named in the
   * path is checked), `workspace` (it belongs to the whole workspace: read-only to them), `caller`
   * (the handler filters what it lists and places what it makes in the caller's departments).
   */
  scope?: 'object' | 'workspace' | 'caller' | undefined;
  params?: z.ZodType | undefined;
  query?: z.ZodType | undefined;
  body?: z.ZodType | undefined;
  /** Status → description, and the schema of a JSON answer where there is one. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const toSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, any>;

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
};

/** The OpenAPI document, generated from the same zod schemas that validate each request. */
export function openApiDocument(operations: readonly ApiOperation[], info: { version: string; serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = op.url.replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...parametersOf(op.params, 'path'),
      ...parametersOf(op.query, 'query'),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: toSchema(r.schema, 'output') } } } : {}),
        ...(!r.schema && r.contentType ? { content: { [r.contentType]: {} } } : {}),
      };
    }
    responses.default = { description: 'Error', content: { 'application/json': { schema: errorSchema } } };
    paths[path] ??= {};
    paths[path][op.method.toLowerCase()] = {
      summary: op.summary,
      tags: [op.tag],
      ...(op.auth ? { security: [{ bearer: [] }], 'x-huoma-permission': op.permission, 'x-huoma-scope': op.scope } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: !op.body.safeParse(undefined).success, content: { 'application/json': { schema: toSchema(op.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Huoma 活码 API', version: info.version },
    servers: [{ url: info.serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const required = new Set<string>(json.required ?? []);
  return Object.entries<Record<string, unknown>>(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
  }));
}
