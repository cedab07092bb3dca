import type { MigrationInterface, QueryRunner } from 'typeorm';

const pad = (i: number) => String(i).padStart(2, '0');
const HISTOGRAM = [
  ...Array.from({ length: 20 }, (_, i) => `lat_b${pad(i)}`),
  ...Array.from({ length: 20 }, (_, i) => `ttfb_b${pad(i)}`),
];
const SUMMED = [
  'requests',
  'success',
  'client_errors',
  'rate_limited',
  'quota_exhausted',
  'key_invalid',
  'upstream_errors',
  'gateway_errors',
  'cancelled',
  'retried',
  'attempts',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'latency_sum',
  'ttfb_sum',
  'ttfb_count',
  ...HISTOGRAM,
];
const MAXED = ['latency_max', 'last_ts'];
/** Dimension name in the new table -> column of the old combined table ('' = the whole pool). */
const DIMENSIONS: Array<[string, string]> = [
  ['all', `''`],
  ['key', '"key_id"'],
  ['model', '"model"'],
  ['upstream', '"upstream_id"'],
  ['client', '"client_key_id"'],
  ['status', '"status_class"'],
];
/** Must match the expression the log search queries (LogsRepository) so the planner uses the index. */
const SEARCH_EXPRESSION = `("path" || ' ' || COALESCE("model_requested", '') || ' ' || COALESCE("error", ''))`;

/**
 * Replaces the combined rollup with one rollup row per single dimension value (see the SQLite twin),
 * and indexes log search with a pg_trgm GIN index when the extension can be installed.
 */
export class DimensionRollupsAndLogSearch1763700000310 implements MigrationInterface {
  name = 'DimensionRollupsAndLogSearch1763700000310';

  async up(q: QueryRunner): Promise<void> {
    const counters = [...SUMMED, ...MAXED].map((c) => `"${c}" bigint NOT NULL DEFAULT 0`);
    await q.query(`CREATE TABLE "stats_dim_rollups" (
      "grain" varchar(1) NOT NULL,
      "dim" varchar(10) NOT NULL,
      "bucket" bigint NOT NULL,
      "value" varchar(200) NOT NULL,
      ${counters.join(',\n      ')},
      PRIMARY KEY ("grain", "dim", "bucket", "value")
    )`);
    const columns = ['grain', 'dim', 'bucket', 'value', ...SUMMED, ...MAXED].map((c) => `"${c}"`);
    for (const [dim, source] of DIMENSIONS) {
      await q.query(
        `INSERT INTO "stats_dim_rollups" (${columns.join(', ')}) SELECT "grain", '${dim}', "bucket", ${source}, ` +
          [...SUMMED.map((c) => `SUM("${c}")`), ...MAXED.map((c) => `MAX("${c}")`)].join(', ') +
          // Postgres refuses a constant in GROUP BY (the '' of the whole-pool dimension).
          ` FROM "stats_rollups" GROUP BY "grain", "bucket"${source === `''` ? '' : `, ${source}`}`,
      );
    }
    await q.query(`DROP TABLE "stats_rollups"`);

    // pg_trgm needs the right to create extensions; without it search still works, by scanning.
    await q.query('SAVEPOINT "pg_trgm"');
    try {
      await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await q.query('RELEASE SAVEPOINT "pg_trgm"');
    } catch {
      await q.query('ROLLBACK TO SAVEPOINT "pg_trgm"');
      return;
    }
    await q.query(
      `CREATE INDEX IF NOT EXISTS "idx_request_logs_search" ON "request_logs" USING gin (${SEARCH_EXPRESSION} gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "idx_request_logs_search"`);
    const counters = [...SUMMED, ...MAXED].map((c) => `"${c}" bigint NOT NULL DEFAULT 0`);
    await q.query(`CREATE TABLE "stats_rollups" (
      "grain" varchar(1) NOT NULL,
      "bucket" bigint NOT NULL,
      "upstream_id" varchar(36) NOT NULL,
      "key_id" varchar(36) NOT NULL,
      "model" varchar(200) NOT NULL,
      "client_key_id" varchar(36) NOT NULL,
      "status_class" varchar(10) NOT NULL,
      ${counters.join(',\n      ')},
      PRIMARY KEY ("grain", "bucket", "upstream_id", "key_id", "model", "client_key_id", "status_class")
    )`);
    await q.query(`DROP TABLE "stats_dim_rollups"`);
  }
}
