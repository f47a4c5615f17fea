import { describe, expect, it } from 'vitest';
import { cachedDeviceParser, parseDevice } from './device.ts';

const UA = {
  iphoneWeChat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
    'MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN',
  vivoWeChat:
    'Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 ' +
    'Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/1110099 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) ' +
    'WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
  wecom:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
    'wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh',
  harmonyNext:
    'Mozilla/5.0 (Phone; OpenHarmony 4.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ' +
    'ArkWeb/4.1.6.1 Mobile HuaweiBrowser/5.0.4.300',
  harmonyAndroid:
    'Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36',
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
};

describe('reading the device from a scan', () => {
  it.each([
    ['iphoneWeChat', { os: 'ios', inWeChat: true, isBot: false, deviceModel: 'iPhone' }],
    ['vivoWeChat', { os: 'android', inWeChat: true, deviceVendor: 'Vivo', deviceModel: 'V2227A' }],
    ['wecom', { os: 'ios', inWeChat: false }],
    ['harmonyNext', { os: 'harmonyos', inWeChat: false }],
    ['harmonyAndroid', { os: 'harmonyos', deviceModel: 'NOH-AN00' }],
    ['windows', { os: 'windows', browser: 'Chrome' }],
    ['mac', { os: 'macos', browser: 'Safari' }],
    ['googlebot', { isBot: true }],
  ] as const)('%s', (name, expected) => {
    expect(parseDevice(UA[name])).toMatchObject(expected);
  });

  it('treats a request without a user agent as a bot', () => {
    expect(parseDevice('').isBot).toBe(true);
  });

  it('uses client hints where the UA string is reduced', () => {
    const reduced = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
    expect(parseDevice(reduced, { model: '"SM-S9180"', mobile: '?1' })).toMatchObject({ os: 'android', deviceType: 'mobile' });
  });

  it('caches by UA and hints together', () => {
    const parse = cachedDeviceParser(2);
    expect(parse(UA.windows)).toBe(parse(UA.windows));
    expect(parse(UA.mac).os).toBe('macos');
    expect(parse(UA.iphoneWeChat).os).toBe('ios');
    expect(parse(UA.windows).os).toBe('windows');
  });
});
