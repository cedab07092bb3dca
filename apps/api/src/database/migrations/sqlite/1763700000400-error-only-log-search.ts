import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log search's trigram index covered path, model and error of every row: ~27 trigrams per successful
 * request for two strings that repeat on nearly every row, a third of the cost of writing a log row and
 * 15% of the database. Now:
 * - the trigram index holds errors only (rows without an error add nothing to it);
 * - the few distinct paths and models live in `request_log_terms` (with the last time each was seen, so
 *   retention can drop them); a search matches those by substring and finds their rows through the
 *   path and model indexes.
 */
export class ErrorOnlyLogSearch1763700000400 implements MigrationInterface {
  name = 'ErrorOnlyLogSearch1763700000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "request_logs_search_insert"`);
    await q.query(`DROP TRIGGER "request_logs_search_delete"`);
    await q.query(`DROP TABLE "request_logs_search"`);

    // External content read through a view of the rows with an error, so a rebuild indexes only those.
    await q.query(
      `CREATE VIEW "request_log_errors" AS SELECT "id", "error" FROM "request_logs" WHERE "error" IS NOT NULL`,
    );
    await q.query(`CREATE VIRTUAL TABLE "request_logs_error_search" USING fts5(
      "error", content = 'request_log_errors', content_rowid = 'id', tokenize = 'trigram', columnsize = 0)`);
    await q.query(`CREATE TRIGGER "request_logs_error_search_insert" AFTER INSERT ON "request_logs"
      WHEN new."error" IS NOT NULL BEGIN
      INSERT INTO "request_logs_error_search" ("rowid", "error") VALUES (new."id", new."error");
    END`);
    await q.query(`CREATE TRIGGER "request_logs_error_search_delete" AFTER DELETE ON "request_logs"
      WHEN old."error" IS NOT NULL BEGIN
      INSERT INTO "request_logs_error_search" ("request_logs_error_search", "rowid", "error")
      VALUES ('delete', old."id", old."error");
    END`);
    await q.query(`INSERT INTO "request_logs_error_search" ("request_logs_error_search") VALUES ('rebuild')`);

    await q.query(`CREATE INDEX "idx_request_logs_path" ON "request_logs" ("path", "id")`);
    await q.query(`CREATE TABLE "request_log_terms" (
      "kind" varchar(10) NOT NULL,
      "value" varchar(500) NOT NULL,
      "last_seen" bigint NOT NULL,
      PRIMARY KEY ("kind", "value")
    ) WITHOUT ROWID`);
    await q.query(
      `INSERT INTO "request_log_terms" ("kind", "value", "last_seen")
       SELECT 'path', "path", MAX("ts") FROM "request_logs" GROUP BY "path"`,
    );
    await q.query(
      `INSERT INTO "request_log_terms" ("kind", "value", "last_seen")
       SELECT 'model', "model_requested", MAX("ts") FROM "request_logs"
       WHERE "model_requested" IS NOT NULL GROUP BY "model_requested"`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "request_log_terms"`);
    await q.query(`DROP INDEX "idx_request_logs_path"`);
    await q.query(`DROP TRIGGER "request_logs_error_search_delete"`);
    await q.query(`DROP TRIGGER "request_logs_error_search_insert"`);
    await q.query(`DROP TABLE "request_logs_error_search"`);
    await q.query(`DROP VIEW "request_log_errors"`);
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
}
