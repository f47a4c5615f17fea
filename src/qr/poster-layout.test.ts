import { describe, expect, it } from 'vitest';
import { placePoster, wrap, type PosterSpec } from './poster-layout.ts';

// Every character one em wide: enough to check where lines break and where things land.
const measure = (text: string) => [...text].length;
const spec = (overrides: Partial<PosterSpec> = {}, text: Partial<PosterSpec['text']> = {}): PosterSpec => ({
  page: { width: 210, height: 297 },
  dpi: 300,
  background: { color: '#ffffff', image: null },
  qr: { x: 50, y: 60, size: 90 },
  ...overrides,
  text: { content: '扫码添加客服', size: 32, color: '#000000', y: 20, ...text },
});

describe('wrapping guide text', () => {
  it('breaks between hanzi, never before closing punctuation, and not inside a Latin word', () => {
    expect(wrap('微信扫码添加专属顾问', 4, measure)).toEqual(['微信扫码', '添加专属', '顾问']);
    expect(wrap('扫码添加，领取', 4, measure)).toEqual(['扫码添加，', '领取']);
    expect(wrap('扫码 Huoma', 5, measure)).toEqual(['扫码', 'Huoma']);
    expect(wrap('', 5, measure)).toEqual(['']);
  });
});

describe('placing the QR and the text', () => {
  it('centres the QR where asked and the text lines across the page, above it', () => {
    const placed = placePoster(spec(), measure);
    if (!('layout' in placed)) throw new Error(placed.message);
    const { qr, lines, em } = placed.layout;
    expect(qr).toEqual({ left: 60, top: 297 * 0.6 - 45, size: 90 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.left).toBeCloseTo((210 - 6 * em) / 2);
    expect(lines[0]!.baseline).toBeLessThan(qr.top);
  });

  it('names the parameter to change when something does not fit', () => {
    const problem = (s: PosterSpec) => {
      const placed = placePoster(s, measure);
      return 'field' in placed ? placed.field : null;
    };
    expect(problem(spec({ qr: { x: 95, y: 60, size: 90 } }))).toBe('qrX');
    expect(problem(spec({ qr: { x: 50, y: 2, size: 90 } }))).toBe('qrY');
    expect(problem(spec({ qr: { x: 50, y: 50, size: 250 } }))).toBe('qrSize');
    expect(problem(spec({ dpi: 36, qr: { x: 50, y: 50, size: 30 } }))).toBe('qrSize');
    expect(problem(spec({ page: { width: 594, height: 841 } }))).toBe('dpi');
    expect(problem(spec({}, { y: 60 }))).toBe('textY');
    expect(problem(spec({}, { y: 1 }))).toBe('textY');
    expect(problem(spec({}, { content: '字'.repeat(300), size: 300 }))).toBe('textSize');
    expect(problem(spec())).toBeNull();
  });
});
