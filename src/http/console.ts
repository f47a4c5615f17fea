import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Api } from './api.ts';
import { pageHeaders } from './security-headers.ts';

/** Where `npm install` (web/scripts/build.ts) puts the built console. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Scripts only from our own files (Vite emits no inline script). Styles also inline: Ant Design's
 * CSS-in-JS writes <style> elements at run time and its components and ECharts set style
 * attributes; a style cannot run script, and every script stays pinned to 'self'. QR previews
 * are images from our API, and downloads are blob: URLs.
 */
const CONSOLE_PAGE = pageHeaders({
  scripts: ["'self'"],
  styles: ["'self'", "'unsafe-inline'"],
  images: ["'self'", 'data:', 'blob:'],
  connect: ["'self'"],
});

// File names under assets/ carry their content's hash: a new build is new names, so they never go stale.
const IMMUTABLE = 'public, max-age=31536000, immutable';

const notBuilt =
  '<!doctype html><meta charset="utf-8"><title>Huoma</title>' +
  '<p>控制台尚未构建，请运行 <code>npm install</code>（或 <code>npm run build</code>）后重启。</p>' +
  '<p>The console is not built yet: run <code>npm install</code> (or <code>npm run build</code>) and restart.</p>';

async function file(path: string): Promise<Buffer | null> {
  return readFile(path).catch(() => null);
}

async function sendIndex(reply: FastifyReply, dist: string) {
  const index = await file(join(dist, 'index.html'));
  reply.headers(CONSOLE_PAGE).header('cache-control', 'no-cache').type(TYPES['.html']!);
  return index ? reply.send(index) : reply.code(503).send(notBuilt);
}

/**
 * The console: the built single-page app at /console, every path under it that is not a file
 * answered with its index.html (the app's router reads the path), and / leading there.
 */
export function consoleRoutes(http: FastifyInstance, api: Api, dist = CONSOLE_DIST): void {
  for (const url of ['/', '/console']) {
    http.get(url, (_req, reply) => reply.redirect('/console/'));
    api.document({ method: 'GET', url, tag: 'console', summary: 'Leads to the console', responses: { 302: { description: 'To /console/' } } });
  }
  http.get<{ Params: { '*': string } }>('/console/*', async (req, reply) => {
    const wanted = normalize(`/${req.params['*']}`);
    const type = TYPES[extname(wanted)];
    if (wanted.startsWith('/assets/') || type) {
      const body = type ? await file(join(dist, wanted)) : null;
      if (!body) return reply.code(404).type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send('not found');
      if (type === TYPES['.html']) reply.headers(CONSOLE_PAGE);
      return reply.type(type!).header('cache-control', wanted.startsWith('/assets/') ? IMMUTABLE : 'no-cache').send(body);
    }
    return sendIndex(reply, dist);
  });
  api.document({
    method: 'GET', url: '/console/*', tag: 'console',
    summary: 'The console (a single-page app): its files under assets/, and its page for every other path',
    responses: {
      200: { description: 'The page (no-cache) or a hashed file (cached for a year)', contentType: 'text/html' },
      404: { description: 'No such file under assets/' },
      503: { description: 'The console is not built: run npm install or npm run build' },
    },
  });
}
