import { z } from 'zod';
import { COORD_SYSTEMS } from '../geo/coords.ts';
import { scheduleSchema } from '../routing/model.ts';

const id = z.string().min(1).max(40);
export const attributeValue = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);

/** Live attributes a chain's system pushes ("2 SUVs left"), shown on the landing page. */
export const attributesSchema = z.record(z.string().min(1).max(30), attributeValue).refine((a) => Object.keys(a).length <= 20, 'at most 20 attributes');

const editable = {
  name: z.string().trim().min(1).max(50),
  province: z.string().trim().min(1).max(30),
  city: z.string().trim().min(1).max(30),
  district: z.string().trim().min(1).max(30).nullable(),
  address: z.string().trim().min(1).max(200),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  /** The system `lat`/`lng` are given in: as copied from GPS (wgs84), AMap or Tencent (gcj02), Baidu (bd09). */
  coordSystem: z.enum(COORD_SYSTEMS),
  staffIds: z.array(id).max(200),
  openHours: scheduleSchema.nullable(),
  attributes: attributesSchema,
  /** The tag a customer matched to this store gets on add; default "<name>属地". */
  areaTag: z.string().trim().min(1).max(30).nullable(),
};

export const createStoreSchema = z.strictObject({
  ...editable,
  district: editable.district.default(null),
  coordSystem: editable.coordSystem.default('wgs84'),
  staffIds: editable.staffIds.default([]),
  openHours: editable.openHours.default(null),
  attributes: editable.attributes.default({}),
  areaTag: editable.areaTag.default(null),
});
export type CreateStoreInput = z.output<typeof createStoreSchema>;

export const updateStoreSchema = z
  .strictObject(editable)
  .partial()
  .refine((p) => (p.lat === undefined) === (p.lng === undefined), { message: 'change lat and lng together', path: ['lat'] });
export type UpdateStoreInput = z.output<typeof updateStoreSchema>;

export const coordQuery = z.strictObject({ coordSystem: z.enum(COORD_SYSTEMS).default('wgs84') });

/** A store as the API answers with it: its division with names and codes, coordinates in the system asked for. */
export const storeViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  province: z.string(),
  provinceCode: z.string(),
  city: z.string(),
  cityCode: z.string(),
  district: z.string().nullable(),
  districtCode: z.string().nullable(),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  coordSystem: z.enum(COORD_SYSTEMS),
  staffIds: z.array(z.string()),
  openHours: scheduleSchema.nullable().describe('null: always open'),
  attributes: z.record(z.string(), attributeValue),
  areaTag: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** What an import did: a report per wrong row. */
export const importReportSchema = z.object({
  total: z.number().int(),
  imported: z.number().int(),
  failed: z.array(z.object({ row: z.number().int().describe('1-based, the header being row 1'), field: z.string(), reason: z.string() })),
});

