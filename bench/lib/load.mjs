import { createRequire } from 'node:module';

const require = createRequire(new URL('../../apps/api/package.json', import.meta.url));
const { Pool } = require('undici');

/**
 * Closed-loop load: `concurrency` workers each send the next request as soon as the previous one ended,
 * for `durationMs` after `warmupMs`. Latency = request start → last body byte; TTFB = start → first body
 * byte. `onMeasure` is called when the warm-up ends and again when the measured time is over.
 */
export async function closedLoop({
  url,
  path,
  body,
  headers,
  concurrency,
  durationMs,
  warmupMs = 1_000,
  onMeasure = () => {},
}) {
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
  onMeasure('start');
  const started = Date.now();
  stopAt = started + durationMs;
  await Promise.all(workers);
  const elapsed = (Date.now() - started) / 1000;
  onMeasure('end');
  await pool.close();
  return summarise(stats, elapsed);
}

/**
 * Open-loop load at a fixed rate (requests are started on schedule whatever the latency), to measure
 * latency at a given throughput rather than at saturation.
 */
export async function openLoop({
  url,
  path,
  body,
  headers,
  rps,
  durationMs,
  maxConnections = 256,
  onMeasure = () => {},
}) {
  const pool = new Pool(url, { connections: maxConnections, pipelining: 1, keepAliveTimeout: 30_000 });
  const payload = Buffer.from(JSON.stringify(body));
  const stats = newStats();
  const interval = 1000 / rps;
  const total = Math.floor((durationMs / 1000) * rps);
  onMeasure('start');
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
  onMeasure('end');
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

/**
 * Combines runs of the same target (interleaved rounds) into one summary. Where the runs carry CPU
 * times (`raw.cpuUs`, µs per process), the summary has `cpuPerRequestUs`, each process's total over the
 * requests answered, and `cpuBusy`, the share of one core it kept busy.
 */
export function mergeRuns(runs) {
  const stats = newStats();
  let elapsed = 0;
  const cpu = {};
  for (const run of runs) {
    // concat, not push(...): a fast round answers more requests than a call may take arguments.
    stats.latencies = stats.latencies.concat(run.raw.latencies);
    stats.ttfbs = stats.ttfbs.concat(run.raw.ttfbs);
    stats.errors += run.raw.errors;
    elapsed += run.raw.elapsedS;
    for (const [name, us] of Object.entries(run.raw.cpuUs ?? {})) {
      cpu[name] = us === null || cpu[name] === null ? null : (cpu[name] ?? 0) + us;
    }
  }
  const summary = summarise(stats, elapsed);
  const answered = summary.requests + summary.errors;
  if (Object.keys(cpu).length > 0 && answered > 0) {
    summary.cpuPerRequestUs = Object.fromEntries(
      Object.entries(cpu).map(([name, us]) => [name, us === null ? null : us / answered]),
    );
    // Share of one core each process kept busy.
    summary.cpuBusy = Object.fromEntries(
      Object.entries(cpu).map(([name, us]) => [name, us === null ? null : us / 1e6 / elapsed]),
    );
  }
  return summary;
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
