import { z } from 'zod';
import type { Actor } from '../shared/actor.ts';

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const color = z
  .string()
  .regex(HEX_COLOR, 'must be a hex colour #RRGGBB')
  .toLowerCase()
  .nullable()
  .default(null);
/** A material library id; its characters are safe in a URL and in CSS as they are. */
const materialId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be the id of a material in the library (mat_…)')
  .nullable()
  .default(null);

/**
 * How a code's landing pages look (the contact page, the store match, off-hours and ended pages):
 * images from the material library by id, a guide text, colours. Common to every type, so it is a
 * common field of the code and every version keeps it.
 */
export const pageDesignSchema = z.strictObject({
  /** Shown behind the page, covering it. */
  backgroundImageId: materialId,
  /** Shown at the top of the page's card (a campaign banner, "扫码添加顾问"). */
  guideImageId: materialId,
  guideText: z.string().trim().max(200).nullable().default(null),
  backgroundColor: color,
  textColor: color,
  /** Buttons and headings. */
  accentColor: color,
});
export type PageDesign = z.output<typeof pageDesignSchema>;

/** The materials a design names, each with the field that names it (as a refusal names it). */
export function designMaterials(page: PageDesign | null): { id: string; field: string }[] {
  if (!page) return [];
  const refs = [
    { id: page.backgroundImageId, field: 'page.backgroundImageId' },
    { id: page.guideImageId, field: 'page.guideImageId' },
  ];
  return refs.filter((r): r is { id: string; field: string } => r.id !== null);
}

/**
 * Refuses (400, naming the field) a material that does not exist, that the caller may not see, or
 * that belongs to another department than the code's: the material library's, filled in by the root.
 */
export interface PageMaterials {
  check(refs: readonly { id: string; field: string }[], caller: Pick<Actor, 'departments'>, department: string | null): Promise<void>;
}
