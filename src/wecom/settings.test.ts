import { describe, expect, it } from 'vitest';
import { apiBaseRefusal, WECOM_API } from './settings.ts';

describe('where the WeCom app secret may go', () => {
  const listed = new Set(['127.0.0.1', 'wecom-proxy.internal']);

  it('to WeCom itself, or to a listed host', () => {
    for (const base of [WECOM_API, `${WECOM_API}/`, 'https://QYAPI.weixin.qq.com:443', 'http://127.0.0.1:4100', 'https://wecom-proxy.internal/cgi']) {
      expect(apiBaseRefusal(base, listed), base).toBeNull();
    }
  });

  it('nowhere else: not WeCom over http, not a look-alike host, not loopback unless listed', () => {
    const bases = [
      'http://qyapi.weixin.qq.com', 'https://qyapi.weixin.qq.com.evil.example', 'https://qyapi.weixin.qq.com@10.0.0.1/',
      'http://[::1]:4100', 'http://localhost:4100',
    ];
    for (const base of bases) {
      expect(apiBaseRefusal(base, listed), base).toMatch(/HUOMA_WECOM_ALLOW_HOSTS/);
    }
    expect(apiBaseRefusal('http://127.0.0.1:4100', new Set())).not.toBeNull();
  });
});
