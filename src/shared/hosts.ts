/** A URL's host as allow-lists name it: lower case, an IPv6 address without its brackets. */
export const hostOf = (url: string) => new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** A comma-separated allow-list (`HUOMA_*_ALLOW_HOSTS`) as the hosts it names, written as `hostOf` writes them. */
export const hostList = (text: string): ReadonlySet<string> =>
  new Set(text.split(',').map((h) => h.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase()).filter(Boolean));
