import { localTime } from '../shared/local-time.ts';
import type { CodeConfig } from '../codes/model.ts';
import type { CodeTypes, Handled, Landing, SharedLocation } from '../codes/code-type.ts';
import { refuse, type CompiledCode, type Decision, type ScanContext } from '../codes/rules.ts';
import type { IpRegionLookup } from '../geo/ip-region.ts';
import { canonicalIp, truncateIp } from '../geo/ip.ts';
import type { ScanMetrics } from '../ops/metrics.ts';
import type { Clock } from '../shared/clock.ts';
import { newEvent, type DomainEvent } from '../shared/events.ts';
import { newId } from '../shared/ids.ts';
import type { NewScan } from '../storage/schema.ts';
import type { CodeCache } from './code-cache.ts';
import { limited, type ScanLimits } from './limits.ts';
import { SERVED_OUTCOMES } from './outcomes.ts';
import type { ClientHints, Device } from '../codes/device.ts';
import type { ScanRecorder } from './recorder.ts';
import { readVisitor } from './visitor.ts';

export interface ScanRequest {
  slug: string;
  userAgent: string;
  hints: ClientHints;
  ip: string;
  cookie: string | undefined;
  referrer: string | undefined;
  secure: boolean;
  /** HEAD requests and link previews are answered but not recorded. */
  record: boolean;
}

/** What the scan context is read from. */
export type ScanContextRequest = Pick<ScanRequest, 'userAgent' | 'hints' | 'ip' | 'cookie' | 'secure'>;

export interface ScanResult {
  code: CodeConfig;
  decision: Decision;
  scanId: string;
  setCookies: string[];
}

const clip = (s: string | undefined, n: number) => (s ? s.slice(0, n) : null);

/** The hot path: find the code, let its type decide, hold to the limits, count, record durably, answer. */
export class ScanService {
  constructor(
    private readonly cache: CodeCache,
    private readonly recorder: ScanRecorder<NewScan>,
    private readonly ipRegion: IpRegionLookup,
    private readonly parseDevice: (ua: string, hints: ClientHints) => Device,
    private readonly clock: Clock,
    private readonly metrics: ScanMetrics,
    private readonly limits: ScanLimits,
    private readonly types: CodeTypes,
  ) {}

  async scan(req: ScanRequest): Promise<ScanResult | null> {
    const now = this.clock.now();
    const cached = this.cache.get(req.slug, now);
    const code = cached instanceof Promise ? await cached : cached;
    if (!code) return null;
    const { config } = code;
    const type = this.types.of(config);
    const seenAtStep = type.location !== undefined && type.location.seenAtStep && type.location.asks(code);
    const { ctx, device, ip, region, visitor } = this.context(config.slug, req, now, !seenAtStep);
    const started = performance.now();
    const local = localTime(now, config.timeZone);
    const record = req.record;
    const handling = type.scan({ code, ctx, local, scanCount: this.cache.count(config.id), visitor, record });
    // A synchronous handler (URL codes) is not made to wait a turn.
    let handled = handling instanceof Promise ? await handling : handling;
    this.metrics.decided((performance.now() - started) / 1000);
    const scanId = newId(now);
    if (record) {
      // Served (counted): the scan reached a destination. Every served scan is held by the limits
      // and counted toward the code's cap, bots included (a User-Agent is the caller's to choose);
      // bots are left out of statistics only, which read the stored bot flag.
      if (handled.counted && limited(config)) handled = await this.admit(config, visitor.id, local.date, now, handled);
      const { decision, counted: served, release } = handled;
      // Counted before the record's await, so this instance's next scans see it at once.
      if (served) this.cache.increment(config.id);
      const recorded = this.recorder.record({
        id: scanId,
        code_id: config.id,
        scanned_at: now,
        local_date: local.date,
        local_hour: local.hour,
        local_weekday: local.weekday,
        outcome: outcomeOf(decision),
        rule_index: decision.action === 'inactive' ? null : (decision.rule?.index ?? null),
        rule_name: decision.action === 'inactive' ? null : (decision.rule?.name ?? null),
        destination: decision.action === 'contact' ? decision.qrUrl : decision.url,
        staff_id: decision.action === 'contact' ? decision.staffId : null,
        visitor_id: visitor.id,
        new_visitor: visitor.isNew ? 1 : 0,
        is_bot: device.isBot ? 1 : 0,
        os: device.os,
        os_version: device.osVersion,
        browser: device.browser,
        browser_version: device.browserVersion,
        device_type: device.deviceType,
        device_vendor: device.deviceVendor,
        device_model: device.deviceModel,
        in_wechat: device.inWeChat ? 1 : 0,
        ip: truncateIp(ip),
        country: region.country,
        province: region.province,
        city: region.city,
        referrer: clip(req.referrer, 500),
        user_agent: clip(req.userAgent, 500),
      });
      let stored: boolean;
      try {
        stored = await recorded;
      } catch (error) {
        await this.uncount(served, config.id, release);
        throw error;
      }
      // Left out: the code was deleted while this scan was in flight. Answered as after the delete.
      if (!stored) {
        await this.uncount(served, config.id, release);
        return null;
      }
    }
    return { code: config, decision: handled.decision, scanId, setCookies: visitor.setCookies };
  }

  /**
   * Caps and device limits, shared by every instance: the counters decide, atomically. A refused
   * scan gives back what its type took and is answered as the limit says.
   */
  private async admit(config: CodeConfig, visitorId: string, date: string, now: number, handled: Handled): Promise<Handled> {
    const admission = await this.limits.admit(config, visitorId, date, now, this.cache.count(config.id));
    if (admission.refused === null) {
      const release = async () => {
        await handled.release();
        await admission.release();
      };
      return { ...handled, release };
    }
    await handled.release();
    if (admission.refused === 'limit_reached') this.cache.reached(config.id, config.maxScans ?? 0);
    return { decision: refuse(config, admission.refused), counted: false, release: admission.release };
  }

  /**
   * A code's location step: the context a scan reads (its position is the one the scanner shared,
   * none without consent), and the code's type decides. Caps and limits were applied when the page
   * was scanned; here only the code's own state counts.
   */
  async locate(code: CompiledCode, req: ScanContextRequest, body: SharedLocation) {
    const { ctx, visitor } = this.context(code.config.slug, req, this.clock.now(), true);
    const answer = await this.types.of(code.config).location!.decide(code, { body, ctx, visitor });
    return { answer, setCookies: visitor.setCookies };
  }

  /** Whether this code asks for the scanner's location (its type decides). */
  asksLocation(code: CompiledCode): boolean {
    return this.types.of(code.config).location?.asks(code) ?? false;
  }

  /** How a browser is answered for a scan's decision (its type decides). */
  landing(result: ScanResult): Landing {
    return this.types.of(result.code).landing(result.decision);
  }

  /** What a request tells of the scanner, read the same way for a scan and for its location step. */
  private context(slug: string, req: ScanContextRequest, now: number, markSeen: boolean) {
    const device = this.parseDevice(req.userAgent, req.hints);
    const ip = canonicalIp(req.ip);
    const region = this.ipRegion(ip);
    const visitor = readVisitor(req.cookie, slug, req.secure, markSeen);
    const ctx: ScanContext = {
      now,
      os: device.os,
      inWeChat: device.inWeChat,
      province: region.province,
      city: region.city,
      ip,
      visitorId: visitor.id,
      returning: visitor.returning,
      location: null,
    };
    return { ctx, device, ip, region, visitor };
  }

  /** A scan that is not stored gives back what it took of its code's counts. */
  private async uncount(served: boolean, codeId: string, release: () => Promise<void>): Promise<void> {
    if (!served) return;
    this.cache.increment(codeId, -1);
    await release().catch(() => {});
  }
}

/** What a scan's outcome is recorded as: where it went, or why it did not. */
export function outcomeOf(decision: Decision): string {
  if (decision.action === 'contact') return decision.reason === 'repeat' ? 'repeat' : 'contact';
  if (decision.action === 'locate') return 'locate';
  return decision.action === 'redirect' ? 'redirect' : decision.reason;
}

const SERVED = new Set(SERVED_OUTCOMES);

/**
 * Per code, how many scans of a batch count toward its served-scan total: the count `maxScans`
 * caps, so bots are in it (they were served); statistics read the scans themselves, without bots.
 */
export function countedByCode(scans: readonly NewScan[]): Map<string, number> {
  const counted = new Map<string, number>();
  for (const s of scans) {
    if (SERVED.has(s.outcome)) counted.set(s.code_id, (counted.get(s.code_id) ?? 0) + 1);
  }
  return counted;
}

/** What a webhook receiver hears of a scan; bots are left out, as they are of every count. */
export function scanEvents(scans: readonly NewScan[]): DomainEvent[] {
  return scans
    .filter((s) => s.is_bot === 0)
    .map((s) =>
      newEvent('scan.created', s.scanned_at, {
        scanId: s.id,
        codeId: s.code_id,
        scannedAt: new Date(s.scanned_at).toISOString(),
        outcome: s.outcome,
        destination: s.destination,
        rule: s.rule_name,
        visitorId: s.visitor_id,
        newVisitor: s.new_visitor === 1,
        os: s.os,
        deviceType: s.device_type,
        inWeChat: s.in_wechat === 1,
        province: s.province,
        city: s.city,
      }),
    );
}
