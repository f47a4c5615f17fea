import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParams } from '../http/route-helpers.ts';
import { COORD_SYSTEMS } from '../geo/coords.ts';
import type { Api } from '../http/api.ts';
import { rawBodyFor } from '../http/raw-body.ts';
import { AppError } from '../shared/errors.ts';
import { MAX_IMPORT_ROWS } from './csv.ts';
import { attributesSchema, coordQuery, createStoreSchema, importReportSchema, storeViewSchema, updateStoreSchema } from './model.ts';
import type { StoreService } from './service.ts';

/** Thousands of stores a file: larger than the JSON body limit, and read only from a caller allowed to import. */
const CSV_LIMIT = 32 * 1024 * 1024;
const IMPORT_URL = '/api/v1/stores/import';

export function storeRoutes(http: FastifyInstance, api: Api, stores: StoreService): void {
  rawBodyFor(http, ['text/csv'], 'string', IMPORT_URL);
  const tag = 'stores';
  const audit = (action: string) => ({ action, object: 'store', load: (id: string) => stores.get(id, 'wgs84') });
  api.route({
    method: 'POST', url: '/api/v1/stores', scope: 'workspace', tag, permission: 'staff.manage', status: 201,
    audit: audit('store.create'), body: createStoreSchema,
    summary:
      'Add a store: name, province, city (checked against the official divisions), address, coordinates in wgs84, gcj02 (AMap, Tencent) ' +
      'or bd09 (Baidu), staff, open hours',
    responses: { 201: { description: 'The store, coordinates in WGS-84', schema: storeViewSchema } },
    handler: ({ body }) => stores.create(body),
  });
  api.route({
    method: 'GET', url: '/api/v1/stores', scope: 'workspace', tag, permission: 'codes.read',
    query: coordQuery.extend({
      q: z.string().trim().max(50).optional(),
      province: z.string().max(30).optional(),
      city: z.string().max(30).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: z.string().max(40).optional(),
    }),
    summary: 'List stores (filter by name, province, city); coordinates in the system asked for with coordSystem',
    responses: { 200: { description: 'A page of stores', schema: z.object({ items: z.array(storeViewSchema), nextCursor: z.string().nullable() }) } },
    handler: ({ query }) => stores.list(query, query.coordSystem),
  });
  api.route({
    method: 'GET', url: '/api/v1/stores/export', scope: 'workspace', tag, permission: 'codes.read', query: coordQuery,
    summary: 'Every store as CSV (UTF-8 with BOM), in the columns the import reads',
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
    handler: async ({ query, reply }) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="stores.csv"')
        .send(await stores.export(query.coordSystem)),
  });
  api.route({
    method: 'POST', url: IMPORT_URL, scope: 'workspace', tag, permission: 'staff.manage',
    audit: { action: 'store.import', object: 'store' }, bodyLimit: CSV_LIMIT,
    query: z.strictObject({
      coordSystem: z.enum(COORD_SYSTEMS).default('wgs84'),
      partial: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    }),
    summary:
      'Import stores from a CSV body (Content-Type: text/csv, at most 32 MB; columns name, province, city, district, address, lat, lng, ' +
      `staff_ids, area_tag; at most ${MAX_IMPORT_ROWS.toLocaleString('en-US')} rows), parsed off the event loop: a report per row; ` +
      'nothing is written if any row is wrong, unless partial=true',
    responses: { 200: { description: 'A report per row', schema: importReportSchema } },
    prepare: async ({ query, req, actor }) => {
      if (typeof req.body !== 'string') throw new AppError('unsupported_media_type', 'send the CSV as the raw body with Content-Type: text/csv', 'body');
      return stores.checkImport(actor.id, req.body, query.coordSystem);
    },
    handler: ({ query, prepared }) => stores.importChecked(prepared, query.partial),
  });
  api.route({
    method: 'POST', url: '/api/v1/stores/batch-delete', scope: 'workspace', tag, permission: 'staff.manage',
    audit: { action: 'store.batch_delete', object: 'store' },
    body: z.strictObject({ ids: z.array(z.string().min(1).max(40)).min(1).max(10_000) }),
    summary: 'Remove several stores at once; says which ids were not found',
    responses: {
      200: { description: 'How many were removed, and the ids not found', schema: z.object({ removed: z.number().int(), missing: z.array(z.string()) }) },
    },
    handler: ({ body }) => stores.removeMany(body.ids),
  });
  api.route({
    method: 'GET', url: '/api/v1/stores/:id', scope: 'workspace', tag, permission: 'codes.read', params: idParams, query: coordQuery,
    summary: 'A store; coordinates in the system asked for', responses: { 200: { description: 'The store', schema: storeViewSchema } },
    handler: ({ params, query }) => stores.get(params.id, query.coordSystem),
  });
  api.route({
    method: 'PATCH', url: '/api/v1/stores/:id', scope: 'workspace', tag, permission: 'staff.manage', params: idParams,
    audit: audit('store.update'), body: updateStoreSchema,
    summary: 'Change a store (new coordinates with their coordSystem)', responses: { 200: { description: 'The store', schema: storeViewSchema } },
    handler: ({ params, body }) => stores.update(params.id, body),
  });
  api.route({
    method: 'PUT', url: '/api/v1/stores/:id/attributes', scope: 'workspace', tag, permission: 'staff.manage', params: idParams, body: attributesSchema,
    // Not in the operation log: a chain's system pushes these every few minutes, and they are not settings.
    summary: 'Live attributes pushed by the chain\'s own system ("2 SUVs left"), shown on the landing page at once',
    responses: { 200: { description: 'The store', schema: storeViewSchema } },
    handler: ({ params, body }) => stores.update(params.id, { attributes: body }),
  });
  api.route({
    method: 'DELETE', url: '/api/v1/stores/:id', scope: 'workspace', tag, permission: 'staff.manage', params: idParams, audit: audit('store.delete'),
    summary: 'Remove a store', responses: { 204: { description: 'Removed' } },
    handler: async ({ params }) => {
      const { missing } = await stores.removeMany([params.id]);
      if (missing.length > 0) throw new AppError('not_found', 'store not found');
    },
  });
}
