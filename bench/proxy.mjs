// `pnpm bench` (first half): keypool's proxy against calling the mock directly and against a minimal
// undici pass-through proxy, for non-stream and streamed chat completions (streams twice: as a plain
// request, and with the client's own `stream_options.include_usage`).
//
// Env: BENCH_DURATION_S (default 10) per run, BENCH_CONCURRENCY (64), BENCH_KEYS (10),
//      BENCH_SOAK_S (0 = no soak; 300 for the 5-minute RSS soak), BENCH_SOAK_WARMUP_S (180).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedLoop, mergeRuns, openLoop, sleep } from './lib/load.mjs';
import { cpuTimeUs, rssOf, spawnNode } from './lib/processes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DURATION_MS = Number(process.env.BENCH_DURATION_S ?? 10) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const KEYS = Number(process.env.BENCH_KEYS ?? 10);
const SOAK_MS = Number(process.env.BENCH_SOAK_S ?? 0) * 1000;
const SOAK_WARMUP_MS = Number(process.env.BENCH_SOAK_WARMUP_S ?? 180) * 1000;
// Targets take turns in short rounds, so a burst of other load on a shared machine hits all of them alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MASTER_KEY = 'bench-master-key';
const ADMIN_PASSWORD = 'bench-admin-password';

const KEYPOOL_MAIN = join(root, 'apps/api/dist/main.js');
const MOCK_CLI = join(root, 'packages/mock-upstream/dist/cli.js');
for (const file of [KEYPOOL_MAIN, MOCK_CLI]) {
  if (!existsSync(file)) {
    console.error(`bench: ${file} is missing; run the build first (pnpm build).`);
    process.exit(1);
  }
}

const chatBody = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello to the benchmark.' }],
};
const streamBody = { ...chatBody, stream: true };
// The same stream for a client that asks for usage itself: keypool then adds and strips nothing, so the
// comparison shows keypool's own cost apart from what its include_usage costs the upstream.
const usageStreamBody = { ...streamBody, stream_options: { include_usage: true } };

async function main() {
  const mock = await spawnNode(MOCK_CLI, {
    args: ['--port', '0', '--no-record'],
    pattern: /mock upstream listening on (\S+)/,
    name: 'mock upstream',
  });
  const passthrough = await spawnNode(join(root, 'bench/passthrough-proxy.mjs'), {
    env: { UPSTREAM_URL: mock.url },
    pattern: /passthrough listening on (\S+)/,
    name: 'pass-through proxy',
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'keypool-bench-'));
  const keypool = await spawnNode(KEYPOOL_MAIN, {
    env: {
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_PASSWORD,
      MASTER_API_KEY: MASTER_KEY,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      REDIS_URL: '',
    },
    pattern: /keypool listening on (\S+)/,
    name: 'keypool',
  });
  try {
    await configureKeypool(keypool.url, `${mock.url}/v1`);
    const targets = {
      direct: { url: mock.url, headers: { authorization: 'Bearer bench-key-1' }, pid: null },
      passthrough: { url: passthrough.url, headers: {}, pid: passthrough.child.pid },
      keypool: {
        url: keypool.url,
        headers: { authorization: `Bearer ${MASTER_KEY}` },
        pid: keypool.child.pid,
      },
    };
    const results = { machine: machine(), config: { DURATION_MS, CONCURRENCY, KEYS }, runs: {} };
    const rssSamples = [];
    const sampler = setInterval(() => rssSamples.push(rssOf(keypool.child.pid).rss), 500);

    for (const [mode, body] of [
      ['non-stream', chatBody],
      ['stream', streamBody],
      ['stream+usage', usageStreamBody],
    ]) {
      const rounds = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
      for (let round = 1; round <= ROUNDS; round++) {
        for (const [name, target] of Object.entries(targets)) {
          process.stderr.write(
            `bench: ${name} ${mode} round ${round}/${ROUNDS} (${CONCURRENCY} connections)\n`,
          );
          rounds[name].push(
            await withCpu({ proxy: target.pid, mock: mock.child.pid }, (onMeasure) =>
              closedLoop({
                url: target.url,
                path: '/v1/chat/completions',
                body,
                headers: target.headers,
                concurrency: CONCURRENCY,
                durationMs: DURATION_MS / ROUNDS,
                onMeasure,
              }),
            ),
          );
        }
      }
      for (const name of Object.keys(targets)) {
        results.runs[`${name} ${mode}`] = mergeRuns(rounds[name]);
      }
    }

    // Added latency at half of keypool's peak non-stream throughput: same open-loop rate, direct vs keypool.
    // Let keypool's log writer drain what the saturation runs buffered, so this run measures latency alone.
    results.logDrain = await waitForLogDrain(keypool.url);
    const halfRps = Math.max(1, Math.round(results.runs['keypool non-stream'].rps / 2));
    for (const name of ['direct', 'keypool']) {
      process.stderr.write(`bench: ${name} at ${halfRps} req/s (half of keypool's peak)\n`);
      const run = await withCpu({ proxy: targets[name].pid, mock: mock.child.pid }, (onMeasure) =>
        openLoop({
          url: targets[name].url,
          path: '/v1/chat/completions',
          body: chatBody,
          headers: targets[name].headers,
          rps: halfRps,
          durationMs: DURATION_MS,
          onMeasure,
        }),
      );
      results.runs[`${name} @50%`] = mergeRuns([run]);
    }
    clearInterval(sampler);
    results.keypoolPeakRssBytes = rssOf(keypool.child.pid).peak;
    results.keypoolRssSamples = summariseRss(rssSamples);

    if (SOAK_MS > 0) {
      results.soak = await soak(keypool, targets.keypool);
    }

    const r = results.runs;
    results.ratios = {
      nonStream: r['keypool non-stream'].rps / r['passthrough non-stream'].rps,
      stream: r['keypool stream'].rps / r['passthrough stream'].rps,
      streamWithUsage: r['keypool stream+usage'].rps / r['passthrough stream+usage'].rps,
    };
    results.addedLatencyP50AtHalfLoadMs = r['keypool @50%'].p50 - r['direct @50%'].p50;
    print(results);
    const dir = join(root, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `proxy-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    for (const run of Object.values(results.runs)) {
      delete run.raw;
    }
    writeFileSync(file, JSON.stringify(results, null, 2));
    console.log(`\nresults written to ${file}`);
  } finally {
    await keypool.stop();
    await passthrough.stop();
    await mock.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Runs `load` and adds to its result the CPU time each process used in the measured part of the run: the
 * proxy under test, the mock, and this process (the load generator). On a machine the three share, a
 * proxy's throughput is set by their sum, so these show where a gap between two proxies comes from.
 */
async function withCpu(pids, load) {
  const read = () => ({
    load: process.cpuUsage(),
    ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid ? cpuTimeUs(pid) : null])),
  });
  let start = null;
  let end = null;
  const run = await load((phase) => {
    if (phase === 'start') {
      start = read();
    } else {
      end = read();
    }
  });
  run.raw.cpuUs = { load: end.load.user + end.load.system - start.load.user - start.load.system };
  for (const k of Object.keys(pids)) {
    run.raw.cpuUs[k] = end[k] !== null && start[k] !== null ? end[k] - start[k] : null;
  }
  return run;
}

async function configureKeypool(url, upstreamBaseUrl) {
  const call = async (method, path, body, token) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    }
    return text ? JSON.parse(text) : null;
  };
  const { accessToken } = await call('POST', '/api/auth/login', { password: ADMIN_PASSWORD });
  const upstream = await call(
    'POST',
    '/api/upstreams',
    { name: 'bench-mock', baseUrl: upstreamBaseUrl, format: 'openai', modelPatterns: ['*'] },
    accessToken,
  );
  const secrets = Array.from({ length: KEYS }, (_, i) => `bench-key-${i + 1}`).join('\n');
  await call('POST', '/api/keys/bulk', { upstreamId: upstream.id, secrets }, accessToken);
  // Let the catalog pick the keys up (it reloads on change).
  for (let i = 0; i < 50; i++) {
    const probe = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` },
      body: JSON.stringify(chatBody),
    });
    await probe.arrayBuffer();
    if (probe.ok) {
      return;
    }
    await sleep(100);
  }
  throw new Error('keypool never answered a chat completion after setup');
}

async function soak(keypool, target) {
  // Warm up first at the soak's own load (heap sizing, JIT, the log writer's buffer reaching its steady
  // size after the saturation runs), so the comparison is between two minutes of steady state.
  process.stderr.write(`bench: soak warm-up ${SOAK_WARMUP_MS / 1000} s (not sampled)\n`);
  await alternatingLoad(target, SOAK_WARMUP_MS);
  process.stderr.write(`bench: soak ${SOAK_MS / 1000} s (alternating non-stream / stream)\n`);
  const samples = [];
  const sample = () => samples.push({ t: Date.now(), rss: rssOf(keypool.child.pid).rss });
  sample();
  const sampler = setInterval(sample, 5_000);
  const requests = await alternatingLoad(target, SOAK_MS);
  clearInterval(sampler);
  sample();
  // Flat = the last minute's floor (lowest sample) within ±10% of the first minute's. RSS saws up and
  // down with the old generation's collections, often less than once a minute under this load, so a
  // minute's mean or median depends on where one tooth falls; the floor, right after a collection, is
  // what rises when memory leaks. Medians and the range are reported too.
  const start = samples[0].t;
  const end = samples.at(-1).t;
  const first = samples.filter((s) => s.t <= start + 60_000);
  const last = samples.filter((s) => s.t >= end - 60_000);
  const median = (xs) => {
    const sorted = xs.map((s) => s.rss).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  const floor = (xs) => Math.min(...xs.map((s) => s.rss));
  const drift = floor(last) / floor(first) - 1;
  const all = samples.map((s) => s.rss);
  return {
    warmupS: SOAK_WARMUP_MS / 1000,
    requests,
    samples: samples.map((s) => ({
      s: Math.round((s.t - start) / 1000),
      rssMiB: +(s.rss / 1048576).toFixed(1),
    })),
    firstMinuteFloorRss: floor(first),
    lastMinuteFloorRss: floor(last),
    firstMinuteMedianRss: median(first),
    lastMinuteMedianRss: median(last),
    minRss: Math.min(...all),
    maxRss: Math.max(...all),
    drift,
  };
}

/** Closed-loop load for `ms`, switching between non-stream and stream every 30 s; returns requests served. */
async function alternatingLoad(target, ms) {
  const end = Date.now() + ms;
  let round = 0;
  let requests = 0;
  while (Date.now() < end - 500) {
    const run = await closedLoop({
      url: target.url,
      path: '/v1/chat/completions',
      body: round++ % 2 ? streamBody : chatBody,
      headers: target.headers,
      concurrency: CONCURRENCY,
      durationMs: Math.min(30_000, end - Date.now()),
      warmupMs: 0,
    });
    requests += run.requests;
  }
  return requests;
}

/**
 * Waits until keypool's request-log buffer is empty (its `keypool_log_buffer_rows` gauge), at most 60 s.
 * Returns the backlog found and how long it took to write.
 */
async function waitForLogDrain(url) {
  const buffered = async () => {
    const response = await fetch(`${url}/metrics`);
    const text = await response.text();
    const match = /^keypool_log_buffer_rows (\d+)/m.exec(text);
    return match ? Number(match[1]) : null;
  };
  const started = Date.now();
  const backlog = await buffered();
  if (backlog === null) {
    await sleep(5_000); // no gauge (metrics off): a fixed pause
    return { backlogRows: null, drainMs: null };
  }
  let rows = backlog;
  while (rows > 0 && Date.now() - started < 60_000) {
    await sleep(250);
    rows = (await buffered()) ?? 0;
  }
  await sleep(1_000);
  return { backlogRows: backlog, drainMs: Date.now() - started };
}

function summariseRss(samples) {
  const nonzero = samples.filter(Boolean);
  return { samples: nonzero.length, max: Math.max(0, ...nonzero), last: nonzero.at(-1) ?? 0 };
}

function machine() {
  const list = cpus();
  return {
    cpus: list.length,
    model: list[0]?.model ?? 'unknown',
    node: process.version,
    platform: process.platform,
  };
}

/** Prints a table: the first column left-aligned, the others right-aligned, each as wide as it needs. */
function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((row) => console.log(line(row)));
}

/** CPU of the proxy, the mock and the load generator together (a missing figure counts as 0). */
function cpuSum(c) {
  return [c.proxy, c.mock, c.load].reduce((a, v) => a + (v ?? 0), 0);
}

/** CPU µs per request of each process in every run that measured it (see `withCpu`). */
function printCpu(runs) {
  const fmt = (v) => (v === null || v === undefined ? '-' : v.toFixed(0));
  const rows = Object.entries(runs)
    .filter(([, r]) => r.cpuPerRequestUs)
    .map(([name, r]) => {
      const c = r.cpuPerRequestUs;
      return [name, fmt(c.proxy), fmt(c.mock), fmt(c.load), fmt(cpuSum(c))];
    });
  if (rows.length === 0) {
    return;
  }
  printTable(['CPU µs per request', 'proxy', 'mock', 'load generator', 'all'], rows);
  // Open-loop requests arrive one by one (no batching per wake-up), so they cost more CPU each than at
  // saturation; the half-load run may keep the machine busier than "half" suggests.
  const half = runs['keypool @50%']?.cpuBusy;
  if (half) {
    const pct = (v) => (v === null ? '-' : `${Math.round(v * 100)}%`);
    const cores = cpus().length;
    console.log(
      `\nCPU during keypool @50%: keypool ${pct(half.proxy)}, mock ${pct(half.mock)}, load generator ` +
        `${pct(half.load)} of one core; ${Math.round((cpuSum(half) / cores) * 100)}% of the machine's ${cores} cores`,
    );
  }
  console.log('');
}

function print(results) {
  const fmt = (v, d = 1) => (v === null || v === undefined ? '-' : v.toFixed(d));
  const rows = Object.entries(results.runs).map(([name, r]) => [
    name,
    fmt(r.rps, 0),
    fmt(r.p50, 2),
    fmt(r.p99, 2),
    name.includes('stream') && !name.includes('non-stream') ? fmt(r.ttfbP50, 2) : '-',
    String(r.errors),
  ]);
  const m = results.machine;
  console.log(`\nkeypool proxy benchmark — ${m.cpus} × ${m.model}, Node ${m.node}`);
  console.log(
    `${CONCURRENCY} connections, ${DURATION_MS / 1000} s per target (${ROUNDS} interleaved rounds), ${KEYS} keys, request logging on\n`,
  );
  printTable(['run', 'req/s', 'p50 ms', 'p99 ms', 'TTFB p50 ms', 'errors'], rows);
  console.log('');
  printCpu(results.runs);
  console.log(`keypool / pass-through, non-stream: ${fmt(results.ratios.nonStream, 2)}× (target ≥ 0.6)`);
  console.log(`keypool / pass-through, stream:     ${fmt(results.ratios.stream, 2)}× (target ≥ 0.8)`);
  console.log(
    `keypool / pass-through, stream when the client asks for usage itself: ${fmt(results.ratios.streamWithUsage, 2)}×`,
  );
  console.log(
    `p50 added latency at 50% load:      ${fmt(results.addedLatencyP50AtHalfLoadMs, 2)} ms (target ≤ 1)`,
  );
  console.log(`keypool peak RSS:                   ${fmt(results.keypoolPeakRssBytes / 1048576, 0)} MiB`);
  if (results.logDrain?.backlogRows !== null && results.logDrain?.backlogRows !== undefined) {
    console.log(
      `request-log backlog after the saturation runs: ${results.logDrain.backlogRows} rows, written in ${fmt(results.logDrain.drainMs / 1000, 1)} s`,
    );
  }
  if (results.soak) {
    const s = results.soak;
    console.log(
      `soak RSS floor (first → last minute): ${fmt(s.firstMinuteFloorRss / 1048576, 0)} → ${fmt(s.lastMinuteFloorRss / 1048576, 0)} MiB (${fmt(s.drift * 100, 1)}%, target ±10%)\n` +
        `soak RSS medians: ${fmt(s.firstMinuteMedianRss / 1048576, 0)} → ${fmt(s.lastMinuteMedianRss / 1048576, 0)} MiB; range ${fmt(s.minRss / 1048576, 0)}–${fmt(s.maxRss / 1048576, 0)} MiB`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
