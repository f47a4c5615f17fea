import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { expect, inject, it } from 'vitest';
import { CodeRepo } from '../src/codes/repo.ts';
import { codeSchemas } from '../src/code-types.ts';
import { migrateToLatest, openStorage, type Storage } from '../src/storage/db.ts';
import { migrationProvider } from '../src/storage/migrations.ts';
import { describeEach, missing } from './support/engines.ts';
import { createDatabase } from './support/postgres.ts';

const postgres = inject('postgresUrl');
const targets = [
  { name: 'sqlite', missing: null, open: async (): Promise<Storage> => openStorage({ dataDir: mkdtempSync(join(tmpdir(), 'huoma-migrate-')) }) },
  {
    name: 'postgres',
    missing: missing('postgresUrl'),
    open: async (): Promise<Storage> => openStorage({ dataDir: tmpdir(), databaseUrl: await createDatabase(postgres) }),
  },
];

describeEach(targets, 'upgrading a database', (target) => {
  it('keeps every code and its served-scan count across the upgrade to shared counters', async () => {
    const storage = await target.open();
    const migrator = new Migrator({ db: storage.db, provider: migrationProvider(storage.engine) });
    const first = await migrator.migrateTo('0001-live-codes');
    expect(first.error).toBeUndefined();
    await sql`insert into codes (id, slug, type, name, url, rules, tags, time_zone, max_scans, paused, version, scan_count, created_at, updated_at)
      values ('c1', 'Slug1234', 'url', 'old', 'https://a.example', '[]', '[]', 'Asia/Shanghai', 500, 0, 1, 321, 1, 1)`.execute(storage.db);
    await migrateToLatest(storage);
    const code = await new CodeRepo(storage.db, codeSchemas, (error) => expect.fail(error.message)).byId('c1');
    await storage.close();
    expect(code).toMatchObject({ scanCount: 321, config: { slug: 'Slug1234', maxScans: 500, deviceLimit: null } });
  });

  it("keeps a staff code's roster and a region code's stores when each type's part moves to one setup column", async () => {
    const storage = await target.open();
    const migrator = new Migrator({ db: storage.db, provider: migrationProvider(storage.engine) });
    expect((await migrator.migrateTo('0013-catalog-revisions')).error).toBeUndefined();
    const staff = { members: [{ staffId: 's1', weight: 3 }], strategy: 'weighted', backupStaffIds: ['s9'], dedupeHours: 3 };
    const region = { storeIds: ['st1', 'st2'], serviceArea: { mode: 'distance', km: 5 }, backupStaffIds: ['s9'] };
    const row = (id: string, type: string, setup: Record<string, string | null>) => ({
      id, slug: `Slug${id}000`, type, name: id, url: '', rules: '[]', tags: '[]', time_zone: 'Asia/Shanghai',
      paused: 0, version: 1, created_at: 1, updated_at: 1, staff: null, region: null, ...setup,
    });
    await storage.db.insertInto('codes' as never).values([
      row('c2', 'staff', { staff: JSON.stringify(staff) }),
      row('c3', 'region', { region: JSON.stringify(region) }),
      row('c4', 'url', { url: 'https://a.example' }),
    ] as never).execute();
    await migrateToLatest(storage);
    const repo = new CodeRepo(storage.db, codeSchemas, (error) => expect.fail(error.message));
    const [c2, c3, c4] = [await repo.byId('c2'), await repo.byId('c3'), await repo.byId('c4')];
    const mentioning = (await repo.codesMentioning('s9')).map((c) => c.id).sort();
    await storage.close();
    expect(c2?.config).toMatchObject({ type: 'staff', staff: { members: [{ staffId: 's1', weight: 3 }], backupStaffIds: ['s9'], offHours: 'overflow' } });
    expect(c3?.config).toMatchObject({ type: 'region', region: { storeIds: ['st1', 'st2'], serviceArea: { mode: 'distance', km: 5 } } });
    expect(c4?.config).toMatchObject({ type: 'url', url: 'https://a.example' });
    expect(mentioning).toEqual(['c2', 'c3']);
  });
});
