import { readFileSync } from 'node:fs';
import type { PageDesign } from '../codes/page-design.ts';
import type { Refusal } from '../codes/rules.ts';
import { cspHash, pageHeaders, type PagePolicy } from '../http/security-headers.ts';
import type { Lang, Text } from '../i18n/lang.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a <script type="application/json"> block: nothing in it can close the element or open a comment. */
const jsonData = (value: unknown) => JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const STYLE = [
  'body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif;background:#f5f6f8;color:#1f2329;' +
    'display:flex;min-height:100vh;align-items:center;justify-content:center}',
  'main{background:#fff;border-radius:12px;padding:28px 20px;margin:20px;max-width:380px;width:100%;box-sizing:border-box;text-align:center;' +
    'box-shadow:0 2px 12px rgba(0,0,0,.06)}',
  'h1{font-size:20px;margin:0 0 12px}h2{font-size:18px;margin:4px 0 8px}p{font-size:15px;line-height:1.6;color:#646a73;margin:4px 0}' +
    '.label{font-size:13px;margin-top:16px}',
  '.qr{width:220px;height:220px;margin:16px auto 8px;display:block}.avatar{width:56px;height:56px;border-radius:50%;display:block;margin:0 auto 12px}',
  'button{display:block;width:100%;margin:12px 0 0;padding:12px;border-radius:8px;border:1px solid #d0d3d6;background:#fff;font-size:16px}',
  '#allow{background:#1677ff;border-color:#1677ff;color:#fff}.other{font-size:15px;padding:10px}',
  '.guide{display:block;width:calc(100% + 40px);margin:-28px -20px 16px;border-radius:12px 12px 0 0}.guide-text{color:inherit;font-size:16px}',
].join('\n');

/** The location step's script, a real source file read once; inlined, so the page needs no second request. */
const LOCATE_SCRIPT = readFileSync(new URL('./page-scripts/locate.js', import.meta.url), 'utf8');

/**
 * The headers every landing page goes out with: only our own style and script run (by hash), the
 * script talks only to us, images (contact QRs, avatars) come over https from wherever they are kept.
 */
const POLICY: PagePolicy = {
  scripts: [cspHash(LOCATE_SCRIPT)],
  styles: [cspHash(STYLE)],
  images: ["'self'", 'https:', 'data:'],
  connect: ["'self'"],
};
const LANDING_HEADERS = pageHeaders(POLICY);

/** A material's image at its public address on this server (allowed by img-src 'self'). */
const materialUrl = (id: string) => `/m/${encodeURIComponent(id)}`;

/**
 * A code's page design as a second style block: built only from checked hex colours and material
 * ids, so nothing a person typed reaches CSS unescaped; allowed by its own hash (designHeaders).
 */
function designStyle(design: PageDesign | null): string {
  if (!design) return '';
  const rules: string[] = [];
  const color = design.backgroundColor ?? '#f5f6f8';
  if (design.backgroundImageId) rules.push(`body{background:${color} url("${materialUrl(design.backgroundImageId)}") center/cover no-repeat}`);
  else if (design.backgroundColor) rules.push(`body{background:${color}}`);
  if (design.textColor) rules.push(`main,p{color:${design.textColor}}`);
  if (design.accentColor) rules.push(`h1,h2{color:${design.accentColor}}#allow{background:${design.accentColor};border-color:${design.accentColor}}`);
  return rules.join('');
}

/** The headers of a page with this design: the landing pages' own, plus the design's style block by its hash. */
export function designHeaders(design: PageDesign | null): Record<string, string> {
  const style = designStyle(design);
  return style ? pageHeaders({ ...POLICY, styles: [...POLICY.styles!, cspHash(style)] }) : LANDING_HEADERS;
}

/** The design's guide image and text, at the top of the page's card. */
function guide(design: PageDesign | null): string {
  if (!design) return '';
  const image = design.guideImageId ? `<img class="guide" src="${escape(materialUrl(design.guideImageId))}" alt="">` : '';
  const text = design.guideText ? `<p class="guide-text">${escape(design.guideText)}</p>` : '';
  return image + text;
}

/** A small self-contained mobile page, readable in WeChat: nothing from outside but images; a script only where one is needed. */
function shell(lang: Lang, title: string, body: string, script = '', design: PageDesign | null = null): string {
  const style = designStyle(design);
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<title>${escape(title)}</title>
<style>${STYLE}</style>${style ? `<style>${style}</style>` : ''}</head>
<body><main>${guide(design)}${body}</main>${script}</body></html>`;
}

const page = (lang: Lang, title: string, message: string, design: PageDesign | null = null) =>
  shell(lang, title, `<h1>${escape(title)}</h1><p>${escape(message)}</p>`, '', design);

const INACTIVE: Record<Refusal, { title: Text; message: Text }> = {
  paused: {
    title: { 'zh-CN': '活动暂停中', en: 'Temporarily paused' },
    message: { 'zh-CN': '该二维码暂时停止服务，请稍后再试。', en: 'This code is paused for now. Please try again later.' },
  },
  scheduled: {
    title: { 'zh-CN': '活动尚未开始', en: 'Not started yet' },
    message: { 'zh-CN': '该二维码对应的活动还未开始，敬请期待。', en: 'What this code leads to has not started yet. Please come back later.' },
  },
  ended: {
    title: { 'zh-CN': '活动已结束', en: 'This has ended' },
    message: { 'zh-CN': '该二维码对应的活动已经结束，感谢您的关注。', en: 'What this code led to has ended. Thank you for your interest.' },
  },
  limit_reached: {
    title: { 'zh-CN': '名额已满', en: 'Fully claimed' },
    message: { 'zh-CN': '该二维码的参与名额已满，感谢您的关注。', en: 'This code has reached its limit. Thank you for your interest.' },
  },
  device_limit: {
    title: { 'zh-CN': '参与次数已达上限', en: 'Limit reached on this device' },
    message: { 'zh-CN': '您在本设备上的扫码参与次数已达上限，感谢您的关注。', en: 'This device has used all its scans of this code. Thank you for your interest.' },
  },
  off_hours: {
    title: { 'zh-CN': '当前为非工作时间', en: 'Outside working hours' },
    message: { 'zh-CN': '我们的顾问暂时不在线，请在工作时间再次扫码，感谢您的耐心。', en: 'Our team is not at work just now. Please scan again during working hours.' },
  },
  no_staff: {
    title: { 'zh-CN': '暂无可接待的顾问', en: 'Nobody available' },
    message: { 'zh-CN': '当前咨询人数较多，请稍后再次扫码。', en: 'Everyone is busy right now. Please scan again a little later.' },
  },
  archived: {
    title: { 'zh-CN': '二维码已停用', en: 'No longer in use' },
    message: { 'zh-CN': '该二维码已停止使用。', en: 'This code is no longer in use.' },
  },
};

export const inactivePage = (reason: Refusal, lang: Lang, design: PageDesign | null = null) =>
  page(lang, INACTIVE[reason].title[lang], INACTIVE[reason].message[lang], design);

export const notFoundPage = (lang: Lang) =>
  lang === 'en'
    ? page(lang, 'Code not found', 'This QR code does not exist or has been removed. Please check the code you scanned.')
    : page(lang, '二维码不存在', '该二维码不存在或已被删除，请确认扫描的二维码是否正确。');

export const unavailablePage = (lang: Lang) =>
  lang === 'en'
    ? page(lang, 'Busy, please retry', 'We could not handle your scan just now. Please scan again in a moment.')
    : page(lang, '服务繁忙', '暂时无法处理本次扫码，请稍后重新扫码。');

/** A destination stored behind the API that no browser can follow (see servableUrls). */
export const unservablePage = (lang: Lang, design: PageDesign | null = null) =>
  lang === 'en'
    ? page(lang, 'This link cannot be opened', 'Where this code leads is not a valid web address. Please let the organiser know.', design)
    : page(lang, '链接无法打开', '该二维码指向的地址无效，请联系活动方。', design);

export const tooManyPage = (lang: Lang) =>
  lang === 'en'
    ? page(lang, 'Too many scans', 'This network has scanned too often just now. Please wait a moment and scan again.')
    : page(lang, '扫码过于频繁', '当前网络扫码次数过多，请稍候片刻再扫码。');

/** A staff code's answer: the member picked for this scanner and their contact QR, to long-press in WeChat. */
export function contactPage(member: { name: string; avatarUrl: string | null; qrUrl: string }, lang: Lang, design: PageDesign | null = null): string {
  const avatar = member.avatarUrl ? `<img class="avatar" src="${escape(member.avatarUrl)}" alt="">` : '';
  const title = lang === 'en' ? `${member.name} will help you` : `您的专属顾问：${member.name}`;
  const message = lang === 'en' ? 'Press and hold the QR code to add them in WeChat.' : '长按识别下方二维码，添加顾问企业微信';
  const alt = lang === 'en' ? `Contact QR code of ${member.name}` : `${member.name}的联系二维码`;
  const body = `${avatar}<h1>${escape(title)}</h1><p>${escape(message)}</p><img class="qr" src="${escape(member.qrUrl)}" alt="${escape(alt)}">`;
  return shell(lang, title, body, '', design);
}

/** What the location step is for: a region code's store, or a URL code's rule that depends on where the scanner is. */
export type LocatePurpose = 'store' | 'destination';

const ASK_TEXT = {
  store: {
    'zh-CN': {
      title: '为你匹配附近门店',
      purpose: '为了给你匹配附近的门店，请授权位置信息；仅用于本次服务，不会保存你的精确位置。',
      allow: '授权位置并匹配',
      deny: '不授权，直接联系',
      locating: '正在匹配门店…',
    },
    en: {
      title: 'Find a store near you',
      purpose: 'To match you with a store nearby, please share your location. It is used for this visit only; your exact position is not kept.',
      allow: 'Share location and match',
      deny: 'Do not share, just connect me',
      locating: 'Matching a store…',
    },
  },
  destination: {
    'zh-CN': {
      title: '需要你的位置',
      purpose: '该二维码会根据你所在的位置打开对应的内容，请授权位置信息；仅用于本次跳转，不会保存你的位置。',
      allow: '授权位置并继续',
      deny: '不授权，直接打开',
      locating: '正在打开…',
    },
    en: {
      title: 'Your location, please',
      purpose: 'This code opens what is meant for where you are, so please share your location. It is used for this visit only and is not kept.',
      allow: 'Share location and continue',
      deny: 'Do not share, just open it',
      locating: 'Opening…',
    },
  },
} satisfies Record<LocatePurpose, Record<Lang, Record<string, string>>>;

const RESULT_TEXT = {
  'zh-CN': {
    store: '为你匹配的门店',
    away: '距你约',
    staff: '你的专属顾问',
    press: '长按识别二维码，添加顾问',
    others: '换一家门店',
    failed: '暂时无法匹配，请稍后重新扫码。',
  },
  en: {
    store: 'Your store',
    away: 'About',
    staff: 'Your advisor',
    press: 'Press and hold the QR code to add them',
    others: 'Choose another store',
    failed: 'We could not match you just now. Please scan again later.',
  },
} satisfies Record<Lang, Record<string, string>>;

/**
 * The location step's page: says why it wants the location before the browser asks, then its script
 * posts the position (or the refusal) to `locateUrl` and shows the matched store and member's QR, or
 * follows the URL decided. The script's text is the same for every page; what varies travels as data.
 */
export function locatePage(lang: Lang, locateUrl: string, scanId: string, purpose: LocatePurpose, design: PageDesign | null = null): string {
  const ask = ASK_TEXT[purpose][lang];
  const data = { url: locateUrl, scanId, text: { ...RESULT_TEXT[lang], locating: ask.locating } };
  const body =
    `<section id="ask"><h1>${escape(ask.title)}</h1><p id="purpose">${escape(ask.purpose)}</p>` +
    `<button id="allow">${escape(ask.allow)}</button><button id="deny">${escape(ask.deny)}</button></section>
<p id="status" hidden></p><section id="result"></section>`;
  const script = `<script type="application/json" id="page-data">${jsonData(data)}</script><script>${LOCATE_SCRIPT}</script>`;
  return shell(lang, ask.title, body, script, design);
}
