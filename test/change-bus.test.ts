import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postgresBus, type ChangeBus } from '../src/storage/change-bus.ts';
import { openStorage, type Storage } from '../src/storage/db.ts';
import { createDatabase } from './support/postgres.ts';

const postgres = inject('postgresUrl');

/** Two instances' buses on one database: what one sends in a change's transaction, the other hears. */
describe.skipIf(!postgres)('the change bus on PostgreSQL', () => {
  let storage: Storage;
  let sender: ChangeBus;
  let listener: ChangeBus;
  const heard: string[] = [];

  beforeAll(async () => {
    const url = await createDatabase(postgres);
    storage = openStorage({ dataDir: '.', databaseUrl: url });
    sender = postgresBus(storage.db, url);
    listener = postgresBus(storage.db, url);
    listener.subscribe({ changed: (slug) => heard.push(slug), lost: () => {} });
    // The listener's connection is up once a notice sent now is heard.
    while (!heard.includes('ready')) {
      await sender.publish('ready');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    await sender.close();
    await listener.close();
    await storage.close();
  });

  const until = async (slug: string) => {
    for (let i = 0; i < 200 && !heard.includes(slug); i++) await new Promise((r) => setTimeout(r, 25));
    return heard.includes(slug);
  };

  it("sends a notice given in a change's transaction when it commits, and never for a rollback", async () => {
    await storage.db
      .transaction()
      .execute(async (trx) => {
        await sender.publish('RolledBack', trx);
        throw new Error('the change failed');
      })
      .catch(() => {});
    await storage.db.transaction().execute(async (trx) => {
      await sender.publish('Committed', trx);
      // Not before the commit: until then the change is not there to be read.
      await new Promise((r) => setTimeout(r, 200));
      expect(heard).not.toContain('Committed');
    });
    expect(await until('Committed')).toBe(true);
    expect(heard).not.toContain('RolledBack');
  });
});
