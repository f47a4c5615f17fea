import type { Storage } from '../../src/storage/db.ts';
import { ScanRepo } from '../../src/scans/repo.ts';

export const PHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47';

/**
 * Scans from `workers` concurrent clients until `stop()` says so or the server stops answering
 * with redirects; the scan ids that got a 302, i.e. the scans the server promised were kept.
 */
export async function scanUntil(url: string, slug: string, workers: number, stop: () => boolean = () => false): Promise<string[]> {
  const answered: string[] = [];
  let failed = false;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!failed && !stop()) {
        try {
          const res = await fetch(`${url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } });
          const id = res.headers.get('x-huoma-scan-id');
          if (res.status === 302 && id) answered.push(id);
          else failed = true;
        } catch {
          failed = true;
        }
      }
    }),
  );
  return answered;
}

/** The ids among `ids` that are not in the database. */
export async function missingScans(storage: Storage, ids: string[]): Promise<string[]> {
  const store = new ScanRepo(storage.db);
  const stored = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) for (const id of await store.exists(ids.slice(i, i + 500))) stored.add(id);
  return ids.filter((id) => !stored.has(id));
}
