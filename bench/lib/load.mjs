import { createRequire } from 'node:module';

const require = createRequire(new URL('../../apps/api/package.json', import.meta.url));
const { Pool } = require('undici');

/**
 * Closed-loop load: `concurrency` workers each send the next request as soon as the previous one ended,
 * for `durationMs`. Latency = request start → last body byte; TTFB = start → first body byte.
 */
export async function closedLoop({ url, path, body, headers, concurrency, durationMs, warmupMs = 1_000 }) {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const payload = Buffer.from(JSON.stringify(body));
  const stats = newStats();
  let measuring = false;
  let stopAt = Date.now() + warmupMs + durationMs;
  const worker = async () => {
    while (Date.now() < stopAt) {
      await one(pool, path, payload, headers, measuring ? stats : null);
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  await sleep(warmupMs);
  measuring = true;
  const started = Date.now();
  stopAt = started + durationMs;
  await Promise.all(workers);
  const elapsed = (Date.now() - started) / 1000;
  await pool.close();
  return summarise(stats, elapsed);
}

/**
 * Open-loop load at a fixed rate (requests are started on schedule whatever the latency), to measure
 * latency at a given throughput rather than at saturation.
 */
export async function openLoop({ url, path, body, headers, rps, durationMs, maxConnections = 256 }) {
  const pool = new Pool(url, { connections: maxConnections, pipelining: 1, keepAliveTimeout: 30_000 });
  const payload = Buffer.from(JSON.stringify(body));
  const stats = newStats();
  const interval = 1000 / rps;
  const total = Math.floor((durationMs / 1000) * rps);
  const started = performance.now();
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) {
      await sleep(wait);
    }
    inflight.push(one(pool, path, payload, headers, stats));
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return summarise(stats, elapsed);
}

async function one(pool, path, payload, headers, stats) {
  const t0 = performance.now();
  let ttfb = null;
  try {
    const { statusCode, body } = await pool.request({
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: payload,
    });
    for await (const _chunk of body) {
      ttfb ??= performance.now() - t0;
    }
    if (stats) {
      if (statusCode !== 200) {
        stats.errors++;
        return;
      }
      stats.latencies.push(performance.now() - t0);
      if (ttfb !== null) {
        stats.ttfbs.push(ttfb);
      }
    }
  } catch {
    if (stats) {
      stats.errors++;
    }
  }
}

function newStats() {
  return { latencies: [], ttfbs: [], errors: 0 };
}

/** Combines runs of the same target (interleaved rounds) into one summary. */
export function mergeRuns(runs) {
  const stats = newStats();
  let elapsed = 0;
  for (const run of runs) {
    stats.latencies.push(...run.raw.latencies);
    stats.ttfbs.push(...run.raw.ttfbs);
    stats.errors += run.raw.errors;
    elapsed += run.raw.elapsedS;
  }
  return summarise(stats, elapsed);
}

function summarise(stats, elapsedS) {
  const lat = stats.latencies.sort((a, b) => a - b);
  const ttfb = stats.ttfbs.sort((a, b) => a - b);
  return {
    raw: { ...stats, elapsedS },
    requests: lat.length,
    errors: stats.errors,
    rps: lat.length / elapsedS,
    p50: percentile(lat, 0.5),
    p99: percentile(lat, 0.99),
    ttfbP50: percentile(ttfb, 0.5),
    ttfbP99: percentile(ttfb, 0.99),
  };
}

function percentile(sorted, q) {
  if (sorted.length === 0) {
    return null;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
