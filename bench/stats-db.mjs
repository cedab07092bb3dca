// Stats and log-page latency at 5 million request-log rows, on SQLite or on Postgres.
// Seeds bench/results/stats-<rows>.sqlite (or, with --postgres, the database keypool_bench_<rows> on that
// server) once, reused while it exists (rows generated in SQL, see lib/stats-seed.mjs); then times the same
// service code the API runs (built apps/api/dist) against it, and a retention pass that deletes one day
// in batches while log batches keep being written.
// Usage: node bench/stats-db.mjs [--rows N] [--reseed] [--retention-batch N] [--postgres postgres://…]
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRollups, pgRunner, seedLogs, sqlRunner } from './lib/stats-seed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'apps/api/dist');
if (!existsSync(join(dist, 'main.js'))) {
  console.error('Build the API first: npx -y pnpm@10.34.9 --filter @keypool/api build');
  process.exit(1);
}
const require = createRequire(join(root, 'apps/api/package.json'));
require('reflect-metadata');
const { DataSource } = require('typeorm');
const load = (p) => require(join(dist, p));
const { ENTITIES } = load('database/entities.js');
const { SQLITE_MIGRATIONS } = load('database/migrations/sqlite/index.js');
const { POSTGRES_MIGRATIONS } = load('database/migrations/postgres/index.js');
const { LogStore } = load('modules/logs/store/log-store.js');
const { LogBatch } = load('modules/logs/store/log-batch.js');
const { createLogSqlExecutor } = load('modules/logs/store/log-sql-executor.js');
const { LogsRepository } = load('modules/logs/logs.repository.js');
const { LogsService } = load('modules/logs/logs.service.js');
const { StatsRepository } = load('modules/stats/stats.repository.js');
const { StatsService } = load('modules/stats/stats.service.js');
const { DEFAULT_SETTINGS } = load('modules/settings/settings.defaults.js');
const { LATENCY_BOUNDS_MS } = load('modules/stats/rollups/latency-histogram.js');
const { GRAIN_RETENTION_MS } = load('modules/stats/rollups/rollup-grain.js');
const sqlite3 = require('sqlite3');
const pg = require('pg');

const args = process.argv.slice(2);
const argValue = (name) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);
const ROWS = argValue('--rows') || 5_000_000;
const RETENTION_BATCH = argValue('--retention-batch') || 2000;
const DAY = 86_400_000;
const SPAN_DAYS = 30;
const POSTGRES_URL = args.includes('--postgres') ? args[args.indexOf('--postgres') + 1] : null;
const results = join(root, 'bench/results');
const file = join(results, `stats-${ROWS}.sqlite`);
mkdirSync(results, { recursive: true });
const database = POSTGRES_URL ? postgresDatabase() : sqliteDatabase();
if (args.includes('--reseed')) {
  await database.drop();
}

const upstreams = ['up-openai', 'up-groq', 'up-anthropic'];
const models = {
  'up-openai': ['gpt-4o', 'gpt-4o-mini'],
  'up-groq': ['llama-3.3-70b', 'qwen-32b'],
  'up-anthropic': ['claude-sonnet', 'claude-haiku'],
};
const keys = upstreams.flatMap((u) => [0, 1, 2, 3].map((i) => ({ id: `${u}-key-${i}`, upstream: u })));
const clients = ['client-web', 'client-batch', 'client-ci', 'client-dev', null];
const kinds = [
  [0.88, 'success', 200],
  [0.05, 'rate_limited', 429],
  [0.02, 'key_invalid', 401],
  [0.03, 'upstream_error', 502],
  [0.02, 'client_cancel', 499],
];

/** Deterministic pseudo-random numbers so every seed is the same. */
let state = 42;
const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;

function row(i, ts) {
  const key = keys[i % keys.length];
  const model = models[key.upstream][(i >> 4) % 2];
  let p = rand();
  let kind = kinds[0];
  for (const k of kinds) {
    if (p < k[0]) {
      kind = k;
      break;
    }
    p -= k[0];
  }
  const [, outcome, status] = kind;
  const ok = outcome === 'success';
  const latency = Math.round(80 + rand() * rand() * 4000);
  const statusClass =
    outcome === 'client_cancel'
      ? 'cancelled'
      : status === 429
        ? '429'
        : status < 400
          ? '2xx'
          : status < 500
            ? '4xx'
            : '5xx';
  return {
    ts,
    requestId: `r${i}`,
    clientKeyId: clients[i % clients.length],
    method: 'POST',
    path: '/v1/chat/completions',
    format: 'openai',
    modelRequested: model,
    modelResolved: model,
    upstreamId: key.upstream,
    keyId: key.id,
    attempts: [{ keyId: key.id, upstreamId: key.upstream, outcome, status, durationMs: latency }],
    status,
    outcome,
    statusClass,
    stream: i % 3 === 0,
    latencyMs: latency,
    ttfbMs: ok ? Math.round(latency / 3) : null,
    promptTokens: ok ? 200 : null,
    completionTokens: ok ? 50 : null,
    totalTokens: ok ? 250 : null,
    cachedTokens: null,
    reasoningTokens: null,
    error: ok ? null : `upstream answered ${status}${i % 100000 === 7 ? ' needle-xyzzy' : ''}`,
    clientIp: '10.0.0.1',
    requestBody: null,
    responseBody: null,
  };
}

/** The seeded SQLite file, and its copy for the retention pass. */
function sqliteDatabase() {
  const copy = join(results, 'stats-retention.sqlite');
  const remove = (path) => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  };
  return {
    name: file,
    dialect: 'sqlite',
    open: (path = file) =>
      new DataSource({
        type: 'sqlite',
        database: path,
        entities: ENTITIES,
        migrations: SQLITE_MIGRATIONS,
        enableWAL: true,
        busyTimeout: 5000,
      }).initialize(),
    drop: async () => remove(file),
    /** A raw connection without journal or fsync for seeding (rebuilt from scratch on failure). */
    async seedWith(fn) {
      const db = await new Promise((res, rej) => {
        const h = new sqlite3.Database(file, (e) => (e ? rej(e) : res(h)));
      });
      await fn(sqlRunner(db));
      await sqlRunner(db).exec('PRAGMA journal_mode = WAL');
      await new Promise((res) => db.close(res));
    },
    async beforeCopy(ds) {
      await ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
    },
    async copy() {
      remove(copy);
      copyFileSync(file, copy);
      return this.open(copy);
    },
    dropCopy: async () => remove(copy),
  };
}

/** A database of its own on the given Postgres server, and a copy of it (CREATE DATABASE … TEMPLATE). */
function postgresDatabase() {
  const name = `keypool_bench_${ROWS}`;
  const copyName = `${name}_retention`;
  const urlOf = (db) => {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${db}`;
    return url.toString();
  };
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    name: `${name} on ${new URL(POSTGRES_URL).host}`,
    dialect: 'postgres',
    async open(db = name) {
      const exists = await admin(`SELECT 1 FROM pg_database WHERE datname = '${db}'`);
      if (exists.length === 0) {
        await admin(`CREATE DATABASE "${db}"`);
      }
      return new DataSource({
        type: 'postgres',
        url: urlOf(db),
        entities: ENTITIES,
        migrations: POSTGRES_MIGRATIONS,
      }).initialize();
    },
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}"`),
    async seedWith(fn) {
      const client = new pg.Client({ connectionString: urlOf(name) });
      await client.connect();
      try {
        await fn(pgRunner(client));
      } finally {
        await client.end();
      }
    },
    async beforeCopy() {},
    async copy() {
      await admin(`DROP DATABASE IF EXISTS "${copyName}"`);
      await admin(`CREATE DATABASE "${copyName}" TEMPLATE "${name}"`);
      return this.open(copyName);
    },
    dropCopy: () => admin(`DROP DATABASE IF EXISTS "${copyName}"`),
  };
}

async function open() {
  const ds = await database.open();
  await ds.runMigrations();
  if (database.dialect === 'sqlite') {
    await ds.query('DROP TABLE IF EXISTS sqlite_stat1'); // from a seed made before it stopped analyzing
  }
  await ds.query('CREATE TABLE IF NOT EXISTS bench_meta (k TEXT PRIMARY KEY, v TEXT)');
  return ds;
}

async function seed(end) {
  const t0 = Date.now();
  const progress = (msg) =>
    process.stdout.write(`\r  ${msg} (${((Date.now() - t0) / 1000).toFixed(0)} s)${' '.repeat(20)}`);
  await database.seedWith(async (sql) => {
    await seedLogs(sql, { rows: ROWS, end, spanMs: SPAN_DAYS * DAY, progress });
    await buildRollups(sql, {
      boundsMs: LATENCY_BOUNDS_MS,
      minuteFrom: end - GRAIN_RETENTION_MS.m,
      progress,
    });
    if (sql.dialect === 'postgres') {
      // Postgres's autovacuum gathers planner statistics by itself; keypool never runs ANALYZE on
      // SQLite, so the SQLite seed has none either and the queries are timed with the plans users get.
      progress('ANALYZE');
      await sql.exec('ANALYZE');
    }
    await sql.exec(`INSERT INTO bench_meta (k, v) VALUES ('seededAt', '${end}')`);
  });
  process.stdout.write(`\n  seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

/** Median wall time and median CPU time of this process (the driver's worker thread included). */
async function time(label, fn, runs = 5) {
  await fn(); // warm the page cache and statement parsing
  const samples = [];
  const cpu = [];
  let result;
  for (let r = 0; r < runs; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    result = await fn();
    samples.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const mid = Math.floor(runs / 2);
  return { label, median: samples[mid], max: samples[runs - 1], cpu: cpu[mid], result };
}

let ds = await open();
const [meta] = await ds.query(`SELECT v FROM bench_meta WHERE k = 'seededAt'`);
let seededAt = meta ? Number(meta.v) : null;
if (!seededAt) {
  await ds.destroy();
  // A half-built database from an interrupted seed is useless: start clean.
  await database.drop();
  ds = await open();
  await ds.destroy();
  seededAt = Date.now();
  console.log(
    `Seeding ${ROWS.toLocaleString()} request logs over ${SPAN_DAYS} days into ${database.name} ...`,
  );
  await seed(seededAt);
  ds = await open();
} else {
  console.log(`Reusing ${database.name} (seeded ${new Date(seededAt).toISOString()})`);
}
const count = async (table) => Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
const logRows = await count('request_logs');
const store = new LogStore(createLogSqlExecutor(ds));
const rollupRows = await count('stats_dim_rollups');
console.log(
  `${database.dialect}: request_logs ${logRows.toLocaleString()} rows, stats_dim_rollups ${rollupRows.toLocaleString()} rows`,
);

// The stats clock sits at the seed time so ranges cover the seeded data (rollup retention included).
const now = seededAt;
const settings = {
  current: () => ({ ...DEFAULT_SETTINGS, logRetentionDays: SPAN_DAYS - 1 }),
  onChange: () => () => undefined,
};
const catalog = {
  snapshot: () => ({
    upstreams: upstreams.map((u) => ({
      id: u,
      name: u,
      keys: keys
        .filter((k) => k.upstream === u)
        .map((k) => ({ id: k.id, name: k.id, maskedSecret: 'sk-…0000', enabled: true })),
    })),
  }),
};
const keyState = { liveState: () => ({ status: 'active', lastUsedAt: null }) };
const stats = new StatsService(new StatsRepository(ds), catalog, keyState);
stats.now = () => now;
const logs = new LogsService(new LogsRepository(ds), store, settings);
const iso = (t) => new Date(t).toISOString();

const cases = [
  ['stats summary 1h', () => stats.summary({ range: '1h' })],
  ['stats summary 24h', () => stats.summary({ range: '24h' })],
  ['stats summary 7d', () => stats.summary({ range: '7d' })],
  ['stats summary 30d', () => stats.summary({ range: '30d' })],
  ['stats timeseries 1h minute', () => stats.timeseries({ range: '1h' })],
  ['stats timeseries 24h hour by model', () => stats.timeseries({ range: '24h', groupBy: 'model' })],
  [
    'stats timeseries 7d hour by key',
    () => stats.timeseries({ range: '7d', bucket: 'hour', groupBy: 'key' }),
  ],
  ['stats timeseries 30d day by status', () => stats.timeseries({ range: '30d', groupBy: 'status' })],
  ['stats keys 30d', () => stats.keys({ range: '30d' })],
  ['logs page: no filter', () => logs.list({})],
  ['logs page: statusClass=5xx', () => logs.list({ statusClass: '5xx' })],
  ['logs page: status=401', () => logs.list({ status: 401 })],
  ['logs page: keyId', () => logs.list({ keyId: 'up-groq-key-2' })],
  ['logs page: upstreamId', () => logs.list({ upstreamId: 'up-anthropic' })],
  ['logs page: model', () => logs.list({ model: 'qwen-32b' })],
  ['logs page: clientKeyId', () => logs.list({ clientKeyId: 'client-ci' })],
  ['logs page: from/to last hour', () => logs.list({ from: iso(now - 3600_000), to: iso(now) })],
  [
    'logs page: from/to 10 days ago',
    () => logs.list({ from: iso(now - 10 * DAY), to: iso(now - 10 * DAY + 3600_000) }),
  ],
  ['logs page: search common', () => logs.list({ search: '502' })],
  ['logs page: search rare', () => logs.list({ search: 'needle-xyzzy' })],
  ['logs page: search a model', () => logs.list({ search: 'qwen-32' })],
  ['logs page: search a path', () => logs.list({ search: 'chat/compl' })],
  ['logs page: search 2 chars, no match (newest 100k rows)', () => logs.list({ search: 'zq' })],
  [
    'logs page 2 (cursor), keyId',
    async () => {
      const first = await logs.list({ keyId: 'up-groq-key-2' });
      return logs.list({ keyId: 'up-groq-key-2', cursor: first.nextCursor });
    },
  ],
];

// Wall time depends on what else runs on the machine; CPU time much less so.
console.log(`\nload average at start: ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
console.log('\n| query | median ms | max ms | median CPU ms | target |');
console.log('|---|---:|---:|---:|---|');
const rowsOut = [];
for (const [label, fn] of cases) {
  const r = await time(label, fn);
  rowsOut.push(r);
  console.log(
    `| ${label} | ${r.median.toFixed(1)} | ${r.max.toFixed(1)} | ${r.cpu.toFixed(1)} | ${r.median < 100 ? 'ok (<100)' : 'MISSED'} |`,
  );
}

// Retention runs on a copy so the seed stays intact: one daily run deletes the oldest day in batches
// of 5000 while a writer keeps committing log batches (their latency shows whether the proxy would stall).
console.log(
  '\nRetention (copy of the seed; deletes the oldest day in batches, with concurrent log batches) ...',
);
await database.beforeCopy(ds);
await store.close();
await ds.destroy();
const copyDs = await database.copy();
const copyStore = new LogStore(createLogSqlExecutor(copyDs));
const cutoff = now - (SPAN_DAYS - 1) * DAY;
const writeLatencies = [];
let writing = true;
const writer = (async () => {
  let i = ROWS + 1;
  while (writing) {
    const t = performance.now();
    const batch = new LogBatch();
    for (let j = 0; j < 200; j++) batch.addRequest(row(i++, now - 1000));
    await copyStore.writeBatch(batch);
    writeLatencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 50));
  }
})();
const t0 = performance.now();
const pruned = await copyStore.pruneOlderThan(cutoff, now, RETENTION_BATCH);
const pruneMs = performance.now() - t0;
writing = false;
await writer;
writeLatencies.sort((a, b) => a - b);
console.log(
  `  deleted ${pruned.deletedLogs.toLocaleString()} rows in ${(pruneMs / 1000).toFixed(1)} s ` +
    `(${Math.round(pruned.deletedLogs / (pruneMs / 1000)).toLocaleString()} rows/s, batches of ${RETENTION_BATCH})`,
);
console.log(
  `  concurrent 200-row log batches: ${writeLatencies.length}, p50 ${writeLatencies[Math.floor(writeLatencies.length / 2)]?.toFixed(1)} ms, ` +
    `max ${writeLatencies[writeLatencies.length - 1]?.toFixed(1)} ms`,
);
await copyStore.close();
await copyDs.destroy();
await database.dropCopy();
const failed = rowsOut.filter((r) => r.median >= 100);
const out = join(results, `stats-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  out,
  JSON.stringify(
    {
      database: database.dialect,
      rows: logRows,
      loadAverage: loadavg()[0],
      queries: rowsOut.map(({ label, median, max, cpu }) => ({ label, median, max, cpu })),
      retention: {
        batchSize: RETENTION_BATCH,
        deleted: pruned.deletedLogs,
        seconds: pruneMs / 1000,
        concurrentBatchP50Ms: writeLatencies[Math.floor(writeLatencies.length / 2)] ?? null,
        concurrentBatchMaxMs: writeLatencies[writeLatencies.length - 1] ?? null,
      },
    },
    null,
    2,
  ),
);
console.log(`\nResults: ${out}`);
console.log(
  failed.length === 0
    ? '\nAll stats and log-page queries under 100 ms.'
    : `\n${failed.length} queries missed 100 ms.`,
);
