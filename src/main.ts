import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Flags } from './config.ts';
import { migrateToLatest, openStorage } from './storage/db.ts';
import { ROLES, type Role } from './shared/actor.ts';
import { TokenService } from './teams/tokens.ts';
import { createUserSchema, TOTP_SECRETS, UserService } from './teams/users.ts';
import { DepartmentService } from './teams/departments.ts';
import { RoleService } from './teams/roles.ts';
import { DepartmentRepo } from './teams/department-repo.ts';
import { RoleRepo } from './teams/role-repo.ts';
import { TokenRepo } from './teams/token-repo.ts';
import { UserRepo } from './teams/user-repo.ts';
import { SecretBox } from './shared/secret-box.ts';
import { AppError } from './shared/errors.ts';
import { systemClock } from './shared/clock.ts';
import { SqlCounters } from './counters/sql-counters.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { runUntilStopped } from './ops/process-lifecycle.ts';

const program = new Command('huoma').description('活码 Huoma: live QR codes for customer acquisition');

const storageFlags = (cmd: Command) =>
  cmd
    .option('--data <dir>', 'data directory for the embedded SQLite database (env HUOMA_DATA_DIR, default ./data)')
    .option('--database-url <url>', 'PostgreSQL URL, postgres://… (env HUOMA_DATABASE_URL); SQLite when absent');

storageFlags(program.command('serve').description('run the server'))
  .option('--port <n>', 'port to listen on (env PORT, default 8080)')
  .option('--public-url <url>', 'base URL printed in QR codes (env HUOMA_PUBLIC_URL)')
  .action(async (flags: Flags) => {
    const config = loadConfig(flags);
    // Written synchronously: nothing is logged per request, and the line saying why the process exits must not be lost with it.
    const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] }, pino.destination({ dest: 1, sync: true }));
    const storage = openStorage(config);
    const applied = await migrateToLatest(storage);
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
    const app = createApp({ config, storage, logger });
    runUntilStopped({ logger, drain: () => app.close(), followLauncher: config.underNpm });
    await app.http.listen({ port: config.port, host: config.host });
    const address = app.http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port, database: storage.describe, publicUrl: config.publicUrl }, `Huoma 已启动 / listening on port ${port}`);
    const setupCode = await app.setup.codeToPrint();
    if (setupCode) {
      const where = `${config.publicUrl}/console`;
      const zh = `首次使用：在 ${where} 用设置码 ${setupCode} 创建所有者账号`;
      logger.warn({ setupCode }, `${zh} / first run: create the owner at ${where} with this code`);
    }
    if ((await app.tokens.count()) === 0) {
      logger.warn('还没有 API 令牌 / no API token yet: run `npx huoma token create --role owner --name admin`');
    }
  });

storageFlags(program.command('migrate').description('apply database migrations and exit')).action(async (flags: Flags) => {
  const storage = openStorage(loadConfig(flags));
  const applied = await migrateToLatest(storage);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  await storage.close();
});

const role = (value: string): Role => {
  if (!value.trim()) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')} or a custom role`);
  return value.trim();
};

storageFlags(
  program
    .command('token')
    .description('API tokens')
    .command('create')
    .description('create an API token; prints the token alone on the last line')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')} or a custom role`, role)
    .requiredOption('--name <name>', 'who or what uses the token'),
).action(async (flags: Flags & { role: Role; name: string }) => {
  const storage = openStorage(loadConfig(flags));
  await migrateToLatest(storage);
  const roles = new RoleService(new RoleRepo(storage.db), systemClock);
  const { token } = await new TokenService(new TokenRepo(storage.db), systemClock, roles).create(flags.name, flags.role);
  await storage.close();
  console.log(`API token for "${flags.name}" (${flags.role}); it is shown only once:`);
  console.log(token);
});

storageFlags(
  program
    .command('user')
    .description('people who sign in to the console')
    .command('create')
    .description('add a console user')
    .requiredOption('--email <email>', 'their email, used to sign in')
    .requiredOption('--password <password>', 'at least 10 characters')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')} or a custom role`, role)
    .option('--name <name>', 'how they are shown (default: the part of the email before @)'),
).action(async (flags: Flags & { email: string; password: string; role: Role; name?: string }) => {
  const config = loadConfig(flags);
  const name = flags.name ?? flags.email.trim().toLowerCase().split('@')[0];
  const parsed = createUserSchema.safeParse({ email: flags.email, password: flags.password, role: flags.role, name });
  if (!parsed.success) throw new AppError('validation_failed', parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
  const storage = openStorage(config);
  await migrateToLatest(storage);
  try {
    const users = new UserService(
      new UserRepo(storage.db),
      systemClock,
      new SecretBox(config.secret, TOTP_SECRETS),
      new DepartmentService(new DepartmentRepo(storage.db), systemClock),
      new RoleService(new RoleRepo(storage.db), systemClock),
      new RateLimiter(new SqlCounters(storage.db), systemClock),
    );
    const user = await users.create(parsed.data);
    console.log(`user ${user.email} (${user.role}) created: ${user.id}`);
  } finally {
    await storage.close();
  }
});

try {
  await program.parseAsync();
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof AppError ? error.message : error);
  process.exit(1);
}
