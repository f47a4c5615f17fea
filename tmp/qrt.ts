import { qrPng, normalizeLogo } from '/work/main/src/qr/render.ts';
import sharp from 'sharp';
import jsQR from 'jsqr';
const text = 'http://localhost:8080/s/AbCd2345';
const logoSrc = await sharp({ create: { width: 200, height: 200, channels: 4, background: '#e4393c' } }).png().toBuffer();
const logo = { mime: 'image/png', data: await normalizeLogo(logoSrc) };
for (const [size, ecl, withLogo] of [[64,'L',false],[200,'M',false],[512,'H',true],[300,'Q',true],[1024,'M',false]] as const) {
  const t = performance.now();
  const png = await qrPng(text, { size, margin: 4, ecl, fg: '#000000', bg: '#ffffff', logo: withLogo ? logo : null });
  const ms = performance.now() - t;
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const r = jsQR(new Uint8ClampedArray(data), info.width, info.height);
  console.log(size, ecl, withLogo, info.width, r?.data === text, ms.toFixed(1));
  if (size === 512) await sharp(png).toFile('/tmp/qr512.png');
}
