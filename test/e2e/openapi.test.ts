import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { channelReportSchema, channelSchema } from '../../src/channels/model.ts';
import { proposalSchema } from '../../src/codes/proposal-view.ts';
import { customerSchema } from '../../src/customers/model.ts';
import { scanSchema } from '../../src/scans/model.ts';
import { auditEntrySchema } from '../../src/teams/model.ts';
import type { Storage } from '../../src/storage/db.ts';
import { describeEngines } from '../support/engines.ts';
import { PHONE_UA } from '../support/load.ts';
import { startServer, type TestServer } from '../support/server.ts';

type Schema = Record<string, any>;
interface Operation {
  responses: Record<string, { description: string; content?: Record<string, { schema?: Schema }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** The one schema that stands for arbitrary JSON on purpose (a field's value before and after a change, a log entry's detail). */
const ARBITRARY_JSON = '#/components/schemas/JsonValue';

/** Where a schema leaves its value undescribed: an empty `{}`, an object without properties, an array without items. */
function vagueParts(schema: Schema, where: string, components: Record<string, Schema>, seen = new Set<string>()): string[] {
  if (typeof schema.$ref === 'string') {
    if (schema.$ref === ARBITRARY_JSON || seen.has(schema.$ref)) return [];
    const target = components[schema.$ref.replace('#/components/schemas/', '')];
    if (!target) return [`${where}: $ref ${schema.$ref} names no schema`];
    return vagueParts(target, where, components, new Set([...seen, schema.$ref]));
  }
  const alternatives = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (Array.isArray(alternatives)) return alternatives.flatMap((s: Schema, i: number) => vagueParts(s, `${where}|${i}`, components, seen));
  if (Array.isArray(schema.enum)) return [];
  switch (schema.type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
      return [];
    case 'array':
      return schema.items ? vagueParts(schema.items, `${where}[]`, components, seen) : [`${where}: an array of anything`];
    case 'object': {
      const properties = Object.entries<Schema>(schema.properties ?? {});
      const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : null;
      if (properties.length === 0 && values === null) return [`${where}: an object with no properties`];
      return [
        ...properties.flatMap(([name, s]) => vagueParts(s, `${where}.${name}`, components, seen)),
        ...(values ? vagueParts(values, `${where}.*`, components, seen) : []),
      ];
    }
    default:
      return [`${where}: no type (${JSON.stringify(schema)})`];
  }
}

/** The document's schema of an answer as a zod schema, so a real answer can be checked against what the document promises. */
function promised(doc: Document, method: string, path: string, status: number): z.ZodType {
  const responses = doc.paths[path]?.[method.toLowerCase()]?.responses ?? {};
  // A status the operation does not name is answered by its `default`, as OpenAPI reads it.
  const schema = (responses[status] ?? responses.default)?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${path} documents no JSON answer for ${status}`);
  // Patterns are left out: they check what a caller sends, and zod would read `\\p{L}` without the u flag JSON Schema implies.
  const withoutPatterns = (key: string, value: unknown) => (key === 'pattern' && typeof value === 'string' ? undefined : value);
  const local = (s: Schema) => JSON.parse(JSON.stringify(s).replaceAll('"#/components/schemas/', '"#/definitions/'), withoutPatterns) as Schema;
  return z.fromJSONSchema({ ...local(schema), definitions: local(doc.components.schemas) } as never, { defaultTarget: 'openapi-3.0' });
}

describeEngines('the OpenAPI document', (engine) => {
  let server: TestServer;
  let doc: Document;
  let storage: Storage;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    storage = await engine.open();
    server = await startServer(storage);
    doc = (await server.api('GET', '/api/v1/openapi.json')).json;
    const main = (await server.api('POST', '/api/v1/channels', { name: '双十一主会场', code: 'D11' })).json;
    ids.channel = (await server.api('POST', '/api/v1/channels', { name: '抖音信息流', code: 'D11_DY', parentId: main.id })).json.id;
    const code = await server.api('POST', '/api/v1/codes', {
      name: '海报', url: 'https://shop.example/a', channelId: ids.channel, tags: ['双十一'],
      rules: [{ name: '安卓', when: { os: ['android'] }, url: 'https://shop.example/android' }],
    });
    expect(code.status, JSON.stringify(code.json)).toBe(201);
    ids.code = code.json.id;
    for (const ua of [PHONE_UA, 'curl/8.5.0']) await fetch(`${server.url}/s/${code.json.slug}`, { redirect: 'manual', headers: { 'user-agent': ua } });
    await server.api('PATCH', `/api/v1/codes/${ids.code}`, { note: '贴在地铁站', printed: true });
    ids.staff = (await server.api('POST', '/api/v1/staff', { name: '张三', contactQrUrl: 'https://img.example/a.png' })).json.id;
    const store = await server.api('POST', '/api/v1/stores', {
      name: '徐汇店', province: '上海', city: '上海', address: '漕溪北路 1 号', lat: 31.19, lng: 121.43,
      staffIds: [ids.staff], attributes: { SUV: 2 },
    });
    expect(store.status, JSON.stringify(store.json)).toBe(201);
    ids.store = store.json.id;
    await server.api('PUT', '/api/v1/settings/approvals', { rules: [{ fields: ['url'], levels: [{ name: '组长', roles: ['admin'] }] }] });
    // A customer as a WeCom add leaves it: the identity, and its touch with the welcome message it got.
    const at = Date.now();
    await storage.db.insertInto('customers').values({
      id: 'cus_1', external_userid: 'wm_1', name: '李雷', avatar: null, staff_id: ids.staff, first_code_id: ids.code, first_channel_id: ids.channel,
      last_code_id: ids.code, last_channel_id: ids.channel, tags: '["双十一"]', status: 'active', first_seen_at: at, last_seen_at: at,
    }).execute();
    await storage.db.insertInto('customer_touches').values({
      id: 'tch_1', customer_id: 'cus_1', event_key: 'add:wm_1', kind: 'add', at, code_id: ids.code, channel_id: ids.channel, staff_id: ids.staff,
      scan_id: null, welcome_variant: 0, welcome_status: 'sent',
    }).execute();
  });
  afterAll(() => server.close());

  it('describes every answer field by field, arbitrary JSON only where it says so', () => {
    const vague: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(op.responses)) {
          const where = `${method.toUpperCase()} ${path} ${status}`;
          const content = Object.entries(response.content ?? {});
          // An answer with a body says what it is: a JSON schema, or another media type (CSV, PNG, text).
          if (content.length === 0 && /^2/.test(status) && status !== '204') vague.push(`${where}: no schema`);
          for (const [type, { schema }] of content) {
            if (type === 'application/json') vague.push(...(schema ? vagueParts(schema, where, doc.components.schemas) : [`${where}: no schema`]));
          }
        }
      }
    }
    expect(vague).toEqual([]);
  });

  it('declares the one error body for every refusal an API route names', () => {
    const error = doc.paths['/api/v1/proposals/{id}/approve']!.post!.responses;
    expect(error[409]!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.components.schemas.Error!.properties.error.required).toEqual(['code', 'message']);
  });

  it('answers what it documents: real answers parse with the declared schemas', async () => {
    const held = await server.api('PATCH', `/api/v1/codes/${ids.code}`, { url: 'https://shop.example/b' });
    expect(held.status).toBe(202);
    const answers: [string, string, string, number, z.ZodType?][] = [
      ['GET', '/api/v1/codes', '/api/v1/codes', 200],
      ['GET', '/api/v1/codes/{id}', `/api/v1/codes/${ids.code}`, 200],
      ['GET', '/api/v1/codes/{id}/versions', `/api/v1/codes/${ids.code}/versions`, 200],
      ['GET', '/api/v1/codes/{id}/scans', `/api/v1/codes/${ids.code}/scans?includeBots=true`, 200, z.object({ items: z.array(scanSchema) })],
      ['GET', '/api/v1/codes/{id}/stats', `/api/v1/codes/${ids.code}/stats`, 200],
      ['GET', '/api/v1/codes/{id}/welcome-stats', `/api/v1/codes/${ids.code}/welcome-stats`, 200],
      ['GET', '/api/v1/customers', '/api/v1/customers', 200, z.object({ items: z.array(customerSchema) })],
      ['GET', '/api/v1/customers/{id}', '/api/v1/customers/cus_1', 200, customerSchema],
      ['GET', '/api/v1/channels', '/api/v1/channels', 200, z.object({ items: z.array(channelSchema) })],
      ['GET', '/api/v1/channels/report', '/api/v1/channels/report', 200, z.object({ items: z.array(channelReportSchema) })],
      ['GET', '/api/v1/proposals', '/api/v1/proposals', 200, z.object({ items: z.array(proposalSchema) })],
      ['GET', '/api/v1/proposals/{id}', `/api/v1/proposals/${held.json.proposal.id}`, 200, proposalSchema],
      ['GET', '/api/v1/audit', '/api/v1/audit', 200, z.object({ items: z.array(auditEntrySchema) })],
      ['GET', '/api/v1/staff', '/api/v1/staff', 200],
      ['GET', '/api/v1/staff/{id}', `/api/v1/staff/${ids.staff}`, 200],
      ['GET', '/api/v1/stores', '/api/v1/stores?coordSystem=gcj02', 200],
      ['GET', '/api/v1/stores/{id}', `/api/v1/stores/${ids.store}`, 200],
      ['GET', '/api/v1/users', '/api/v1/users', 200],
      ['GET', '/api/v1/tokens', '/api/v1/tokens', 200],
      ['GET', '/api/v1/roles', '/api/v1/roles', 200],
      ['GET', '/api/v1/departments', '/api/v1/departments', 200],
      ['GET', '/api/v1/settings/approvals', '/api/v1/settings/approvals', 200],
      ['GET', '/api/v1/settings/attribution', '/api/v1/settings/attribution', 200],
      ['GET', '/api/v1/wecom/settings', '/api/v1/wecom/settings', 200],
      ['GET', '/api/v1/me', '/api/v1/me', 200],
      ['GET', '/healthz', '/healthz', 200],
      ['GET', '/readyz', '/readyz', 200],
      ['GET', '/api/v1/codes/{id}', '/api/v1/codes/cod_missing', 404],
    ];
    expect(promised(doc, 'PATCH', '/api/v1/codes/{id}', 202).safeParse(held.json).error).toBeUndefined();
    for (const [method, path, url, status, model] of answers) {
      const answer = await server.api(method, url);
      expect(answer.status, `${method} ${url}: ${JSON.stringify(answer.json)}`).toBe(status);
      expect(promised(doc, method, path, status).safeParse(answer.json).error, `${method} ${url}`).toBeUndefined();
      if (model) expect(model.safeParse(answer.json).error, `${method} ${url}`).toBeUndefined();
    }
    // Not vacuous: each list holds what the set-up made.
    const sizes = await Promise.all(['/api/v1/customers', `/api/v1/codes/${ids.code}/scans?includeBots=true`, '/api/v1/proposals', '/api/v1/audit'].map(
      async (url) => (await server.api('GET', url)).json.items.length,
    ));
    expect(sizes.every((n) => n > 0), JSON.stringify(sizes)).toBe(true);
  });
});
