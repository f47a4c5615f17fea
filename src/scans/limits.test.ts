import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCode } from '../../test/support/factories.ts';
import { SqlCounters } from '../counters/sql-counters.ts';
import { migrateToLatest, openStorage, type Storage } from '../storage/db.ts';
import { ScanLimits } from './limits.ts';

describe('scan limits', () => {
  let storage: Storage;
  let limits: ScanLimits;
  const now = Date.parse('2026-11-23T10:00:00+08:00');

  beforeAll(async () => {
    storage = openStorage({ dataDir: mkdtempSync(join(tmpdir(), 'huoma-limits-')) });
    await migrateToLatest(storage);
    limits = new ScanLimits(new SqlCounters(storage.db));
  });
  afterAll(() => storage.close());

  const outcomes = async (n: number, admit: () => ReturnType<ScanLimits['admit']>) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push((await admit()).refused ?? 'ok');
    return out;
  };

  it('gives a device its daily share again on the next day in the code’s time zone, but a lifetime share never', async () => {
    const daily = newCode({ id: 'daily', deviceLimit: { max: 2, period: 'day', url: null } });
    expect(await outcomes(3, () => limits.admit(daily, 'v1', '2026-11-23', now, 0))).toEqual(['ok', 'ok', 'device_limit']);
    expect(await outcomes(3, () => limits.admit(daily, 'v1', '2026-11-24', now, 0))).toEqual(['ok', 'ok', 'device_limit']);
    const lifetime = newCode({ id: 'lifetime', deviceLimit: { max: 2, period: 'total', url: null } });
    expect(await outcomes(2, () => limits.admit(lifetime, 'v1', '2026-11-23', now, 0))).toEqual(['ok', 'ok']);
    expect(await outcomes(1, () => limits.admit(lifetime, 'v1', '2026-11-24', now, 0))).toEqual(['device_limit']);
  });

  it('continues a cap from the scans already served, and a refusal by the device does not use up the cap', async () => {
    const capped = newCode({ id: 'capped', maxScans: 5, deviceLimit: { max: 1, period: 'total', url: null } });
    expect(await outcomes(3, () => limits.admit(capped, 'v1', '2026-11-23', now, 3))).toEqual(['ok', 'device_limit', 'device_limit']);
    expect(await outcomes(2, () => limits.admit(capped, 'v2', '2026-11-23', now, 3))).toEqual(['ok', 'limit_reached']);
    expect(await outcomes(1, () => limits.admit(capped, 'v3', '2026-11-23', now, 3))).toEqual(['limit_reached']);
  });

  it('gives everything back when the scan cannot be recorded', async () => {
    const capped = newCode({ id: 'released', maxScans: 1, deviceLimit: { max: 1, period: 'day', url: null } });
    const admitted = await limits.admit(capped, 'v1', '2026-11-23', now, 0);
    expect(admitted.refused).toBeNull();
    await admitted.release();
    expect((await limits.admit(capped, 'v1', '2026-11-23', now, 0)).refused).toBeNull();
    expect((await limits.admit(capped, 'v2', '2026-11-23', now, 0)).refused).toBe('limit_reached');
  });
});
