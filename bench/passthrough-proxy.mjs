// The benchmark's floor: the least a Node proxy can do. One undici pool to the upstream (the same options
// as keypool's Agent: unlimited connections, pipelining 1, 30 s keep-alive, no undici timeouts), request
// and response bodies piped through, key header swapped, nothing else (no balancing, logging, parsing).
import { createRequire } from 'node:module';
import { createServer } from 'node:http';

const require = createRequire(new URL('../apps/api/package.json', import.meta.url));
const { Pool } = require('undici');

const upstream = new URL(process.env.UPSTREAM_URL ?? 'http://127.0.0.1:1');
const pool = new Pool(upstream.origin, { keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
const key = process.env.UPSTREAM_KEY ?? 'bench-key-1';

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    pool
      .request({
        path: req.url,
        method: req.method,
        headers: {
          'content-type': req.headers['content-type'] ?? 'application/json',
          authorization: `Bearer ${key}`,
        },
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      })
      .then(({ statusCode, headers, body }) => {
        // Content-length is passed on when the upstream sent one (as keypool does), so a plain body is
        // not re-chunked: chunked encoding would cost the floor an extra socket write per response.
        const out = { 'content-type': headers['content-type'] ?? 'application/json' };
        if (headers['content-length'] !== undefined) {
          out['content-length'] = headers['content-length'];
        }
        res.writeHead(statusCode, out);
        body.on('data', (c) => {
          if (!res.write(c)) {
            body.pause();
            res.once('drain', () => body.resume());
          }
        });
        body.on('end', () => res.end());
        body.on('error', () => res.destroy());
        res.on('close', () => body.destroy());
      })
      .catch(() => {
        res.writeHead(502).end();
      });
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`passthrough listening on http://127.0.0.1:${server.address().port}\n`);
});
// Exit cleanly on SIGTERM so `--cpu-prof` can write its profile.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
