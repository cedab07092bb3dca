#!/usr/bin/env node
// keypool demo: a mock provider, a keypool on ./data/demo with a pool of fake keys (one flaky, one
// rate-limited), and gentle background traffic so the dashboard has something to show.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const mockDist = join(root, 'packages', 'mock-upstream', 'dist', 'index.js');
const keypoolMain = join(root, 'apps', 'api', 'dist', 'main.js');

const HELP = `usage: pnpm demo [--port 4270] [--rate 2]

Starts a mock OpenAI-compatible provider and keypool (DATA_DIR ./data/demo), creates an upstream with
five fake keys (one flaky, one rate-limited) through the admin API, and sends plain and streamed chat
completions in the background (default 2 requests/s, at most 3) until Ctrl-C.

It builds nothing: run \`pnpm build\` first.
Environment: ADMIN_PASSWORD (default demo-password), MASTER_API_KEY (default demo-master-key).`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : args[index + 1];
};
const port = Number(option('--port', process.env.PORT ?? '4270'));
const rate = Math.min(3, Math.max(0.2, Number(option('--rate', '2'))));
const adminPassword = process.env.ADMIN_PASSWORD ?? 'demo-password';
const masterKey = process.env.MASTER_API_KEY ?? 'demo-master-key';

for (const file of [mockDist, keypoolMain]) {
  if (!existsSync(file)) {
    console.error(`Missing ${file}. The demo builds nothing: run \`pnpm build\` first.`);
    process.exit(1);
  }
}

// Set once traffic starts; shutdown() clears them.
let traffic;
let report;
let stopping = false;

const { startMockUpstream } = createRequire(import.meta.url)(mockDist);

/** The pool: secrets and how the mock treats each one. */
const DEMO_KEYS = [
  { secret: 'sk-demo-steady-0001', behavior: {} },
  { secret: 'sk-demo-steady-0002', behavior: {} },
  { secret: 'sk-demo-slow-0003', behavior: { latencyMs: 400 } },
  { secret: 'sk-demo-flaky-0004', behavior: { flaky: { probability: 0.35, seed: 4 } } },
  { secret: 'sk-demo-limited-0005', behavior: { budget: { requests: 3, windowMs: 30_000 } } },
];

const mock = await startMockUpstream({ record: false, defaultBehavior: { chunkDelayMs: 60, chunkCount: 8 } });
for (const { secret, behavior } of DEMO_KEYS) {
  mock.setBehavior(secret, { chunkDelayMs: 60, chunkCount: 8, ...behavior });
}

const keypool = spawn(process.execPath, [keypoolMain], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: process.env.HOST ?? '127.0.0.1',
    DATA_DIR: join(root, 'data', 'demo'),
    ADMIN_PASSWORD: adminPassword,
    MASTER_API_KEY: masterKey,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
keypool.stderr.pipe(process.stderr);

const url = await new Promise((resolveUrl, reject) => {
  let seen = '';
  const timer = setTimeout(() => reject(new Error(`keypool did not start within 30 s:\n${seen}`)), 30_000);
  keypool.stdout.on('data', (chunk) => {
    seen += chunk.toString();
    const match = /keypool listening on (http:\/\/\S+)/.exec(seen);
    if (match) {
      clearTimeout(timer);
      resolveUrl(match[1]);
    }
  });
  keypool.once('exit', (code) => reject(new Error(`keypool exited with ${code}:\n${seen}`)));
}).catch(async (error) => {
  console.error(String(error.message ?? error));
  await mock.close();
  process.exit(1);
});
keypool.stdout.pipe(process.stdout);

async function api(method, path, body, token) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

/** Creates the demo upstream, or points the existing one (from an earlier run) at this run's mock. */
async function provision() {
  const { accessToken } = await api('POST', '/api/auth/login', { password: adminPassword });
  const baseUrl = `${mock.url}/v1`;
  const listed = await api('GET', '/api/upstreams', undefined, accessToken);
  const existing = (Array.isArray(listed) ? listed : (listed?.items ?? [])).find(
    (u) => u.name === 'demo-mock',
  );
  const upstream = existing
    ? await api('PATCH', `/api/upstreams/${existing.id}`, { baseUrl, enabled: true }, accessToken)
    : await api(
        'POST',
        '/api/upstreams',
        { name: 'demo-mock', baseUrl, format: 'openai', modelPatterns: ['*'] },
        accessToken,
      );
  const bulk = await api(
    'POST',
    '/api/keys/bulk',
    { upstreamId: upstream.id, secrets: DEMO_KEYS.map((k) => k.secret).join('\n'), tags: ['demo'] },
    accessToken,
  );
  return { upstream, added: bulk?.added ?? 0 };
}

let provisioned;
try {
  provisioned = await provision();
} catch (error) {
  console.error(`Could not set up the demo through the admin API: ${error.message}`);
  await shutdown(1);
}

console.log(`
keypool demo is running
  UI            ${url}/ui   (password: ${adminPassword})
  API docs      ${url}/docs
  Proxy         ${url}/v1   (OpenAI SDK: baseURL "${url}/v1", apiKey "${masterKey}")
  Mock provider ${mock.url}/v1
  Upstream "demo-mock" with ${DEMO_KEYS.length} keys (${provisioned.added} added now): steady x2, slow, flaky (35% 5xx), rate-limited (3 per 30 s)
Sending ~${rate} requests/s (plain + streamed). Ctrl-C to stop.
`);

const tally = new Map();
let inFlight = 0;
let sent = 0;
const MAX_IN_FLIGHT = 3;

async function oneRequest() {
  const stream = sent % 3 === 2;
  sent += 1;
  inFlight += 1;
  let label;
  try {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${masterKey}` },
      body: JSON.stringify({
        model: sent % 5 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
        stream,
        messages: [{ role: 'user', content: `demo question number ${sent}` }],
      }),
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    label = `${stream ? 'stream' : 'plain'} ${res.status}`;
  } catch (error) {
    label = `${stream ? 'stream' : 'plain'} ${error.name}`;
  } finally {
    inFlight -= 1;
  }
  tally.set(label, (tally.get(label) ?? 0) + 1);
}

traffic = setInterval(
  () => {
    if (inFlight < MAX_IN_FLIGHT) {
      void oneRequest();
    }
  },
  Math.round(1000 / rate),
);

report = setInterval(() => {
  const parts = [...tally.entries()].sort().map(([label, count]) => `${label}: ${count}`);
  console.log(`[demo] last 15 s: ${parts.join(', ') || 'no requests'}`);
  tally.clear();
}, 15_000);

async function shutdown(code = 0) {
  if (stopping) {
    return;
  }
  stopping = true;
  clearInterval(traffic);
  clearInterval(report);
  if (keypool.exitCode === null) {
    const exited = new Promise((done) => keypool.once('exit', done));
    keypool.kill('SIGTERM');
    const killer = setTimeout(() => keypool.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
  await mock.close();
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
keypool.once('exit', (code) => {
  if (!stopping) {
    console.error(`keypool exited unexpectedly (code ${code})`);
    void shutdown(1);
  }
});
