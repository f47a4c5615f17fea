// The ceiling for a Node redirect on this machine: node:http answering 302 from a Map, nothing else.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const targets = new Map<string, string>();
for (let i = 0; i < 100_000; i++) targets.set(`/s/slug${i}`, `https://shop.example/${i}`);
for (const slug of process.argv.slice(3)) targets.set(`/s/${slug}`, 'https://shop.example/bench');

createServer((req, res) => {
  const location = targets.get(req.url ?? '');
  if (location) {
    res.writeHead(302, { location, 'cache-control': 'no-store' });
  } else {
    res.writeHead(404);
  }
  res.end();
}).listen(port, '127.0.0.1', () => process.send?.('ready'));
