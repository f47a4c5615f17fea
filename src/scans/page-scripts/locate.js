// @ts-check
// The location step of a landing page (region codes, and URL codes whose rules use `near`). The page
// says why it asks before the browser does; this posts the position (with consent) or the refusal to
// the code's locate URL, then shows the answer (a store and its member's QR) or follows it (a URL).
// Plain JavaScript that browsers run as it is, with no build step; tsc checks it through its JSDoc.
// Inlined by the server, allowed by its hash: its text never changes per request (data comes from
// the page's JSON block), and nothing here builds markup from strings.
(() => {
  'use strict';

  /**
   * @typedef {{ action: string, url?: string | null, name?: string, qrUrl?: string, fallback?: boolean, distanceKm?: number | null }} Decision
   * @typedef {{ name: string, address: string, attributes?: Record<string, unknown> }} Store
   * @typedef {{ decision?: Decision, store?: Store | null, others?: { id: string, name: string }[] }} Answer
   * @typedef {{ consent: boolean, lat?: number, lng?: number, storeId?: string }} Choice
   */

  /** @param {string} id */
  const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const data = /** @type {{ url: string, scanId: string, text: Record<string, string> }} */ (JSON.parse(byId('page-data').textContent ?? '{}'));
  const text = data.text;
  const status = byId('status');

  /**
   * @param {string} tag
   * @param {string} content
   * @param {{ id?: string, className?: string }} [attrs]
   */
  const el = (tag, content, attrs = {}) => {
    const node = document.createElement(tag);
    node.textContent = content;
    if (attrs.id) node.id = attrs.id;
    if (attrs.className) node.className = attrs.className;
    return node;
  };

  /** @param {Answer} answer @param {Choice} choice */
  const show = (answer, choice) => {
    const d = answer.decision ?? { action: 'none' };
    if (d.action !== 'contact') {
      // A URL (a rule's, the default, an ended code's page): go there, leaving this step out of the history.
      if (d.url) location.replace(d.url);
      else status.textContent = text.failed ?? '';
      return;
    }
    /** @type {HTMLElement[]} */
    const out = [];
    if (answer.store && !d.fallback) {
      out.push(el('p', text.store ?? '', { className: 'label' }), el('h2', answer.store.name, { id: 'store-name' }), el('p', answer.store.address));
      if (d.distanceKm != null) out.push(el('p', `${text.away} ${d.distanceKm} km`, { id: 'distance' }));
      for (const [key, value] of Object.entries(answer.store.attributes ?? {})) out.push(el('p', `${key}：${value}`, { className: 'attr' }));
    }
    const qr = document.createElement('img');
    qr.className = 'qr';
    qr.alt = '';
    qr.src = d.qrUrl ?? '';
    out.push(el('p', text.staff ?? '', { className: 'label' }), el('h2', d.name ?? '', { id: 'staff-name' }), qr, el('p', text.press ?? ''));
    const others = answer.others ?? [];
    if (others.length) out.push(el('p', text.others ?? '', { className: 'label' }));
    for (const other of others) {
      const button = el('button', other.name, { className: 'other' });
      button.addEventListener('click', () => send({ ...choice, storeId: other.id }));
      out.push(button);
    }
    status.hidden = true;
    const result = byId('result');
    result.textContent = '';
    result.append(...out);
  };

  /** @param {Choice} choice */
  const send = async (choice) => {
    byId('ask').hidden = true;
    status.hidden = false;
    status.textContent = text.locating ?? '';
    try {
      const res = await fetch(data.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ scanId: data.scanId, coordSystem: 'wgs84', ...choice }),
      });
      show(/** @type {Answer} */ (await res.json()), choice);
    } catch {
      status.textContent = text.failed ?? '';
    }
  };

  byId('allow').addEventListener('click', () => {
    if (!navigator.geolocation) return void send({ consent: false });
    navigator.geolocation.getCurrentPosition(
      (p) => send({ consent: true, lat: p.coords.latitude, lng: p.coords.longitude }),
      () => send({ consent: false }),
      { timeout: 10000, maximumAge: 60000 },
    );
  });
  byId('deny').addEventListener('click', () => send({ consent: false }));
})();
