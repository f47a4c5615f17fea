import type { CodeConfig, CodeStatus } from './model.ts';

type LifecycleFields = Pick<CodeConfig, 'archivedAt' | 'paused' | 'validFrom' | 'validUntil' | 'maxScans'>;

/** Whether a code serves scans now, and if not, the reason a scanner is shown. */
export function codeStatus(code: LifecycleFields, now: number, scanCount: number): CodeStatus {
  if (code.archivedAt !== null) return 'archived';
  if (code.paused) return 'paused';
  if (code.validFrom !== null && now < code.validFrom) return 'scheduled';
  if (code.validUntil !== null && now >= code.validUntil) return 'ended';
  if (code.maxScans !== null && scanCount >= code.maxScans) return 'limit_reached';
  return 'active';
}
