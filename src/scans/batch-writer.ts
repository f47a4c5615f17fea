import type { Transaction } from 'kysely';
import type { Database, NewScan } from '../storage/schema.ts';
import { countedByCode } from './service.ts';
import type { ScanRepo } from './repo.ts';

/**
 * The recorder's commit for scans: a batch in one transaction, with each code's served-scan count
 * and whatever `alongside` adds (the webhook outbox). A code deleted while its scans were in flight
 * makes their rows break the foreign key and the whole transaction fail: then the rows of codes that
 * are gone are left out and the rest written again, so a deletion fails no other code's scans.
 * Resolves with the scans left out; rejects when the batch fails for any other reason.
 */
export function scanBatchWriter(repo: ScanRepo, alongside: (trx: Transaction<Database>, scans: NewScan[]) => Promise<void>) {
  const write = (scans: NewScan[]) => repo.insertBatch(scans, countedByCode(scans), (trx) => alongside(trx, scans));
  return async (scans: NewScan[]): Promise<NewScan[]> => {
    try {
      await write(scans);
      return [];
    } catch (error) {
      const present = await repo.presentCodes([...new Set(scans.map((s) => s.code_id))]).catch(() => null);
      const kept = present && scans.filter((s) => present.has(s.code_id));
      if (!kept || kept.length === scans.length) throw error;
      if (kept.length > 0) await write(kept);
      return scans.filter((s) => !present.has(s.code_id));
    }
  };
}
