import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const WECHAT_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 MicroMessenger/8.0.50';
const SQUARE = { lat: 31.2304, lng: 121.4737 }; // People's Square, Shanghai
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Landing pages in a phone's browser: their own script runs under their policy, and nothing is refused. */
describe.skipIf(!hasChromium)('landing pages in a real browser', () => {
  let browser: Browser;
  let server: TestServer;
  const slugs: Record<string, string> = {};
  let design: { backgroundImageId: string; guideImageId: string; guideText: string; textColor: string; accentColor: string };

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startServer(await engines()[0]!.open());
    const code = async (body: object) => (await server.api('POST', '/api/v1/codes', body)).json.slug as string;
    const member = (await server.api('POST', '/api/v1/staff', { name: '店长', contactQrUrl: 'https://wework.example/qr/店长.png' })).json.id;
    const store = (await server.api('POST', '/api/v1/stores', {
      name: '人民广场店', province: '上海', city: '上海', address: '人民大道 1 号', ...SQUARE, staffIds: [member],
    })).json.id;
    slugs.near = await code({
      type: 'url', name: '到店有礼', url: 'https://shop.example/default', rules: [{ when: { near: { ...SQUARE, km: 2 } }, url: 'https://shop.example/near' }],
    });
    slugs.region = await code({ type: 'region', name: '门店码', storeIds: [store], serviceArea: { mode: 'distance', km: 5 }, backupStaffIds: [member] });
    slugs.contact = await code({ type: 'staff', name: '导购码', members: [{ staffId: member }], backupStaffIds: [member] });
    slugs.ended = await code({ type: 'url', name: '已结束', url: 'https://shop.example/a', validUntil: '2026-01-01T00:00:00Z' });
    const material = async (name: string, colour: string, width: number, height: number) => {
      const image = await sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();
      const res = await fetch(`${server.url}/api/v1/materials?name=${name}&kind=page`, {
        method: 'POST', headers: { authorization: `Bearer ${await server.token()}`, 'content-type': 'image/png' }, body: new Uint8Array(image),
      });
      return (await res.json()).id as string;
    };
    design = {
      backgroundImageId: await material('bg', '#2255aa', 60, 120), guideImageId: await material('guide', '#ee3322', 350, 120),
      guideText: '扫码添加顾问，领取新人礼', textColor: '#333333', accentColor: '#cc0000',
    };
    slugs.designed = await code({ type: 'staff', name: '设计导购码', members: [{ staffId: member }], backupStaffIds: [member], page: design });
    slugs.designedRegion = await code({
      type: 'region', name: '设计门店码', storeIds: [store], serviceArea: { mode: 'distance', km: 5 }, backupStaffIds: [member], page: design,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A phone at People's Square that lets pages know where it is; outside hosts answer from here, never the network. */
  async function phone(): Promise<{ context: BrowserContext; refused: string[] }> {
    const context = await browser.newContext({
      userAgent: WECHAT_ANDROID, locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true,
      geolocation: { latitude: SQUARE.lat + 0.004, longitude: SQUARE.lng }, permissions: ['geolocation'],
    });
    await context.route((url) => url.hostname.endsWith('.example'), (route) =>
      route.request().url().endsWith('.png')
        ? route.fulfill({ contentType: 'image/png', body: PIXEL })
        : route.fulfill({ contentType: 'text/html', body: `<title>${new URL(route.request().url()).pathname}</title>` }),
    );
    const refused: string[] = [];
    // Both ways a browser tells of a refusal: the DOM event (seen by a script of ours, which CSP never blocks) and the console.
    await context.exposeFunction('reportRefusal', (what: string) => refused.push(what));
    await context.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { reportRefusal(s: string): void }).reportRefusal(`${e.violatedDirective} ${e.blockedURI}`),
      ),
    );
    context.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    return { context, refused };
  }

  const open = async (context: BrowserContext, slug: string): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`${server.url}/s/${slug}`);
    return page;
  };

  it('a URL code with a `near` rule says why, then with the position granted ends at the rule\'s destination', async () => {
    const { context, refused } = await phone();
    const page = await open(context, slugs.near!);
    expect(await page.textContent('#purpose')).toContain('根据你所在的位置');
    await page.click('#allow');
    await page.waitForURL('https://shop.example/near');
    expect(refused).toEqual([]);
    await context.close();
  });

  it('a URL code with a `near` rule sends a scanner who declines to the default URL', async () => {
    const { context } = await phone();
    const page = await open(context, slugs.near!);
    await page.click('#deny');
    await page.waitForURL('https://shop.example/default');
    await context.close();
  });

  it('no landing page has anything refused by its policy, and the contact QR shows', async () => {
    const { context, refused } = await phone();
    const region = await open(context, slugs.region!);
    await region.click('#allow');
    await region.waitForSelector('#store-name');
    expect(await region.textContent('#store-name')).toBe('人民广场店');
    await region.waitForFunction(() => (document.querySelector('.qr') as HTMLImageElement | null)?.complete === true);
    expect(await region.$eval('.qr', (img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
    const contact = await open(context, slugs.contact!);
    await contact.waitForFunction(() => (document.querySelector('.qr') as HTMLImageElement | null)?.complete === true);
    expect(await contact.$eval('.qr', (img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
    await open(context, slugs.ended!);
    await open(context, 'Nothing404');
    expect(refused).toEqual([]);

    // The watch works: a script slipped into a page is refused, and seen.
    await contact.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'document.title = "injected"';
      document.body.append(s);
    });
    await expect.poll(() => refused.length).toBeGreaterThan(0);
    expect(await contact.title()).not.toBe('injected');
    await context.close();
  });

  it('a page design shows its background and guide on a phone, on the staff and the store-match page, nothing refused', async () => {
    const { context, refused } = await phone();
    for (const slug of [slugs.designed!, slugs.designedRegion!]) {
      const page = await open(context, slug);
      await page.waitForFunction(() => (document.querySelector('.guide') as HTMLImageElement | null)?.complete === true);
      // The guide spans the card's width at the top; the background covers the page behind it.
      const guide = await page.$eval('.guide', (img) => {
        const i = img as HTMLImageElement;
        return { natural: i.naturalWidth, width: i.getBoundingClientRect().width, card: i.parentElement!.getBoundingClientRect().width };
      });
      expect(guide.natural).toBe(350);
      expect(guide.width).toBe(guide.card);
      expect(await page.textContent('.guide-text')).toBe('扫码添加顾问，领取新人礼');
      const body = await page.evaluate(() => getComputedStyle(document.body).backgroundImage);
      expect(body).toContain(`/m/${design.backgroundImageId}`);
      expect(await page.$eval('h1, h2', (h) => getComputedStyle(h).color)).toBe('rgb(204, 0, 0)');
      // The background really loads (an image the page's policy refused would not).
      const loaded = await page.evaluate(async (url) => {
        const img = new Image();
        img.src = url;
        await img.decode();
        return img.naturalHeight;
      }, `/m/${design.backgroundImageId}`);
      expect(loaded).toBe(120);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: `${process.env.HUOMA_SCREENSHOTS ?? '/tmp'}/huoma-designed-${slug === slugs.designed ? 'staff' : 'region'}-page.png` });
    }
    expect(refused).toEqual([]);
    await context.close();
  });
});
