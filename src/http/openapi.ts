import { z } from 'zod';
import { errorBody } from './errors.ts';

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

type JsonSchema = Record<string, any>;

/**
 * Turns zod schemas into the document's JSON schemas. A schema registered with an id (a recursive
 * one such as the channel tree or `JsonValue`, the error body) comes out as a `$ref` to one entry
 * of `components.schemas`, shared by every operation that uses it.
 */
class Schemas {
  readonly components: Record<string, JsonSchema> = {};

  of(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const { definitions, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as JsonSchema;
    for (const [name, definition] of Object.entries<JsonSchema>(definitions ?? {})) this.keep(name, definition);
    return refsToComponents(json);
  }

  private keep(name: string, definition: JsonSchema): void {
    // Unnamed definitions would collide between operations: a recursive schema must carry an id.
    if (name.startsWith('__schema')) throw new Error(`a recursive schema needs an id (register it with z.globalRegistry): ${JSON.stringify(definition)}`);
    const shared = refsToComponents(definition);
    const known = this.components[name];
    if (known && JSON.stringify(known) !== JSON.stringify(shared)) throw new Error(`two different schemas are both named ${name}`);
    this.components[name] = shared;
  }
}

const refsToComponents = (json: JsonSchema): JsonSchema =>
  JSON.parse(JSON.stringify(json).replaceAll('"#/definitions/', '"#/components/schemas/')) as JsonSchema;

/** The OpenAPI document, generated from the same zod schemas that validate each request. */
export function openApiDocument(operations: readonly ApiOperation[], info: { version: string; serverUrl: string }) {
  const schemas = new Schemas();
  const toSchema = (schema: z.ZodType, io: 'input' | 'output') => schemas.of(schema, io);
  const error = { description: 'Error', content: { 'application/json': { schema: toSchema(errorBody, 'output') } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = op.url.replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...parametersOf(op.params && toSchema(op.params, 'input'), 'path'),
      ...parametersOf(op.query && toSchema(op.query, 'input'), 'query'),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      // An API route's refusals all leave in the one error body, so a 4xx it declares needs no schema of its own.
      const schema = r.schema ?? (op.auth && Number(status) >= 400 && !r.contentType ? errorBody : undefined);
      responses[status] = {
        description: r.description,
        ...(schema ? { content: { [r.contentType ?? 'application/json']: { schema: toSchema(schema, 'output') } } } : {}),
        ...(!schema && r.contentType ? { content: { [r.contentType]: {} } } : {}),
      };
    }
    responses.default = error;
    paths[path] ??= {};
    paths[path][op.method.toLowerCase()] = {
      summary: op.summary,
      tags: [op.tag],
      ...(op.auth ? { security: [{ bearer: [] }], 'x-huoma-permission': op.permission, 'x-huoma-scope': op.scope } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: requestBody(op.body, toSchema(op.body, 'input')) } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Huoma 活码 API', version: info.version },
    servers: [{ url: info.serverUrl }],
    components: { schemas: schemas.components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

const requestBody = (body: z.ZodType, schema: JsonSchema) => ({
  required: !body.safeParse(undefined).success,
  content: { 'application/json': { schema } },
});

function parametersOf(json: JsonSchema | undefined, where: 'path' | 'query') {
  if (!json) return [];
  const required = new Set<string>(json.required ?? []);
  return Object.entries<Record<string, unknown>>(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
  }));
}
