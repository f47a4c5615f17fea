import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';
import type { OsName } from './model.ts';

export interface Device {
  os: OsName;
  osVersion: string | null;
  browser: string | null;
  browserVersion: string | null;
  deviceType: string | null;
  deviceVendor: string | null;
  deviceModel: string | null;
  inWeChat: boolean;
  isBot: boolean;
}

/** User-Agent Client Hints, which Chromium browsers send instead of detail in the UA string. */
export interface ClientHints {
  platform?: string | undefined;
  platformVersion?: string | undefined;
  model?: string | undefined;
  mobile?: string | undefined;
}

function osName(name: string | undefined, ua: string): OsName {
  // HarmonyOS phones often claim Android in the UA; the HarmonyOS / OpenHarmony token decides.
  if (/HarmonyOS|OpenHarmony|ArkWeb/i.test(ua)) return 'harmonyos';
  switch (name?.toLowerCase()) {
    case 'ios':
    case 'ipados':
      return 'ios';
    case 'android':
      return 'android';
    case 'windows':
      return 'windows';
    case 'macos':
    case 'mac os':
      return 'macos';
    default:
      return 'other';
  }
}

const unquote = (v: string | undefined) => (v ? v.replace(/^"|"$/g, '') : undefined);

export function parseDevice(ua: string, hints: ClientHints = {}): Device {
  const r = new UAParser(ua).getResult();
  const platform = unquote(hints.platform);
  const model = unquote(hints.model);
  const os = r.os.name || !platform ? osName(r.os.name, ua) : osName(platform, platform);
  return {
    os,
    osVersion: r.os.version ?? unquote(hints.platformVersion) ?? null,
    browser: r.browser.name ?? null,
    browserVersion: r.browser.version ?? null,
    deviceType: r.device.type ?? (hints.mobile === '?1' ? 'mobile' : null),
    deviceVendor: r.device.vendor ?? null,
    deviceModel: r.device.model ?? (model || null),
    // WeCom (企业微信) also says MicroMessenger but is a different app with its own browser.
    inWeChat: /MicroMessenger/i.test(ua) && !/wxwork/i.test(ua),
    isBot: ua === '' || isbot(ua),
  };
}

/**
 * Scans come from a few hundred distinct phone builds, so parsing each UA string once and keeping
 * the answer takes the parser (tens of µs) off the scan path. Bounded: it starts over when full.
 */
export function cachedDeviceParser(limit = 20_000): (ua: string, hints?: ClientHints) => Device {
  const cache = new Map<string, Device>();
  return (ua, hints = {}) => {
    const key = hints.platform || hints.model ? `${ua}\n${hints.platform}\n${hints.platformVersion}\n${hints.model}\n${hints.mobile}` : ua;
    let device = cache.get(key);
    if (!device) {
      if (cache.size >= limit) cache.clear();
      device = parseDevice(ua, hints);
      cache.set(key, device);
    }
    return device;
  };
}
