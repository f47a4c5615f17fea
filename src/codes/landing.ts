import type { Landing } from './code-type.ts';
import type { Decision } from './rules.ts';

/**
 * How a browser is answered for a decision: a redirect where there is somewhere to go, else a page.
 * The types share it; each says what its location step asks the position for.
 */
export function landingOf(decision: Decision, locatePurpose: 'store' | 'destination'): Landing {
  if (decision.action === 'locate') return { kind: 'locate', url: decision.url, purpose: locatePurpose };
  if (decision.action === 'contact') return { kind: 'contact', name: decision.name, avatarUrl: decision.avatarUrl, qrUrl: decision.qrUrl };
  if (decision.url) return { kind: 'redirect', url: decision.url };
  return decision.action === 'redirect' ? { kind: 'unservable' } : { kind: 'inactive', reason: decision.reason };
}
