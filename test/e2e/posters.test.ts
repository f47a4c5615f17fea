import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBoth } from '../support/decode-qr.ts';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('printable posters over HTTP', () => {
  let server: TestServer;
  let code: { id: string; shortUrl: string; slug: string };
  let viewer: string;

  beforeAll(async () => {
    server = await startServer(await engines()[0]!.open());
    code = (await server.api('POST', '/api/v1/codes', { name: '门店海报', url: 'https://shop.example/poster' })).json;
    viewer = await server.token('viewer');
  });
  afterAll(() => server.close());

  const poster = (ext: 'png' | 'pdf', query: string, token = viewer, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/v1/codes/${code.id}/poster.${ext}?${query}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  it('draws a PNG poster at the paper size and dpi whose QR phones read as the short URL', async () => {
    const text = encodeURIComponent('微信扫码 添加专属顾问\n到店领取新人礼');
    const res = await poster('png', `paper=A5&orientation=landscape&dpi=150&text=${text}&textY=16&qrY=62&qrSize=90&fg=1a3c8f&backgroundColor=fff3e0`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent(`门店海报-${code.slug}-poster.png`));
    const png = Buffer.from(await res.arrayBuffer());
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.density]).toEqual([1240, 874, 150]); // 210 × 148 mm at 150 dpi
    expect(await decodeBoth(png)).toEqual({ jsqr: code.shortUrl, zxing: code.shortUrl });
    // The page colour asked for, in the corner.
    const { data } = await sharp(png).extract({ left: 2, top: 2, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([0xff, 0xf3, 0xe0]);
  });

  it('makes a PDF of the paper size, or of a custom size in mm, with the Chinese text in it', async () => {
    const res = await poster('pdf', `text=${encodeURIComponent('扫码领券')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const a4 = await PDFDocument.load(await res.arrayBuffer());
    expect(Object.values(a4.getPage(0).getSize()).map((pt) => pt.toFixed(2))).toEqual(['595.28', '841.89']);
    const custom = await PDFDocument.load(await (await poster('pdf', 'width=100&height=150&dpi=200')).arrayBuffer());
    expect(Object.values(custom.getPage(0).getSize()).map((pt) => pt.toFixed(2))).toEqual(['283.46', '425.20']);
  });

  it('refuses what it cannot print with 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['paper=B9', 'paper'],
      ['dpi=5000', 'dpi'],
      ['qrX=101', 'qrX'],
      ['qrX=95', 'qrX'], // the code would hang off the page
      ['qrSize=400', 'qrSize'],
      ['width=100', 'height'],
      ['fg=ffffff&bg=000000', 'fg'],
      ['textY=60&text=%E6%89%AB%E7%A0%81', 'textY'], // over the code
      [`text=${encodeURIComponent('扫码😀')}`, 'text'],
      [`text=${'码'.repeat(301)}`, 'text'],
      ['paper=A1&dpi=300', 'dpi'],
      ['logo=true', 'logo'],
    ];
    for (const [query, field] of cases) {
      const res = await poster('png', query);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.field, query).toBe(field);
    }
    const zh = await poster('pdf', 'dpi=5000', viewer, { 'accept-language': 'zh-CN' });
    expect((await zh.json()).error.message).toMatch(/dpi/);
  });

  it('fills the page with a material from the library, and refuses one the code may not use, naming background', async () => {
    const uploadAs = async (query: string, token?: string) => {
      const photo = await sharp({ create: { width: 600, height: 800, channels: 3, background: '#2e7d32' } }).jpeg().toBuffer();
      const res = await fetch(`${server.url}/api/v1/materials?${query}`, {
        method: 'POST', headers: { authorization: `Bearer ${token ?? (await server.token())}`, 'content-type': 'image/jpeg' }, body: new Uint8Array(photo),
      });
      expect(res.status).toBe(201);
      return (await res.json()).id as string;
    };
    const material = await uploadAs('name=%E6%B5%B7%E6%8A%A5%E8%83%8C%E6%99%AF&kind=poster');
    const res = await poster('png', `background=${material}&dpi=100&text=${encodeURIComponent('扫码有礼')}&textColor=ffffff`);
    expect(res.status).toBe(200);
    const png = Buffer.from(await res.arrayBuffer());
    expect(await decodeBoth(png)).toEqual({ jsqr: code.shortUrl, zxing: code.shortUrl });
    const { data } = await sharp(png).extract({ left: 3, top: 3, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)].map((c) => Math.round(c / 8))).toEqual([0x2e, 0x7d, 0x32].map((c) => Math.round(c / 8))); // JPEG: near enough
    const pdf = await poster('pdf', `background=${material}&dpi=100`);
    expect(pdf.status).toBe(200);

    const south = (await server.api('POST', '/api/v1/departments', { name: '西南' })).json.id;
    const southKey = (await server.api('POST', '/api/v1/tokens', { name: '西南运营', role: 'operator', departments: [south] })).json.token;
    const theirs = await uploadAs('name=south&kind=poster', southKey);
    for (const id of [theirs, 'mat_nope']) {
      const refused = await poster('png', `background=${id}`);
      expect(refused.status, id).toBe(400);
      expect((await refused.json()).error.field).toBe('background');
    }
  });

  it('keeps another department’s codes out of reach, as qr.png does', async () => {
    const east = (await server.api('POST', '/api/v1/departments', { name: '华东' })).json.id;
    const south = (await server.api('POST', '/api/v1/departments', { name: '华南' })).json.id;
    const eastViewer = (await server.api('POST', '/api/v1/tokens', { name: '华东只读', role: 'viewer', departments: [east] })).json.token;
    const southCode = (await server.api('POST', '/api/v1/codes', { name: '广州海报', url: 'https://shop.example/gz', departmentId: south })).json;
    for (const ext of ['png', 'pdf', 'png?dpi=9999']) {
      const path = `/api/v1/codes/${southCode.id}/poster.${ext}`;
      expect((await server.api('GET', path, undefined, eastViewer)).status, path).toBe(403);
      expect((await server.api('GET', `/api/v1/codes/${southCode.id}/qr.png`, undefined, eastViewer)).status).toBe(403);
    }
    expect((await server.api('GET', '/api/v1/codes/cod_nope/poster.pdf')).status).toBe(404);
  });
});
