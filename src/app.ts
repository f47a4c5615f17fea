import { hostname } from 'node:os';
import { z } from 'zod';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { codeRoutes } from './codes/routes.ts';
import type { Counters } from './counters/counters.ts';
import { RedisCounters } from './counters/redis-counters.ts';
import { SqlCounters } from './counters/sql-counters.ts';
import { CodeService } from './codes/service.ts';
import { CodeRepo, type UnreadableCode } from './codes/repo.ts';
import { codeSchemas } from './code-types.ts';
import { decisionSchema } from './codes/decision-schema.ts';
import { openIpRegionDb, type IpRegionLookup } from './geo/ip-region.ts';
import { Api } from './http/api.ts';
import { httpServer } from './http/server.ts';
import { rawBodyFor } from './http/raw-body.ts';
import { openApiDocument } from './http/openapi.ts';
import { ClusterTasks, type ClusterTask } from './ops/cluster-tasks.ts';
import { createMetrics } from './ops/metrics.ts';
import { opsRoutes } from './ops/routes.ts';
import { LOGO_TYPES, LOGO_URL, qrRoutes } from './qr/routes.ts';
import { posterRoutes } from './qr/poster-routes.ts';
import { CodeCache } from './scans/code-cache.ts';
import { cachedDeviceParser } from './codes/device.ts';
import { ScanLimits } from './scans/limits.ts';
import { scanRecording } from './scans/recording.ts';
import { ScanWriterThread } from './scans/writer-thread.ts';
import { scanApiRoutes, scanRoute } from './scans/routes.ts';
import { ScanService } from './scans/service.ts';
import { ScanRepo } from './scans/repo.ts';
import { ScanHistory } from './scans/history.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { randomToken } from './shared/ids.ts';
import { localBus, postgresBus, type ChangeBus } from './storage/change-bus.ts';
import type { Storage } from './storage/db.ts';
import type { TokenService } from './teams/tokens.ts';
import { buildTeams } from './teams/build.ts';
import { teamRoutes } from './teams/routes.ts';
import { approvalRoutes } from './teams/approval-routes.ts';
import { wecomCallbackRoutes } from './wecom/callback-routes.ts';
import { staffRoutes } from './routing/routes.ts';
import { channelRoutes } from './channels/routes.ts';
import { ChannelService } from './channels/service.ts';
import { ChannelRepo } from './channels/repo.ts';
import { channelFigures, channelLabel } from './channels/figures.ts';
import { WeComInbox } from './wecom/inbox.ts';
import { WeComInboxRepo } from './wecom/inbox-repo.ts';
import { WeComEventWorker } from './wecom/event-worker.ts';
import { CorpTags } from './wecom/corp-tags.ts';
import { reconcileAdds, reconcileTask } from './wecom/reconcile.ts';
import { CustomerService } from './customers/service.ts';
import { CustomerRepo } from './customers/repo.ts';
import { customerRoutes } from './customers/routes.ts';
import { HandOver } from './routing/hand-over.ts';
import { buildAcquisition } from './acquisition.ts';
import { publishCodeChanges, wireChanges } from './changes.ts';
import { storeRoutes } from './stores/routes.ts';
import { locateRoute } from './stores/locate-route.ts';
import { storeAreaTag } from './stores/area-tag.ts';
import { sessionRoutes } from './teams/session-routes.ts';
import { setupRoutes } from './teams/setup-routes.ts';
import type { FirstRunSetup } from './teams/setup.ts';
import { consoleRoutes } from './http/console.ts';
import type { SessionService } from './teams/sessions.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { WebhookDispatcher } from './webhooks/dispatcher.ts';
import { WebhookOutbox } from './webhooks/outbox.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { httpSender, resolveAll } from './webhooks/sender.ts';
import { WebhookService } from './webhooks/service.ts';
import { WebhookRepo } from './webhooks/repo.ts';
import { SecretBox } from './shared/secret-box.ts';
import { WorkerPool } from './workers/pool.ts';
import { MaterialService, type MaterialUsers } from './materials/service.ts';
import { MaterialRepo } from './materials/repo.ts';
import { MATERIAL_UPLOAD_URL, materialRoutes } from './materials/routes.ts';

export interface AppDeps {
  config: Config;
  storage: Storage;
  logger: FastifyBaseLogger;
  clock?: Clock;
  ipRegion?: IpRegionLookup;
  /** How often this instance looks for background work that is due (default 5 s). */
  taskPollMs?: number;
  /** How often this instance looks for webhook deliveries that are due (default 1 s). */
  webhookPollMs?: number;
  /** How often this instance looks for WeCom events left over (default 5 s; new ones are worked at once). */
  wecomPollMs?: number;
  /** Wait before a welcome message WeCom refused with 41096 is sent again (default 1 s). */
  welcomeRetryMs?: number;
  /** How instances tell each other of changes (default: LISTEN/NOTIFY on PostgreSQL, none on SQLite). */
  bus?: ChangeBus;
  /** The module the scan writer thread runs, as a URL (default scan-writer.ts; a test's may fail on cue). */
  scanWriter?: string;
}

export interface HuomaApp {
  http: FastifyInstance;
  tokens: TokenService;
  /** The first run: the one-time code that lets the console create the owner while nobody exists. */
  setup: FirstRunSetup;
  /** Every route as "METHOD /url", for tests that must cover each endpoint. */
  routes: string[];
  /** Stop accepting, let in-flight scans finish, commit every recorded scan, close the database. */
  close(): Promise<void>;
}

const VERSION = '0.1.0';
const CLOSE_DEADLINE_MS = 8_000;
const MINUTE = 60_000;
const MB = 1024 * 1024;

/** Shared counts live in Redis where it is configured, else in the database every instance uses. */
const openCounters = (config: Config, storage: Storage): Counters =>
  config.redisUrl ? new RedisCounters(config.redisUrl) : new SqlCounters(storage.db);

/** Background work, run once per cluster whichever instance claims it. */
function clusterTasks(counters: Counters, sessions: SessionService): ClusterTask[] {
  return [
    { name: 'sessions.expire', everyMs: 60 * MINUTE, leaseMs: 5 * MINUTE, run: (now) => sessions.expire(now) },
    // Redis forgets expired counts by itself; the counters table has to be swept.
    ...(counters.kind === 'database'
      ? [{ name: 'counters.expire', everyMs: 10 * MINUTE, leaseMs: 5 * MINUTE, run: async (now: number) => void (await counters.expire(now)) }]
      : []),
  ];
}

/** The composition root: builds each domain from plain objects and mounts its routes. */
export function createApp(deps: AppDeps): HuomaApp {
  const { config, storage } = deps;
  const clock = deps.clock ?? systemClock;
  const ipRegion = deps.ipRegion ?? openIpRegionDb();
  const { http, routes } = httpServer(deps.logger, config.trustProxy);
  rawBodyFor(http, LOGO_TYPES, 'buffer', LOGO_URL, MATERIAL_UPLOAD_URL);

  // Other instances hear of a change to a code when its transaction commits.
  const bus = deps.bus ?? (storage.connectionString ? postgresBus(storage.db, storage.connectionString) : localBus);
  const unreadableCode = (err: UnreadableCode) => deps.logger.error({ err, codeId: err.codeId }, 'a stored code cannot be read; lists leave it out');
  const codeRepo = new CodeRepo(storage.db, codeSchemas, unreadableCode, publishCodeChanges(bus));
  const metrics = createMetrics();
  const webhookRepo = new WebhookRepo(storage.db, storage.engine);
  const webhookSecrets = new SecretBox(config.secret, 'webhook signing secrets');
  const outbox = new WebhookOutbox(webhookRepo, clock, (trx, ids) => codeRepo.departmentsOf(trx, ids));
  const webhooks = new WebhookService(webhookRepo, webhookSecrets, clock, config.webhookAllowHosts, resolveAll);
  const dispatcher = new WebhookDispatcher(webhookRepo, webhookSecrets, httpSender(config.webhookAllowHosts), clock, metrics.webhookAttempt);
  dispatcher.start(deps.webhookPollMs ?? 1_000, (err) => deps.logger.error({ err }, 'webhook deliveries could not be claimed'));
  metrics.outboxDepth(() => webhooks.pendingCount());
  const scanRepo = new ScanRepo(storage.db);
  const scanHistory = new ScanHistory(scanRepo, () => clock.now());
  // Scans are written in a thread of their own (its composition is scan-writer.ts), off the event loop.
  const scanWriter = new ScanWriterThread(deps.scanWriter ?? new URL('./scan-writer.ts', import.meta.url).href, storage.options);
  http.addHook('onReady', () => scanWriter.open());
  const recorder = scanRecording(scanWriter, metrics.scans, storage.engine, () => clock.now(), (err) => {
    deps.logger.error({ err }, 'scans were committed but could not be synced to disk');
  });
  // Read from the code store, below the code service, which tells it of its changes.
  const cache = new CodeCache(
    (slug) => codeRepo.bySlug(slug),
    (slug) => codeRepo.versionBySlug(slug),
    () => clock.now(),
    ({ config, unservable }) =>
      deps.logger.warn({ slug: config.slug, fields: unservable }, 'stored destinations no browser can follow: their scans show a page'),
  );
  const counters = openCounters(config, storage);
  // Images and CSV files are drawn and parsed here, never on the event loop that answers scans.
  const workers = new WorkerPool();
  const acquisition = buildAcquisition({
    config, storage, clock, logger: deps.logger, counters, scanHistory, ipRegion,
    csv: { admit: (caller) => workers.admit(caller), parse: (text, system) => workers.run('parseStoreCsv', text, system) },
  });
  const { departments, staff, rosters, wecom, wecomSettings, stores, catalog, storeMatches, types } = acquisition;
  const codeChanged = wireChanges({ ...acquisition, bus, logger: deps.logger, cache });
  const limiter = new RateLimiter(counters, clock);
  const { roles, tokens, audit, approvals, users, sessions, setup, authenticate } = buildTeams(storage.db, clock, config.secret, departments, limiter);
  const materialLimits = { quota: Math.round(config.materialQuotaMb * MB), maxFile: Math.round(config.materialMaxMb * MB) };
  // Who uses a material: each domain that names materials answers for its own objects (codes' page
  // designs). Asked only once a request is served, when the code service below exists.
  const materialUses: MaterialUsers = (id) => codes.materialUses(id);
  const materials = new MaterialService(new MaterialRepo(storage.db), clock, config.publicUrl, materialLimits, departments, materialUses);
  const codes = new CodeService(codeRepo, clock, config.publicUrl, ipRegion, {
    events: outbox, gate: approvals, types, changed: codeChanged, materials,
  });
  const scans = new ScanService(cache, recorder, ipRegion, cachedDeviceParser(), clock, metrics.scans, new ScanLimits(counters), types);

  const apiLimits = { perKey: config.rateLimitApiKey, perIp: config.rateLimitApiIp };
  const api = new Api(http, authenticate, audit, limiter, apiLimits, () => storage.durable(), (fn) => storage.atomic(fn));
  const channels = new ChannelService(new ChannelRepo(storage.db), clock);
  codeRoutes(api, codes, types, departments, channels);
  materialRoutes(http, api, materials, materialLimits.maxFile);
  qrRoutes(api, codes, clock, { admit: (caller) => workers.admit(caller), png: (text, style) => workers.run('qrPng', text, style) });
  posterRoutes(api, codes, { admit: (caller) => workers.admit(caller), poster: (...args) => workers.run('poster', ...args) }, {
    image: async (id, actor, department) => (await materials.content({ id, field: 'background' }, actor, department)).data,
  });
  scanApiRoutes(api, codes, scanHistory);
  webhookRoutes(api, webhooks);
  teamRoutes(api, tokens, users, departments, roles, audit);
  approvalRoutes(api, approvals, codes);
  const customers = new CustomerService(new CustomerRepo(storage.db), clock);
  staffRoutes(api, staff, new HandOver(staff, codes, customers, wecom, audit, stores), () => scanHistory.servedToday());
  customerRoutes(api, customers, codes, channels, staff);
  storeRoutes(http, api, stores);
  channelRoutes(api, channels, channelFigures(scanHistory, customers, staff), () => clock.now());
  const inbox = new WeComInbox(new WeComInboxRepo(storage.db), clock);
  const wecomWorker = new WeComEventWorker({
    inbox, customers, wecom, tags: new CorpTags(), rosters, clock, logger: deps.logger,
    codeBySlug: async (slug) => (await codes.findBySlug(slug))?.config ?? null,
    channel: channelLabel(channels),
    lastScanFor: (codeId, staffId, before) => scanHistory.lastScanFor(codeId, staffId, before),
    areaTag: storeAreaTag(storeMatches, catalog),
    ...(deps.welcomeRetryMs !== undefined ? { welcomeRetryMs: deps.welcomeRetryMs } : {}),
  });
  wecomWorker.start(deps.wecomPollMs ?? 5_000, (err) => deps.logger.error({ err }, 'WeCom events could not be claimed'));
  const instance = `${hostname()}:${process.pid}:${randomToken(4)}`;
  const background = [...clusterTasks(counters, sessions), reconcileTask(wecom, rosters, customers, inbox)];
  const tasks = new ClusterTasks(storage.db, clock, instance, background, (task, result, err) => {
    metrics.taskRan(task, result);
    if (result === 'failed') deps.logger.error({ err, task }, 'background task failed');
  });
  tasks.start(deps.taskPollMs ?? 5_000, (err) => deps.logger.error({ err }, 'background tasks could not be claimed'));
  wecomCallbackRoutes(http, api, wecomSettings, inbox, clock, () => reconcileAdds(wecom, rosters, customers, inbox));
  sessionRoutes(http, api, sessions, users, audit, config.publicUrl.startsWith('https://'));
  setupRoutes(http, api, setup, audit);
  consoleRoutes(http, api);
  const scanRateWait = (ip: string) => limiter.wait(`scan-ip:${ip}`, config.rateLimitScanIp);
  scanRoute(http, scans, metrics.scans, config.publicUrl.startsWith('https://'), scanRateWait);
  locateRoute(http, api, cache, scans, types, scanHistory, clock, config.publicUrl.startsWith('https://'), scanRateWait);

  api.document({
    method: 'GET', url: '/s/:slug', tag: 'scan', params: z.object({ slug: z.string() }),
    summary: 'What a printed QR code opens: 302 to the decided URL, a landing page, or with Accept: application/json the decision and scan id',
    responses: {
      302: { description: 'Redirect to the decided destination (never cached)' },
      200: { description: 'With Accept: application/json', schema: z.object({ decision: decisionSchema, scanId: z.string() }) },
      404: { description: 'No such code: a friendly page' },
      503: { description: 'The scan could not be recorded; Retry-After says when to retry' },
    },
  });
  opsRoutes(http, api, metrics.registry, storage, counters, config.metricsToken);
  const document = openApiDocument(api.operations, { version: VERSION, serverUrl: config.publicUrl });
  http.get('/api/v1/openapi.json', async () => document);

  return {
    http,
    tokens,
    setup,
    routes,
    async close() {
      // close() drops idle keep-alive connections once; ones busy at that moment turn idle later
      // and would hold the server open, so keep dropping them until it closes, and past the
      // deadline cut whatever is left.
      const sweep = setInterval(() => http.server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => http.server.closeAllConnections(), CLOSE_DEADLINE_MS);
      try {
        await http.close();
      } finally {
        clearInterval(sweep);
        clearTimeout(deadline);
      }
      await recorder.flush();
      await scanWriter.close();
      await Promise.all([tasks.stop(), dispatcher.stop(), wecomWorker.stop(), workers.close()]);
      await counters.close();
      await bus.close();
      await storage.close();
    },
  };
}
