import { lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { hostOf } from '../shared/hosts.ts';
import { isPrivateAddress, refusedHost, type Resolve } from './address-policy.ts';

export interface SendResult {
  status: number | null;
  error: string | null;
  durationMs: number;
}

export type Send = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

export const resolveAll: Resolve = (hostname) =>
  new Promise((resolve, reject) => lookup(hostname, { all: true }, (err, list) => (err ? reject(err) : resolve(list.map((a) => a.address)))));

/**
 * Connects only to the addresses it has just checked: the DNS answer is vetted inside the socket's
 * own lookup, so a name that turns private between the check and the connection is still refused.
 */
function guardedLookup(allowHosts: ReadonlySet<string>): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, list) => {
      if (err) return callback(err, '', 0);
      const addresses = list as unknown as { address: string; family: number }[];
      if (!allowHosts.has(hostname.toLowerCase()) && addresses.some((a) => isPrivateAddress(a.address))) {
        return callback(Object.assign(new Error(`refused: ${hostname} resolves to a private address`), { code: 'EHUOMAPRIVATE' }), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** POSTs a delivery; 2xx is success, anything else (redirects included) is a failure to retry. */
export function httpSender(allowHosts: ReadonlySet<string>, timeoutMs = 10_000): Send {
  const safeLookup = guardedLookup(allowHosts);
  return async (url, headers, body) => {
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    const host = hostOf(url);
    // Literal addresses never reach the lookup: judge them here.
    if (isIP(host)) {
      const refused = await refusedHost(host, allowHosts, resolveAll);
      if (refused) return { status: null, error: refused, durationMs: took() };
    }
    return new Promise<SendResult>((resolve) => {
      const client = url.startsWith('https:') ? https : http;
      const req = client.request(
        url,
        { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, lookup: safeLookup, timeout: timeoutMs },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? null, error: null, durationMs: took() }));
          res.on('error', (e) => resolve({ status: res.statusCode ?? null, error: e.message, durationMs: took() }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
      req.on('error', (e) => resolve({ status: null, error: e.message, durationMs: took() }));
      req.end(body);
    });
  };
}
