import { z } from 'zod';
import { MATERIAL_MIMES } from './image-type.ts';

/** What a material is for: a QR logo, a poster background, an image on a landing page, an image in a welcome message. */
export const MATERIAL_KINDS = ['logo', 'poster', 'page', 'welcome'] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];

const materialName = z.string().trim().min(1, 'must be 1–60 characters').max(60, 'must be 1–60 characters');

/** An upload's description; the image itself is the raw body. */
export const uploadQuery = z.strictObject({
  name: materialName,
  kind: z.enum(MATERIAL_KINDS),
  /** The department it belongs to; null (or absent, for a caller of several departments or none): the whole workspace. */
  departmentId: z.string().min(1).max(40).optional(),
});

export const renameBody = z.strictObject({ name: materialName });

export const materialListQuery = z.strictObject({
  kind: z.enum(MATERIAL_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(40).optional(),
});

export const materialSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(MATERIAL_KINDS),
  mime: z.enum(MATERIAL_MIMES),
  size: z.number().int().describe('bytes'),
  width: z.number().int(),
  height: z.number().int(),
  sha256: z.string(),
  departmentId: z.string().nullable(),
  url: z.string().describe('Public address of the image (no sign-in; cached for good: the bytes behind an id never change)'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MaterialView = z.output<typeof materialSchema>;

export const usageSchema = z.object({
  used: z.number().int().describe('bytes the workspace’s materials take'),
  quota: z.number().int().describe('bytes they may take (HUOMA_MATERIAL_QUOTA_MB)'),
  maxFile: z.number().int().describe('bytes one upload may have (HUOMA_MATERIAL_MAX_MB)'),
});

/** Where a material is used: an object of another domain and the field naming it. */
export const materialUseSchema = z.object({ type: z.string(), id: z.string(), name: z.string(), field: z.string() });
export type MaterialUse = z.output<typeof materialUseSchema>;
