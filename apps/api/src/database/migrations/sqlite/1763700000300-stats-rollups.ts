import type { MigrationInterface, QueryRunner } from 'typeorm';

const HISTOGRAM_SIZE = 20;
const buckets = (prefix: string) =>
  Array.from(
    { length: HISTOGRAM_SIZE },
    (_, i) => `"${prefix}${String(i).padStart(2, '0')}" integer NOT NULL DEFAULT 0`,
  );

/**
 * Stats rollups (minute/hour/day × upstream × key × model × client × status class) and the status-class
 * column that lets the log list filter by class through an index.
 */
export class StatsRollups1763700000300 implements MigrationInterface {
  name = 'StatsRollups1763700000300';

  async up(q: QueryRunner): Promise<void> {
    const counters = [
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
      'latency_max',
      'last_ts',
    ].map((c) => `"${c}" integer NOT NULL DEFAULT 0`);
    await q.query(`CREATE TABLE "stats_rollups" (
      "grain" varchar(1) NOT NULL,
      "bucket" bigint NOT NULL,
      "upstream_id" varchar(36) NOT NULL,
      "key_id" varchar(36) NOT NULL,
      "model" varchar(200) NOT NULL,
      "client_key_id" varchar(36) NOT NULL,
      "status_class" varchar(10) NOT NULL,
      ${[...counters, ...buckets('lat_b'), ...buckets('ttfb_b')].join(',\n      ')},
      PRIMARY KEY ("grain", "bucket", "upstream_id", "key_id", "model", "client_key_id", "status_class")
    ) WITHOUT ROWID`);
    await q.query(`ALTER TABLE "request_logs" ADD COLUMN "status_class" varchar(10)`);
    await q.query(`UPDATE "request_logs" SET "status_class" = CASE
      WHEN "outcome" = 'client_cancel' THEN 'cancelled'
      WHEN "status" = 429 THEN '429'
      WHEN "status" >= 200 AND "status" < 400 THEN '2xx'
      WHEN "status" >= 400 AND "status" < 500 THEN '4xx'
      ELSE '5xx' END`);
    await q.query(`CREATE INDEX "idx_request_logs_status_class" ON "request_logs" ("status_class", "id")`);
    await q.query(`CREATE INDEX "idx_key_events_type" ON "key_events" ("type", "id")`);
    await q.query(`CREATE INDEX "idx_key_events_upstream" ON "key_events" ("upstream_id", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_key_events_upstream"`);
    await q.query(`DROP INDEX "idx_key_events_type"`);
    await q.query(`DROP INDEX "idx_request_logs_status_class"`);
    await q.query(`ALTER TABLE "request_logs" DROP COLUMN "status_class"`);
    await q.query(`DROP TABLE "stats_rollups"`);
  }
}
