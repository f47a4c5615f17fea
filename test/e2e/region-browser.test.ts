import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const WECHAT_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 MicroMessenger/8.0.50';

/** A phone's browser on a region code's landing page, its location granted or denied. */
describe.skipIf(!hasChromium)('a region code in a real browser', () => {
  let browser: Browser;
  let server: TestServer;
  let slug: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startServer(await engines()[0]!.open());
    for (const name of ['徐汇', '浦东', '值班']) {
      ids[name] = (await server.api('POST', '/api/v1/staff', { name: `${name}顾问`, contactQrUrl: `${server.url}/qr-${encodeURIComponent(name)}.png` })).json.id;
    }
    const store = async (name: string, lat: number, lng: number) =>
      (await server.api('POST', '/api/v1/stores', {
        name, province: '上海', city: '上海', address: `${name} 1 号`, lat, lng, staffIds: [ids[name.slice(0, 2)]], attributes: { 'SUV 余量': 2 },
      })).json.id;
    const stores = [await store('徐汇店', 31.19, 121.43), await store('浦东店', 31.22, 121.54)];
    slug = (await server.api('POST', '/api/v1/codes', {
      type: 'region', name: '门店码', storeIds: stores, serviceArea: { mode: 'distance', km: 5 }, backupStaffIds: [ids['值班']],
    })).json.slug;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const phone = (geolocation?: { latitude: number; longitude: number }) =>
    browser.newContext({
      userAgent: WECHAT_ANDROID, locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true,
      ...(geolocation ? { geolocation, permissions: ['geolocation'] } : { permissions: [] }),
    });

  it('says why it asks, then with location granted shows the nearest store, its live attributes and its member\'s QR', async () => {
    const context = await phone({ latitude: 31.221, longitude: 121.539 });
    const page = await context.newPage();
    await page.goto(`${server.url}/s/${slug}`);
    await expect.poll(() => page.textContent('#purpose')).toContain('仅用于本次服务');
    await page.click('#allow');
    await page.waitForSelector('#store-name');
    expect(await page.textContent('#store-name')).toBe('浦东店');
    expect(await page.textContent('#staff-name')).toBe('浦东顾问');
    expect(await page.textContent('#distance')).toMatch(/约 0\.\d+ km/);
    expect(await page.textContent('#result')).toContain('SUV 余量：2');
    expect(await page.getAttribute('.qr', 'src')).toBe(`${server.url}/qr-${encodeURIComponent('浦东')}.png`);
    await context.close();
  });

  it('with location denied by the browser, takes the backup path', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(`${server.url}/s/${slug}`);
    await page.click('#allow');
    await page.waitForSelector('#staff-name');
    expect(await page.textContent('#staff-name')).toBe('值班顾问');
    expect(await page.$('#store-name')).toBeNull();
    await context.close();
  });
});
