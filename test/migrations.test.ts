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
});
