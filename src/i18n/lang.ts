export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * The client's most preferred of our languages by Accept-Language (q-values honoured, any `zh-*`
 * read as Simplified Chinese, any `en-*` as English), or `fallback` when it names neither.
 */
export function negotiateLang(acceptLanguage: string | undefined, fallback: Lang): Lang {
  let best: { lang: Lang; q: number } | null = null;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const lang = tag.startsWith('zh') ? 'zh-CN' : tag.startsWith('en') ? 'en' : null;
    const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    if (lang && q > 0 && (best === null || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? fallback;
}

/** Pages: Simplified Chinese unless the client asks for English first (`?lang=en` or Accept-Language). */
export function pickLang(query: unknown, acceptLanguage: string | undefined): Lang {
  if (query === 'en' || query === 'zh-CN') return query;
  return negotiateLang(acceptLanguage, 'zh-CN');
}

/** One text in both languages, chosen at the edge. */
export type Text = Record<Lang, string>;
