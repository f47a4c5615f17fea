import type { Migration, MigrationProvider } from 'kysely';
import type { Engine } from './engine.ts';
import { migrationLiveCodes } from './migrations/0001-live-codes.ts';
import { migrationSharedCounters } from './migrations/0002-shared-counters.ts';
import { migrationWebhooks } from './migrations/0003-webhooks.ts';
import { migrationKeysAndAudit } from './migrations/0004-keys-and-audit.ts';
import { migrationWecomInbox } from './migrations/0005-wecom-inbox.ts';
import { migrationStaff } from './migrations/0006-staff.ts';
import { migrationChannels } from './migrations/0007-channels.ts';
import { migrationStaffCodes } from './migrations/0008-staff-codes.ts';
import { migrationStores } from './migrations/0009-stores.ts';
import { migrationOpenConversations } from './migrations/0010-open-conversations.ts';
import { migrationDepartmentScope } from './migrations/0011-department-scope.ts';
import { migrationTotpReplay } from './migrations/0012-totp-replay.ts';
import { migrationCatalogRevisions } from './migrations/0013-catalog-revisions.ts';
import { migrationCodeSetup } from './migrations/0014-code-setup.ts';
import { migrationMaterials } from './migrations/0016-materials.ts';

/** One list of migrations for both engines, in order; where a type differs by engine, the migration chooses. */
export function migrationProvider(engine: Engine): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-live-codes': migrationLiveCodes(engine),
    '0002-shared-counters': migrationSharedCounters(),
    '0003-webhooks': migrationWebhooks(),
    '0004-keys-and-audit': migrationKeysAndAudit(),
    '0005-wecom-inbox': migrationWecomInbox(),
    '0006-staff': migrationStaff(engine),
    '0007-channels': migrationChannels(),
    '0008-staff-codes': migrationStaffCodes(),
    '0009-stores': migrationStores(engine),
    '0010-open-conversations': migrationOpenConversations(),
    '0011-department-scope': migrationDepartmentScope(),
    '0012-totp-replay': migrationTotpReplay(),
    '0013-catalog-revisions': migrationCatalogRevisions(),
    '0014-code-setup': migrationCodeSetup(),
    '0016-materials': migrationMaterials(engine),
  };
  return { getMigrations: async () => migrations };
}
