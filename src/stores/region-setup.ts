import { z } from 'zod';
import { HH_MM } from '../codes/fields.ts';
import type { CodeTypeSchema } from '../codes/code-type.ts';
import { refuseEditedRules, refuseRules } from '../codes/code-schemas.ts';
import { invalid } from '../shared/errors.ts';
import { staffFields, type WelcomeMessage } from '../routing/staff-setup.ts';

const id = z.string().min(1).max(40);

export const SWITCHING = ['region', 'any', 'none'] as const;

const wholeKm = z.number().int('must be a whole number of km').min(1, 'must be 1–9999 km').max(9999, 'must be 1–9999 km');

/** Where a store serves: within `km` of the scanner, or in the scanner's city or province. */
export const serviceAreaSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('distance'), km: wholeKm }),
  z.strictObject({ mode: z.literal('city') }),
  z.strictObject({ mode: z.literal('province') }),
]);
export type ServiceArea = z.output<typeof serviceAreaSchema>;

/** A radius for some hours: peak hours 10 km, off-peak 3 km (distance mode). */
export const radiusWindowSchema = z.strictObject({
  timeOfDay: z
    .strictObject({ from: z.string().regex(HH_MM, 'must be HH:MM (24-hour)'), to: z.string().regex(HH_MM, 'must be HH:MM (24-hour)') })
    .refine((w) => w.from !== w.to, { message: 'from and to must differ (a window may cross midnight)', path: ['to'] }),
  weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
  km: wholeKm,
});
export type RadiusWindow = z.output<typeof radiusWindowSchema>;

/** What a region code has beyond a live code's fields; flattened into the code in the API. */
export const regionFields = {
  storeIds: z.array(id).min(1, 'a region code needs at least one store').max(50_000),
  serviceArea: serviceAreaSchema,
  /**
   * region: only stores in the scanner's area, and the scanner may switch among them; any: when none
   * is in the area, the nearest anywhere, and the scanner may switch to any nearby; none: no switching.
   */
  switching: z.enum(SWITCHING),
  radiusWindows: z.array(radiusWindowSchema).max(24),
  /** A returning customer who keeps scanning in one area is matched there, wherever they are now. */
  homeArea: z.boolean(),
};

export interface RegionSetup {
  storeIds: string[];
  serviceArea: ServiceArea;
  switching: (typeof SWITCHING)[number];
  radiusWindows: RadiusWindow[];
  homeArea: boolean;
  /** The last resort: outside every store's area, location refused, or no staff at the store. */
  backupStaffIds: string[];
  /** Greetings for customers who add a store's member, as a staff code's. */
  welcomeMessages: WelcomeMessage[];
}

export function withRegionDefaults(given: Partial<RegionSetup> & Pick<RegionSetup, 'storeIds' | 'serviceArea' | 'backupStaffIds'>): RegionSetup {
  return {
    storeIds: [...new Set(given.storeIds)],
    serviceArea: given.serviceArea,
    switching: given.switching ?? 'region',
    radiusWindows: given.radiusWindows ?? [],
    homeArea: given.homeArea ?? true,
    backupStaffIds: given.backupStaffIds,
    welcomeMessages: given.welcomeMessages ?? [],
  };
}

/** A region code's own fields, with the backup staff and greetings it shares with staff codes. */
const fields = { ...regionFields, backupStaffIds: staffFields.backupStaffIds, welcomeMessages: staffFields.welcomeMessages };

/** A region code's configuration: its setup, stored as JSON in the `region` column. */
export const regionCodeSchema: CodeTypeSchema<'region'> = {
  type: 'region',
  label: 'region codes (type "region")',
  fields,
  // Rows written before a field existed take its default.
  stored: {
    key: 'region',
    schema: z.object(fields).partial().required({ storeIds: true, serviceArea: true, backupStaffIds: true }).transform(withRegionDefaults),
  },
  checkNew(input, issues) {
    refuseRules(this.label, input, issues);
    if (input.storeIds === undefined) issues.addIssue({ code: 'custom', path: ['storeIds'], message: 'a region code needs storeIds' });
    if (input.serviceArea === undefined) {
      issues.addIssue({ code: 'custom', path: ['serviceArea'], message: 'a region code needs serviceArea: distance (km), city or province' });
    }
    if (!(input.backupStaffIds as string[] | undefined)?.length) {
      const message = 'a region code needs backup staff: for scanners outside every area, without location, or at a store with nobody on duty';
      issues.addIssue({ code: 'custom', path: ['backupStaffIds'], message });
    }
  },
  setup: (input) => ({ region: withRegionDefaults(input as unknown as Parameters<typeof withRegionDefaults>[0]) }),
  edit(code, own) {
    const next = { ...code, region: { ...code.region, ...(own as Partial<RegionSetup>) } };
    refuseEditedRules(next);
    if (next.region.backupStaffIds.length === 0) throw invalid('backupStaffIds', 'a region code needs backup staff');
    return next;
  },
  view: (code) => ({ ...code.region }),
};
