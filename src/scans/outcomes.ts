/**
 * Outcomes of a scan that reached a destination: a redirect, a member's contact page, or the
 * location step's page (a region code's, which goes on to match a store, or a URL code's with a
 * `near` rule). Repeats and refusals (paused, ended, limit_reached, device_limit, off_hours,
 * no_staff…) are not served. Caps and reports count these.
 */
export const SERVED_OUTCOMES: readonly string[] = ['redirect', 'contact', 'locate'];
