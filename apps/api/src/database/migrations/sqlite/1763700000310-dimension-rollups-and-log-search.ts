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

/**
 * Replaces the combined rollup (every dimension in one key, so a 7-day chart by key summed tens of
 * thousands of rows) with one rollup row per single dimension value: a chart or a per-key table reads
 * at most buckets × distinct values rows. Adds a trigram full-text index over path, model and error
 * so log search does not scan the table.
 */
export class DimensionRollupsAndLogSearch1763700000310 implements MigrationInterface {
  name = 'DimensionRollupsAndLogSearch1763700000310';

  async up(q: QueryRunner): Promise<void> {
    const counters = [...SUMMED, ...MAXED].map((c) => `"${c}" integer NOT NULL DEFAULT 0`);
    await q.query(`CREATE TABLE "stats_dim_rollups" (
      "grain" varchar(1) NOT NULL,
      "dim" varchar(10) NOT NULL,
      "bucket" bigint NOT NULL,
      "value" varchar(200) NOT NULL,
      ${counters.join(',\n      ')},
      PRIMARY KEY ("grain", "dim", "bucket", "value")
    ) WITHOUT ROWID`);
    const columns = ['grain', 'dim', 'bucket', 'value', ...SUMMED, ...MAXED].map((c) => `"${c}"`);
    for (const [dim, source] of DIMENSIONS) {
      await q.query(
        `INSERT INTO "stats_dim_rollups" (${columns.join(', ')}) SELECT "grain", '${dim}', "bucket", ${source}, ` +
          [...SUMMED.map((c) => `SUM("${c}")`), ...MAXED.map((c) => `MAX("${c}")`)].join(', ') +
          ` FROM "stats_rollups" GROUP BY "grain", "bucket"${dim === 'all' ? '' : `, ${source}`}`,
      );
    }
    await q.query(`DROP TABLE "stats_rollups"`);

    // External-content FTS5: the index holds trigrams only; triggers keep it in step with the table.
    await q.query(`CREATE VIRTUAL TABLE "request_logs_search" USING fts5(
      "path", "model_requested", "error",
      content = 'request_logs', content_rowid = 'id', tokenize = 'trigram')`);
    await q.query(`CREATE TRIGGER "request_logs_search_insert" AFTER INSERT ON "request_logs" BEGIN
      INSERT INTO "request_logs_search" ("rowid", "path", "model_requested", "error")
      VALUES (new."id", new."path", new."model_requested", new."error");
    END`);
    await q.query(`CREATE TRIGGER "request_logs_search_delete" AFTER DELETE ON "request_logs" BEGIN
      INSERT INTO "request_logs_search" ("request_logs_search", "rowid", "path", "model_requested", "error")
      VALUES ('delete', old."id", old."path", old."model_requested", old."error");
    END`);
    await q.query(`INSERT INTO "request_logs_search" ("request_logs_search") VALUES ('rebuild')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "request_logs_search_delete"`);
    await q.query(`DROP TRIGGER "request_logs_search_insert"`);
    await q.query(`DROP TABLE "request_logs_search"`);
    // The combined rollup cannot be rebuilt from per-dimension rows; it starts empty again.
    const counters = [...SUMMED, ...MAXED].map((c) => `"${c}" integer NOT NULL DEFAULT 0`);
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
    ) WITHOUT ROWID`);
    await q.query(`DROP TABLE "stats_dim_rollups"`);
  }
}
