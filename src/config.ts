import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseCidr } from './geo/ip.ts';
import type { TrustProxy } from './http/trust-proxy.ts';
import { hostList } from './shared/hosts.ts';

/** Command-line flags; each overrides its environment variable. */
export interface Flags {
  port?: string | undefined;
  data?: string | undefined;
  databaseUrl?: string | undefined;
  publicUrl?: string | undefined;
}

/**
 * Which proxies' X-Forwarded-For is believed, in the forms Fastify's trustProxy takes: `true`
 * (every one), `false`, a hop count, or addresses/CIDRs. A digit is a hop count, never a boolean
 * (`1` as `true` would believe any forged header) nor an address (`2` as 0.0.0.2).
 */
const trustProxy = z.string().transform((text, ctx): TrustProxy => {
  const value = text.trim();
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 100) ctx.addIssue({ code: 'custom', message: 'a hop count must be 0–100' });
    return hops === 0 ? false : hops;
  }
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.find((e) => parseCidr(e) === null);
  if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `"${bad}" is not true, false, a hop count, an IP address or a CIDR` });
  // Fastify refuses a /0 (with no variable named): it would believe every address, which is `true`.
  const everyone = entries.find((e) => parseCidr(e)?.prefix === 0);
  if (everyone !== undefined) ctx.addIssue({ code: 'custom', message: `"${everyone}" would believe every address: say true if that is meant` });
  return entries;
});

const schema = z.object({
  port: z.coerce.number({ message: 'must be a port number' }).int('must be a whole number').min(0, 'must be 0–65535').max(65535, 'must be 0–65535'),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  databaseUrl: z
    .string()
    .refine((s) => /^postgres(ql)?:\/\/.+/.test(s), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  redisUrl: z
    .string()
    .refine((s) => /^rediss?:\/\/.+/.test(s), 'must be a redis:// or rediss:// URL')
    .optional(),
  publicUrl: z
    .string()
    .refine((s) => /^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(s), 'must be an http(s) URL such as https://qr.example.com')
    .transform((s) => s.replace(/\/+$/, ''))
    .optional(),
  secret: z.string().min(32, 'must be at least 32 characters').optional(),
  metricsToken: z.string().min(16, 'must be at least 16 characters').optional(),
  sqliteSync: z.enum(['full', 'normal'], { message: 'must be full or normal' }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  trustProxy,
  rateLimitApiKey: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 (off) or more'),
  rateLimitApiIp: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 (off) or more'),
  rateLimitScanIp: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 (off) or more'),
  materialQuotaMb: z.coerce.number({ message: 'must be a number' }).positive('must be more than 0').max(1_000_000, 'must be at most 1000000 (1 TB)'),
  materialMaxMb: z.coerce.number({ message: 'must be a number' }).positive('must be more than 0').max(100, 'must be at most 100'),
  webhookAllowHosts: z.string().transform(hostList),
  wecomAllowHosts: z.string().transform(hostList),
  /** Started by npm (`npm start`, `npx huoma`): npm sets npm_lifecycle_event for what it runs. */
  underNpm: z.boolean(),
});

export interface Config extends Omit<z.output<typeof schema>, 'publicUrl' | 'secret'> {
  publicUrl: string;
  secret: string;
}

export class ConfigError extends Error {}

const ENV_OF: Record<string, string> = {
  port: 'PORT (or --port)',
  host: 'HUOMA_HOST',
  dataDir: 'HUOMA_DATA_DIR (or --data)',
  databaseUrl: 'HUOMA_DATABASE_URL (or --database-url)',
  redisUrl: 'HUOMA_REDIS_URL',
  publicUrl: 'HUOMA_PUBLIC_URL (or --public-url)',
  secret: 'HUOMA_SECRET',
  metricsToken: 'HUOMA_METRICS_TOKEN',
  sqliteSync: 'HUOMA_SQLITE_SYNC',
  logLevel: 'HUOMA_LOG_LEVEL',
  trustProxy: 'HUOMA_TRUST_PROXY',
  webhookAllowHosts: 'HUOMA_WEBHOOK_ALLOW_HOSTS',
  wecomAllowHosts: 'HUOMA_WECOM_ALLOW_HOSTS',
  rateLimitApiKey: 'HUOMA_RATE_LIMIT_API_KEY',
  rateLimitApiIp: 'HUOMA_RATE_LIMIT_API_IP',
  rateLimitScanIp: 'HUOMA_RATE_LIMIT_SCAN_IP',
  materialQuotaMb: 'HUOMA_MATERIAL_QUOTA_MB',
  materialMaxMb: 'HUOMA_MATERIAL_MAX_MB',
};

/**
 * The one place that reads the environment. Every bad value is reported at once, by name, so a
 * deployment is fixed in one round.
 */
export function loadConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): Config {
  const raw = {
    port: flags.port ?? env.PORT ?? '8080',
    host: env.HUOMA_HOST ?? '0.0.0.0',
    dataDir: flags.data ?? env.HUOMA_DATA_DIR ?? './data',
    databaseUrl: flags.databaseUrl ?? (env.HUOMA_DATABASE_URL || undefined),
    redisUrl: env.HUOMA_REDIS_URL || undefined,
    publicUrl: flags.publicUrl ?? (env.HUOMA_PUBLIC_URL || undefined),
    secret: env.HUOMA_SECRET || undefined,
    metricsToken: env.HUOMA_METRICS_TOKEN || undefined,
    sqliteSync: env.HUOMA_SQLITE_SYNC ?? 'full',
    logLevel: env.HUOMA_LOG_LEVEL ?? 'info',
    trustProxy: env.HUOMA_TRUST_PROXY ?? 'false',
    webhookAllowHosts: env.HUOMA_WEBHOOK_ALLOW_HOSTS ?? '',
    wecomAllowHosts: env.HUOMA_WECOM_ALLOW_HOSTS ?? '',
    underNpm: env.npm_lifecycle_event !== undefined,
    rateLimitApiKey: env.HUOMA_RATE_LIMIT_API_KEY ?? '600',
    rateLimitApiIp: env.HUOMA_RATE_LIMIT_API_IP ?? '1200',
    rateLimitScanIp: env.HUOMA_RATE_LIMIT_SCAN_IP ?? '0',
    materialQuotaMb: env.HUOMA_MATERIAL_QUOTA_MB ?? '500',
    materialMaxMb: env.HUOMA_MATERIAL_MAX_MB ?? '10',
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${ENV_OF[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const dataDir = resolve(c.dataDir);
  return {
    ...c,
    dataDir,
    publicUrl: c.publicUrl ?? `http://localhost:${c.port}`,
    secret: c.secret ?? persistentSecret(dataDir),
  };
}

/** Without HUOMA_SECRET, a random secret kept in the data directory, so restarts keep it. */
function persistentSecret(dataDir: string): string {
  const file = join(dataDir, 'secret');
  if (existsSync(file)) {
    // One an older version or a copy left readable by others is made the server's user's alone.
    chmodSync(file, 0o600);
    return readFileSync(file, 'utf8').trim();
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
