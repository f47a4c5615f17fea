/** A host as allow-lists name it: lower case, an IPv6 address without its brackets. */
const bare = (host: string) => host.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** A URL's host as allow-lists name it. */
export const hostOf = (url: string) => bare(new URL(url).hostname);

/** A comma-separated allow-list (`HUOMA_*_ALLOW_HOSTS`) as the hosts it names, written as `hostOf` writes them. */
export const hostList = (text: string): ReadonlySet<string> => new Set(text.split(',').map((h) => bare(h.trim())).filter(Boolean));
