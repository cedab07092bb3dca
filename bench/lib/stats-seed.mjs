// Seeds a request-log database for the stats benchmark fast: rows are generated in SQL (a recursive CTE on
// SQLite, generate_series on Postgres), written without indexes (and on SQLite without journal or fsync),
// then the indexes, the search index and the rollups are built in bulk from the seeded rows, the same
// numbers the log writer would have produced.

/** Runs SQL on a raw sqlite3 handle. */
export function sqlRunner(db) {
  const exec = (sql) => new Promise((res, rej) => db.exec(sql, (e) => (e ? rej(e) : res())));
  const all = (sql, params = []) =>
    new Promise((res, rej) => db.all(sql, params, (e, rows) => (e ? rej(e) : res(rows))));
  const run = (sql, params = []) =>
    new Promise((res, rej) =>
      db.run(sql, params, function (e) {
        if (e) rej(e);
        else res(this.changes);
      }),
    );
  return { dialect: 'sqlite', exec, all, run };
}

/** Runs SQL on a connected `pg` client (`?` placeholders are not used on this path). */
export function pgRunner(client) {
  return {
    dialect: 'postgres',
    exec: async (sql) => void (await client.query(sql)),
    all: async (sql, params = []) => (await client.query(sql, params)).rows,
    run: async (sql, params = []) => (await client.query(sql, params)).rowCount,
  };
}

const UPSTREAMS = ['up-openai', 'up-groq', 'up-anthropic'];
const MODELS = [
  ['gpt-4o', 'gpt-4o-mini'],
  ['llama-3.3-70b', 'qwen-32b'],
  ['claude-sonnet', 'claude-haiku'],
];
const CLIENTS = ['client-web', 'client-batch', 'client-ci', 'client-dev'];

const caseOf = (expr, values) =>
  `CASE ${expr} ${values.map((v, i) => `WHEN ${i} THEN '${v}'`).join(' ')} END`;

/** Columns of one generated log row `i` (an integer from the CTE) at time `ts`. */
function generatedRow(spanStart, step) {
  // Cheap deterministic mixing: three independent uniform numbers in [0, 1).
  const r1 = `((i * 2654435761 + 12345) % 1000003) / 1000003.0`;
  const r2 = `((i * 40503 + 977) % 65537) / 65537.0`;
  const r3 = `((i * 69069 + 1) % 32749) / 32749.0`;
  const up = `((i % 12) / 4)`;
  const model = `CASE ${up} ${MODELS.map((m, u) => `WHEN ${u} THEN ${caseOf('((i >> 4) % 2)', m)}`).join(' ')} END`;
  return {
    ts: `CAST(${spanStart} + i * ${step} AS BIGINT)`,
    request_id: `'r' || i`,
    client_key_id: `CASE WHEN i % 5 = 4 THEN NULL ELSE ${caseOf('(i % 5)', CLIENTS)} END`,
    method: `'POST'`,
    path: `'/v1/chat/completions'`,
    format: `'openai'`,
    model_requested: model,
    model_resolved: model,
    upstream_id: caseOf(up, UPSTREAMS),
    key_id: `${caseOf(up, UPSTREAMS)} || '-key-' || (i % 4)`,
    p: r1,
    latency_ms: `CAST(80 + ${r2} * ${r3} * 4000 AS INTEGER)`,
  };
}

/** Outcome mix: 88 % success, 5 % 429, 2 % 401, 3 % 502, 2 % client cancel. */
const OUTCOME = `CASE WHEN p < 0.88 THEN 'success' WHEN p < 0.93 THEN 'rate_limited' WHEN p < 0.95 THEN 'key_invalid' WHEN p < 0.98 THEN 'upstream_error' ELSE 'client_cancel' END`;
const STATUS = `CASE WHEN p < 0.88 THEN 200 WHEN p < 0.93 THEN 429 WHEN p < 0.95 THEN 401 WHEN p < 0.98 THEN 502 ELSE 499 END`;
const STATUS_CLASS = `CASE WHEN p < 0.88 THEN '2xx' WHEN p < 0.93 THEN '429' WHEN p < 0.95 THEN '4xx' WHEN p < 0.98 THEN '5xx' ELSE 'cancelled' END`;

/**
 * Inserts rows [0, rows) spread evenly over [end - spanMs, end). Indexes and triggers on request_logs
 * are dropped first and rebuilt after, which is several times faster than maintaining them per row.
 */
export async function seedLogs(sql, { rows, end, spanMs, chunk = 250_000, progress }) {
  const pg = sql.dialect === 'postgres';
  // Postgres has no triggers on request_logs, and its primary key stays (it is a constraint).
  const ddl = pg
    ? await sql.all(
        `SELECT 'index' AS type, indexname AS name, indexdef AS sql FROM pg_indexes
         WHERE tablename = 'request_logs' AND indexname LIKE 'idx_%'`,
      )
    : await sql.all(
        `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'request_logs' AND type IN ('index', 'trigger') AND sql IS NOT NULL`,
      );
  for (const d of ddl) await sql.exec(`DROP ${d.type.toUpperCase()} "${d.name}"`);
  await sql.exec(
    pg
      ? `SET synchronous_commit = off; SET maintenance_work_mem = '512MB'`
      : 'PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144',
  );
  const g = generatedRow(end - spanMs, spanMs / rows);
  const stream = `(i % 3 = 0)`;
  for (let from = 0; from < rows; from += chunk) {
    const to = Math.min(rows, from + chunk);
    await sql.exec('BEGIN');
    await sql.run(
      `INSERT INTO request_logs (ts, request_id, client_key_id, method, path, format, model_requested, model_resolved,
         upstream_id, key_id, attempts, status, outcome, status_class, stream, latency_ms, ttfb_ms, prompt_tokens,
         completion_tokens, total_tokens, error, client_ip)
       WITH ${
         pg
           ? `seq(i) AS (SELECT generate_series(${from}::bigint, ${to - 1}))`
           : `RECURSIVE seq(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ${to})`
       },
       gen AS (SELECT i, ${Object.entries(g)
         .map(([c, e]) => `${e} AS ${c}`)
         .join(', ')} FROM seq)
       SELECT ts, request_id, client_key_id, method, path, format, model_requested, model_resolved, upstream_id, key_id,
         ${pg ? 'json_build_array(json_build_object' : 'json_array(json_object'}('keyId', key_id, 'upstreamId', upstream_id, 'outcome', ${OUTCOME}, 'status', ${STATUS}, 'durationMs', latency_ms))${pg ? '::text' : ''},
         ${STATUS}, ${OUTCOME}, ${STATUS_CLASS}, ${stream}, latency_ms,
         CASE WHEN p < 0.88 THEN latency_ms / 3 END,
         CASE WHEN p < 0.88 THEN 200 END, CASE WHEN p < 0.88 THEN 50 END, CASE WHEN p < 0.88 THEN 250 END,
         CASE WHEN p < 0.88 THEN NULL ELSE 'upstream answered ' || ${STATUS} || CASE WHEN i % 100000 = 7 THEN ' needle-xyzzy' ELSE '' END END,
         '10.0.0.1'
       FROM gen`,
    );
    await sql.exec('COMMIT');
    progress?.(`inserted ${to.toLocaleString()} / ${rows.toLocaleString()} rows`);
  }
  for (const d of ddl.filter((x) => x.type === 'index')) {
    progress?.(`building ${d.name}`);
    await sql.exec(d.sql);
  }
  if (pg) {
    return; // its search index was one of the indexes; it has no terms table
  }
  progress?.('building the search index and terms');
  await sql.exec(`INSERT INTO request_logs_error_search (request_logs_error_search) VALUES ('rebuild')`);
  await sql.exec(
    `INSERT OR REPLACE INTO request_log_terms (kind, value, last_seen)
       SELECT 'path', path, MAX(ts) FROM request_logs GROUP BY path
       UNION ALL SELECT 'model', model_requested, MAX(ts) FROM request_logs
       WHERE model_requested IS NOT NULL GROUP BY model_requested`,
  );
  for (const d of ddl.filter((x) => x.type === 'trigger')) await sql.exec(d.sql);
}

/**
 * Rebuilds stats_dim_rollups from request_logs in one pass per grain: logs are first folded into the
 * combination of all dimensions (a few hundred thousand rows), each dimension is then summed from that.
 * Minute rows only for ts >= minuteFrom, like the log writer.
 */
export async function buildRollups(sql, { boundsMs, minuteFrom, progress }) {
  const pg = sql.dialect === 'postgres';
  const temp = pg ? 'pg_temp' : 'temp';
  const pad = (i) => String(i).padStart(2, '0');
  const idx = (col) =>
    `CASE ${boundsMs.map((b, i) => `WHEN ${col} <= ${b} THEN ${i}`).join(' ')} ELSE ${boundsMs.length} END`;
  const hist = (prefix, idxCol) =>
    Array.from({ length: boundsMs.length + 1 }, (_, i) => [
      `${prefix}${pad(i)}`,
      `SUM(CASE WHEN ${idxCol} = ${i} THEN 1 ELSE 0 END)`,
    ]);
  const counted = (outcome) => `SUM(CASE WHEN outcome = '${outcome}' THEN 1 ELSE 0 END)`;
  const fromLogs = [
    ['requests', 'COUNT(*)'],
    ['success', counted('success')],
    ['client_errors', counted('client_error')],
    ['rate_limited', counted('rate_limited')],
    ['quota_exhausted', counted('quota_exhausted')],
    ['key_invalid', counted('key_invalid')],
    ['upstream_errors', counted('upstream_error')],
    ['gateway_errors', counted('gateway_error')],
    ['cancelled', counted('client_cancel')],
    ['retried', 'SUM(CASE WHEN n_attempts > 1 THEN 1 ELSE 0 END)'],
    ['attempts', 'SUM(n_attempts)'],
    ['prompt_tokens', 'SUM(COALESCE(prompt_tokens, 0))'],
    ['completion_tokens', 'SUM(COALESCE(completion_tokens, 0))'],
    ['total_tokens', 'SUM(COALESCE(total_tokens, 0))'],
    ['latency_sum', 'SUM(latency_ms)'],
    ['ttfb_sum', 'SUM(COALESCE(ttfb_ms, 0))'],
    ['ttfb_count', 'SUM(CASE WHEN ttfb_ms IS NULL THEN 0 ELSE 1 END)'],
    ...hist('lat_b', 'lat_i'),
    ...hist('ttfb_b', 'ttfb_i'),
    ['latency_max', 'MAX(latency_ms)'],
    ['last_ts', 'MAX(ts)'],
  ];
  const cols = fromLogs.map(([c]) => c);
  const merged = cols.map((c) => (c === 'latency_max' || c === 'last_ts' ? `MAX(${c})` : `SUM(${c})`));
  const dims = [
    ['all', `''`],
    ['key', 'key_id'],
    ['model', 'model'],
    ['upstream', 'upstream_id'],
    ['client', 'client_key_id'],
    ['status', 'status_class'],
  ];
  const dimCols = 'key_id, model, upstream_id, client_key_id, status_class';
  const fromRows = (unit, where) =>
    `SELECT (ts / ${unit}) * ${unit} AS bucket, ${dimCols}, ${fromLogs.map(([c, e]) => `${e} AS ${c}`).join(', ')}
     FROM (SELECT ts, COALESCE(upstream_id, '') AS upstream_id, COALESCE(key_id, '') AS key_id,
             COALESCE(model_requested, model_resolved, '') AS model, COALESCE(client_key_id, '') AS client_key_id,
             COALESCE(status_class, '5xx') AS status_class, outcome, json_array_length(attempts${pg ? '::json' : ''}) AS n_attempts,
             prompt_tokens, completion_tokens, total_tokens, latency_ms, ttfb_ms,
             ${idx('latency_ms')} AS lat_i, CASE WHEN ttfb_ms IS NULL THEN -1 ELSE ${idx('ttfb_ms')} END AS ttfb_i
           FROM request_logs WHERE ${where}) AS logs
     GROUP BY 1, 2, 3, 4, 5, 6`;
  await sql.exec('DELETE FROM stats_dim_rollups');
  // Hours come from the logs (the one full pass), days from the hours, minutes from the recent logs.
  const passes = [
    ['h', `CREATE TEMP TABLE combo_h AS ${fromRows(3_600_000, '1 = 1')}`, 'combo_h'],
    [
      'd',
      `CREATE TEMP TABLE combo_d AS SELECT (bucket / 86400000) * 86400000 AS bucket, ${dimCols}, ${merged.map((e, i) => `${e} AS ${cols[i]}`).join(', ')}
       FROM ${temp}.combo_h GROUP BY 1, 2, 3, 4, 5, 6`,
      'combo_d',
    ],
    ['m', `CREATE TEMP TABLE combo_m AS ${fromRows(60_000, `ts >= ${minuteFrom}`)}`, 'combo_m'],
  ];
  for (const [grain, create, table] of passes) {
    progress?.(`rollups: grain ${grain}`);
    await sql.exec(create);
    await sql.exec('BEGIN');
    for (const [dim, col] of dims) {
      await sql.run(
        `INSERT INTO stats_dim_rollups (grain, dim, bucket, value, ${cols.join(', ')})
         SELECT '${grain}', '${dim}', bucket, ${col}, ${merged.join(', ')} FROM ${temp}.${table} GROUP BY 3, 4`,
      );
    }
    await sql.exec('COMMIT');
  }
  for (const [, , table] of passes) await sql.exec(`DROP TABLE ${temp}.${table}`);
}
