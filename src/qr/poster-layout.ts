/** Paper sizes in millimetres, portrait (ISO 216). */
export const PAPERS = { A6: [105, 148], A5: [148, 210], A4: [210, 297], A3: [297, 420], A2: [420, 594], A1: [594, 841] } as const;
export type Paper = keyof typeof PAPERS;

/** What a poster is asked to be: lengths in mm, positions in % of the page, type size in points. */
export interface PosterSpec {
  page: { width: number; height: number };
  dpi: number;
  background: { color: string; image: Uint8Array | null };
  /** Centre of the QR code and its side. */
  qr: { x: number; y: number; size: number };
  /** Guide text, centred on the page at height `y`; lines split on "\n" and wrapped to the page. */
  text: { content: string; size: number; color: string; y: number };
}

export interface PlacedLine {
  text: string;
  left: number;
  baseline: number;
}

/** Where everything goes, in mm from the page's top left: the one plan both the PNG and the PDF draw. */
export interface PosterLayout {
  page: { width: number; height: number };
  qr: { left: number; top: number; size: number };
  /** The text's em in mm. */
  em: number;
  lines: PlacedLine[];
}

export type Placement = { layout: PosterLayout } | { field: string; message: string };

export const POSTER_FORMATS = ['png', 'pdf'] as const;
export type PosterFormat = (typeof POSTER_FORMATS)[number];
/** The poster's file, or the parameter to change when it cannot be drawn as asked (an error would lose its field crossing threads). */
export type PosterResult = { file: Uint8Array } | { field: string; message: string };

/** Width of a text in ems, as the font lays it out. */
export type Measure = (text: string) => number;

export const MM_PER_INCH = 25.4;
const POINTS_PER_INCH = 72;
/** Pixels one poster may have: an A2 at 300 dpi (35 MP) fits; beyond, ask for a lower dpi. */
export const MAX_POSTER_PIXELS = 36_000_000;
/** Below this the nearest-module drawing of the QR loses modules to rounding. */
const MIN_QR_PIXELS = 64;
const LINE_HEIGHT = 1.4; // em
/** Text keeps this share of the page's width free at the sides. */
const TEXT_WIDTH = 0.88;
/** Hanzi sit between about -0.12 and 0.88 em of the baseline: this puts a line's ink in its middle. */
const BASELINE_BELOW_MIDDLE = 0.38;
// No line starts with closing punctuation (禁则): it stays on the line before.
const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕”’,.;:?!)]}%…—～·']);
const WORD = /[A-Za-z0-9]/;

export const pixels = (mm: number, dpi: number) => Math.round((mm * dpi) / MM_PER_INCH);
export const points = (mm: number) => (mm * POINTS_PER_INCH) / MM_PER_INCH;

/** A paragraph cut into lines no wider than `width` ems: anywhere between hanzi, between Latin words only. */
export function wrap(paragraph: string, width: number, measure: Measure): string[] {
  const chars = [...paragraph];
  if (chars.length === 0) return [''];
  const lines: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = start + 1;
    while (end < chars.length && measure(chars.slice(start, end + 1).join('')) <= width) end++;
    if (end < chars.length) {
      while (end < chars.length && NO_LINE_START.has(chars[end]!)) end++;
      let wordStart = end;
      while (wordStart > start && WORD.test(chars[wordStart - 1]!) && WORD.test(chars[wordStart]!)) wordStart--;
      if (wordStart > start) end = wordStart;
    }
    lines.push(chars.slice(start, end).join('').trim());
    start = end;
    while (chars[start] === ' ') start++;
  }
  return lines;
}

const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Places the QR and the text, or says which parameter to change when they do not fit. */
export function placePoster(spec: PosterSpec, measure: Measure): Placement {
  const { width, height } = spec.page;
  if (pixels(width, spec.dpi) * pixels(height, spec.dpi) > MAX_POSTER_PIXELS) {
    const most = MAX_POSTER_PIXELS.toLocaleString('en-US');
    return { field: 'dpi', message: `a ${width}×${height} mm poster at ${spec.dpi} dpi exceeds ${most} pixels: lower the dpi` };
  }
  const { size } = spec.qr;
  if (size > Math.min(width, height)) return { field: 'qrSize', message: `qrSize ${size} mm does not fit on a ${width}×${height} mm page` };
  if (pixels(size, spec.dpi) < MIN_QR_PIXELS) return { field: 'qrSize', message: `qrSize must be at least ${MIN_QR_PIXELS} px at ${spec.dpi} dpi` };
  const qr = { left: (spec.qr.x / 100) * width - size / 2, top: (spec.qr.y / 100) * height - size / 2, size };
  if (qr.left < 0 || qr.left + size > width) return { field: 'qrX', message: 'qrX puts part of the QR code off the page' };
  if (qr.top < 0 || qr.top + size > height) return { field: 'qrY', message: 'qrY puts part of the QR code off the page' };

  const em = (spec.text.size / POINTS_PER_INCH) * MM_PER_INCH;
  const texts = spec.text.content === '' ? [] : spec.text.content.split('\n').flatMap((p) => wrap(p, (width * TEXT_WIDTH) / em, measure));
  const blockTop = (spec.text.y / 100) * height - (texts.length * LINE_HEIGHT * em) / 2;
  const lines = texts.map((text, i) => {
    const lineWidth = measure(text) * em;
    return { text, left: (width - lineWidth) / 2, baseline: blockTop + (i + 0.5) * LINE_HEIGHT * em + BASELINE_BELOW_MIDDLE * em };
  });
  if (lines.length > 0) {
    const block = { left: Math.min(...lines.map((l) => l.left)), top: blockTop, bottom: blockTop + lines.length * LINE_HEIGHT * em };
    if (block.bottom - block.top > height) {
      return { field: 'textSize', message: `the text takes ${lines.length} lines at ${spec.text.size} pt: more than the page holds` };
    }
    if (block.top < 0 || block.bottom > height) return { field: 'textY', message: 'textY puts part of the text off the page' };
    const qrBox = { left: qr.left, right: qr.left + size, top: qr.top, bottom: qr.top + size };
    if (overlap({ ...block, right: width - block.left }, qrBox)) {
      return { field: 'textY', message: 'the text would cover the QR code and stop phones reading it: move textY or qrY' };
    }
  }
  return { layout: { page: { width, height }, qr, em, lines } };
}
