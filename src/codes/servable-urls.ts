import { normalizeHttpUrl } from '../shared/url.ts';
import type { CodeConfig } from './model.ts';

/**
 * A stored configuration with every scan destination in the form a Location header takes. Rows
 * saved before URLs were normalised, or written behind the API, are repaired where a browser could
 * have followed them; a destination nobody can follow becomes none (null, or '' for a rule), so
 * the scan shows a page instead of failing. `unservable` names the fields that were dropped.
 */
export function servableUrls(stored: CodeConfig): { config: CodeConfig; unservable: string[] } {
  const unservable: string[] = [];
  const serve = (url: string | null, field: string): string | null => {
    if (url === null) return null;
    const fixed = normalizeHttpUrl(url);
    if (fixed === null) unservable.push(field);
    return fixed;
  };
  const config = {
    ...stored,
    url: serve(stored.url, 'url'),
    rules: stored.rules.map((rule, i) => ({ ...rule, url: serve(rule.url, `rules.${i}.url`) ?? '' })),
    expiredUrl: serve(stored.expiredUrl, 'expiredUrl'),
    deviceLimit: stored.deviceLimit && { ...stored.deviceLimit, url: serve(stored.deviceLimit.url, 'deviceLimit.url') },
  } as CodeConfig;
  return { config, unservable };
}
