import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Api } from '../http/api.ts';
import { rawBodyFor } from '../http/raw-body.ts';
import { idParams, scopeOf } from '../http/route-helpers.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { MATERIAL_MIMES } from './image-type.ts';
import { inspectImage } from './inspect.ts';
import { materialListQuery, materialSchema, materialUseSchema, renameBody, uploadQuery, usageSchema } from './model.ts';
import type { MaterialService } from './service.ts';

export const MATERIAL_UPLOAD_URL = '/api/v1/materials';
/** A material's public address: the landing pages' images, fetched by phones that never sign in. */
const PUBLIC_URL = '/m/:id';
const MATERIAL_ID = /^mat_[0-9A-Z]{22}$/;
/** The bytes behind an id never change (a new image is a new material), so a browser or CDN may keep them for good. */
const FOREVER = 'public, max-age=31536000, immutable';

const etagOf = (sha256: string) => `"${sha256}"`;
const fresh = (ifNoneMatch: string | undefined, etag: string) => ifNoneMatch?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag) ?? false;

export function materialRoutes(http: FastifyInstance, api: Api, materials: MaterialService, maxFile: number): void {
  // The image types themselves are parsed for this route beside the logo's (app.ts); a client that
  // cannot tell the type sends bytes, and the bytes tell.
  rawBodyFor(http, ['application/octet-stream'], 'buffer', MATERIAL_UPLOAD_URL);
  const tag = 'materials';
  const audit = (action: string) => ({ action, object: 'material', load: (id: string) => materials.get(id) });
  const scope = scopeOf(materials);
  api.route({
    method: 'POST', url: MATERIAL_UPLOAD_URL, tag, permission: 'codes.write', status: 201, bodyLimit: maxFile, audit: audit('material.create'),
    summary:
      `Upload an image: the raw file as the body with its Content-Type (${MATERIAL_MIMES.join(', ')} or application/octet-stream), ` +
      'name and kind in the query. ' +
      'Its type is read from its bytes (SVG and anything else is refused, 415); one file may have HUOMA_MATERIAL_MAX_MB, ' +
      'all of them HUOMA_MATERIAL_QUOTA_MB (413 when full)',
    query: uploadQuery,
    responses: { 201: { description: 'The stored material', schema: materialSchema } },
    prepare: async ({ req }) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        throw new AppError('unsupported_media_type', `send the image as the raw body with Content-Type one of ${MATERIAL_MIMES.join(', ')}`, 'body');
      }
      return inspectImage(req.body);
    },
    handler: ({ query, prepared, actor }) => materials.upload(query, prepared, actor),
  });
  api.route({
    method: 'GET', url: '/api/v1/materials', tag, permission: 'codes.read', query: materialListQuery,
    summary: 'List materials, newest first (filter by kind; cursor pagination); a caller limited to departments sees theirs',
    responses: { 200: { description: 'A page of materials', schema: z.object({ items: z.array(materialSchema), nextCursor: z.string().nullable() }) } },
    handler: ({ query, actor }) => materials.list(query, actor),
  });
  api.route({
    method: 'GET', url: '/api/v1/materials/usage', scope: 'workspace', tag, permission: 'codes.read',
    summary: 'Bytes the material library takes, its quota and the largest upload it takes',
    responses: { 200: { description: 'Usage in bytes', schema: usageSchema } },
    handler: () => materials.usage(),
  });
  api.route({
    method: 'GET', url: '/api/v1/materials/:id', scope, tag, permission: 'codes.read', params: idParams,
    summary: 'Get a material', responses: { 200: { description: 'The material', schema: materialSchema } },
    handler: ({ params }) => materials.get(params.id),
  });
  api.route({
    method: 'GET', url: '/api/v1/materials/:id/content', scope, tag, permission: 'codes.read', params: idParams,
    summary: "A material's image, with its type", responses: { 200: { description: 'The image', contentType: 'image/*' } },
    handler: async ({ params, reply, actor }) => {
      const found = await materials.content({ id: params.id, field: 'id' }, actor, (await materials.departmentOf(params.id)) ?? null);
      return reply.type(found.mime).header('etag', etagOf(found.sha256)).header('cache-control', 'private, no-cache').send(found.data);
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/materials/:id/uses', scope, tag, permission: 'codes.read', params: idParams,
    summary: 'Where a material is used (which object, which field): it cannot be deleted while it is',
    responses: { 200: { description: 'Uses', schema: z.object({ items: z.array(materialUseSchema) }) } },
    handler: async ({ params }) => {
      await materials.get(params.id);
      return { items: await materials.uses(params.id) };
    },
  });
  api.route({
    method: 'PATCH', url: '/api/v1/materials/:id', scope, tag, permission: 'codes.write', params: idParams, body: renameBody,
    audit: audit('material.rename'),
    summary: 'Rename a material (its image and address stay)', responses: { 200: { description: 'The material', schema: materialSchema } },
    handler: ({ params, body }) => materials.rename(params.id, body.name),
  });
  api.route({
    method: 'DELETE', url: '/api/v1/materials/:id', scope, tag, permission: 'codes.write', params: idParams, audit: audit('material.delete'),
    summary: 'Delete a material and give its bytes back to the quota; refused (409) while a code uses it (see /uses)',
    responses: { 204: { description: 'Deleted' }, 409: { description: 'In use: the message names each code and field' } },
    handler: async ({ params }) => materials.remove(params.id),
  });

  http.get<{ Params: { id: string } }>(PUBLIC_URL, async (req, reply) => {
    const found = MATERIAL_ID.test(req.params.id) ? await materials.publicContent(req.params.id) : undefined;
    if (!found) throw notFound('material');
    const etag = etagOf(found.sha256);
    reply.header('etag', etag).header('cache-control', FOREVER).header('content-security-policy', "default-src 'none'; sandbox");
    if (fresh(req.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type(found.mime).send(found.data);
  });
  api.document({
    method: 'GET', url: PUBLIC_URL, tag, params: z.object({ id: z.string() }),
    summary: "A material's image at its public address, for landing pages (no sign-in): cached for good, revalidated by ETag",
    responses: {
      200: { description: 'The image, with Cache-Control: immutable and an ETag', contentType: 'image/*' },
      304: { description: 'Not modified (If-None-Match)' },
      404: { description: 'No such material' },
    },
  });
}
