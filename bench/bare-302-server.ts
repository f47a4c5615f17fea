// The ceiling for a Node redirect on this machine: node:http answering 302 from a Map, nothing else.
// With `cookies`, it also sends the headers a first scan gets from Huoma (visitor cookies, scan
// id), to show how much of the gap is only the load generator reading bigger responses.
import { randomBytes } from 'node:crypto';
import { createServer, type OutgoingHttpHeaders } from 'node:http';

const [portText = '0', slug = 'bench', mode = 'plain'] = process.argv.slice(2);
const targets = new Map<string, string>();
for (let i = 0; i < 100_000; i++) targets.set(`/s/slug${i}`, `https://shop.example/${i}`);
targets.set(`/s/${slug}`, 'https://shop.example/bench');

const COOKIE = 'Path=/; Max-Age=63072000; HttpOnly; SameSite=Lax';

createServer((req, res) => {
  const location = targets.get(req.url ?? '');
  if (!location) {
    res.writeHead(404).end();
    return;
  }
  const headers: OutgoingHttpHeaders = { location, 'cache-control': 'no-store' };
  if (mode === 'cookies') {
    headers['x-huoma-scan-id'] = randomBytes(11).toString('hex').toUpperCase();
    headers['set-cookie'] = [`hm_vid=${randomBytes(12).toString('base64url')}; ${COOKIE}`, `hm_seen=${slug}; ${COOKIE}`];
  }
  res.writeHead(302, headers).end();
}).listen(Number(portText), '127.0.0.1', () => process.send?.('ready'));
