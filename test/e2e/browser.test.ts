import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.ts';
import { freePort } from '../support/postgres.ts';
import { startServer, type TestServer } from '../support/server.ts';

const WECHAT_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
  'MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';

/** A phone in a real browser: scans open pages and follow redirects the way WeChat's browser does. */
describe.skipIf(!hasChromium)('scanning in a real browser', () => {
  let browser: Browser;
  let server: TestServer;
  let shop: Server;
  let shopUrl: string;

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startServer(await engines()[0]!.open());
    const port = await freePort();
    shop = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<title>shop</title><h1>${req.url}</h1>`));
    await new Promise<void>((resolve) => shop.listen(port, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    shop?.close();
  });

  const phone = (locale = 'zh-CN') => browser.newContext({ userAgent: WECHAT_IPHONE, locale, viewport: { width: 390, height: 844 }, isMobile: true });

  it('lands on the destination, and the same phone counts as returning the second time', async () => {
    const code = (
      await server.api('POST', '/api/v1/codes', {
        name: 'browser',
        url: `${shopUrl}/first-visit`,
        rules: [{ when: { visitor: 'returning' }, url: `${shopUrl}/welcome-back` }],
      })
    ).json;
    const context = await phone();
    const page = await context.newPage();
    await page.goto(code.shortUrl.replace(/^http:\/\/localhost:\d+/, server.url));
    expect(page.url()).toBe(`${shopUrl}/first-visit`);
    await page.goto(`${server.url}/s/${code.slug}`);
    expect(page.url()).toBe(`${shopUrl}/welcome-back`);
    await context.close();

    const scans = (await server.api('GET', `/api/v1/codes/${code.id}/scans`)).json.items;
    expect(scans).toHaveLength(2);
    expect(scans.map((s: { device: { os: string }; inWeChat: boolean; bot: boolean }) => [s.device.os, s.inWeChat, s.bot])).toEqual([
      ['ios', true, false],
      ['ios', true, false],
    ]);
    expect(new Set(scans.map((s: { visitorId: string }) => s.visitorId)).size).toBe(1);
  });

  it('shows a readable page for a paused code, in Chinese or in English', async () => {
    const code = (await server.api('POST', '/api/v1/codes', { name: 'paused page', url: `${shopUrl}/x`, paused: true })).json;
    for (const [locale, title] of [['zh-CN', '活动暂停中'], ['en-US', 'Temporarily paused']] as const) {
      const context = await phone(locale);
      const page = await context.newPage();
      const response = await page.goto(`${server.url}/s/${code.slug}`);
      expect(response?.status()).toBe(200);
      expect(await page.locator('h1').innerText()).toBe(title);
      const box = await page.locator('main').boundingBox();
      // The card fits the phone's width: nothing to zoom or scroll sideways.
      expect(box!.width).toBeLessThanOrEqual(390);
      if (locale === 'zh-CN') await page.screenshot({ path: `${process.env.HUOMA_SCREENSHOTS ?? '/tmp'}/huoma-paused-page.png` });
      await context.close();
    }
  });

  it('shows the not-found page for a code that does not exist', async () => {
    const context = await phone();
    const page = await context.newPage();
    const response = await page.goto(`${server.url}/s/Zz9Zz9Zz`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('二维码不存在');
    await context.close();
  });
});
