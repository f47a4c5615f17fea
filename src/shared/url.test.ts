import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpUrl, normalizeHttpUrl } from './url.ts';

describe('httpUrl', () => {
  it('keeps the WHATWG form: punycode host, percent-encoded path, query and fragment', () => {
    expect(httpUrl.parse('https://shop.example/双十一?a=活码')).toBe('https://shop.example/%E5%8F%8C%E5%8D%81%E4%B8%80?a=%E6%B4%BB%E7%A0%81');
    expect(httpUrl.parse('  https://例子.测试  ')).toBe('https://xn--fsqu00a.xn--0zwm56d/');
    expect(httpUrl.parse('HTTP://A.Example:80/a/./b/../c d#片')).toBe('http://a.example/a/c%20d#%E7%89%87');
  });

  it('refuses control characters anywhere, saying which', () => {
    for (const c of ['\r', '\n', '\0', '\t', '\x7f', '\u0085', '\u2028', '\u2029', '\u202e', '\u2067', '\u200e', '\u061c']) {
      const result = httpUrl.safeParse(`https://a.example/x${c}`);
      expect(result.success, JSON.stringify(c)).toBe(false);
      expect(result.error!.issues[0]!.message).toContain(`U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
    }
  });

  it('refuses what is not an absolute http(s) URL, or too long once encoded', () => {
    const bads = [
      'javascript:alert(1)', 'ftp://a.example/', '//a.example/', 'https://', 'a.example', 'https://a.example:99999/',
      `https://a.example/${'汉'.repeat(300)}`,
    ];
    for (const bad of bads) {
      expect(httpUrl.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('whatever it accepts is a valid Location header, and normalising it again changes nothing', () => {
    const heads = fc.constantFrom('https://a.example/', 'http://例子.测试/', 'https://a.example/?q=');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), heads, (tail, head) => {
        const result = httpUrl.safeParse(head + tail);
        if (!result.success) return;
        expect(result.data).toMatch(/^https?:\/\/[\x21-\x7e]+$/);
        expect(() => validateHeaderValue('location', result.data)).not.toThrow();
        expect(normalizeHttpUrl(result.data)).toBe(result.data);
      }),
      { numRuns: 500 },
    );
  });
});
