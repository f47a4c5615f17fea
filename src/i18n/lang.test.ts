import { describe, expect, it } from 'vitest';
import { negotiateLang, pickLang } from './lang.ts';

describe('language negotiation', () => {
  it('takes the most preferred of Chinese and English, weighing q-values', () => {
    expect(negotiateLang('zh-CN,zh;q=0.9,en;q=0.8', 'en')).toBe('zh-CN');
    expect(negotiateLang('en;q=0.5, zh-TW;q=0.9', 'en')).toBe('zh-CN');
    expect(negotiateLang('fr-FR, en;q=0.7, zh;q=0.3', 'zh-CN')).toBe('en');
    expect(negotiateLang('zh;q=0, en;q=0.1', 'zh-CN')).toBe('en');
  });

  it('falls back when the client names neither', () => {
    expect(negotiateLang(undefined, 'en')).toBe('en');
    expect(negotiateLang('de, fr', 'zh-CN')).toBe('zh-CN');
    expect(pickLang(undefined, undefined)).toBe('zh-CN');
    expect(pickLang('en', 'zh-CN')).toBe('en');
  });
});
