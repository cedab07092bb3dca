import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "upstreams" (
      "id" varchar PRIMARY KEY NOT NULL,
      "name" varchar(100) NOT NULL,
      "base_url" varchar(2048) NOT NULL,
      "format" varchar(20) NOT NULL,
      "model_patterns" text NOT NULL,
      "aliases" text NOT NULL,
      "strategy" varchar(40),
      "timeout_ms" integer,
      "enabled" boolean NOT NULL DEFAULT (1),
      "created_at" datetime NOT NULL DEFAULT (datetime('now')),
      "updated_at" datetime NOT NULL DEFAULT (datetime('now')),
      CONSTRAINT "uq_upstreams_name" UNIQUE ("name"))`);
    await q.query(`CREATE TABLE "api_keys" (
      "id" varchar PRIMARY KEY NOT NULL,
      "upstream_id" varchar(36) NOT NULL,
      "secret_encrypted" text NOT NULL,
      "secret_hash" varchar(64) NOT NULL,
      "secret_hint" varchar(40) NOT NULL,
      "name" varchar(100) NOT NULL DEFAULT (''),
      "weight" integer NOT NULL DEFAULT (1),
      "tags" text NOT NULL,
      "enabled" boolean NOT NULL DEFAULT (1),
      "disabled_reason" varchar(20),
      "rpm_limit" integer,
      "tpm_limit" integer,
      "daily_limit" integer,
      "created_at" datetime NOT NULL DEFAULT (datetime('now')),
      "updated_at" datetime NOT NULL DEFAULT (datetime('now')),
      CONSTRAINT "fk_api_keys_upstream" FOREIGN KEY ("upstream_id") REFERENCES "upstreams" ("id") ON DELETE CASCADE)`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_api_keys_upstream_secret_hash" ON "api_keys" ("upstream_id", "secret_hash")`,
    );
    await q.query(`CREATE TABLE "settings" (
      "key" varchar(100) PRIMARY KEY NOT NULL,
      "value" text NOT NULL,
      "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE TABLE "client_keys" (
      "id" varchar PRIMARY KEY NOT NULL,
      "name" varchar(100) NOT NULL,
      "key_hash" varchar(64) NOT NULL,
      "key_hint" varchar(40) NOT NULL,
      "rpm_limit" integer,
      "allowed_models" text NOT NULL,
      "expires_at" bigint,
      "enabled" boolean NOT NULL DEFAULT (1),
      "last_used_at" bigint,
      "created_at" datetime NOT NULL DEFAULT (datetime('now')),
      CONSTRAINT "uq_client_keys_key_hash" UNIQUE ("key_hash"))`);
    await q.query(`CREATE TABLE "request_logs" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "ts" bigint NOT NULL,
      "request_id" varchar(100) NOT NULL,
      "client_key_id" varchar(36),
      "method" varchar(10) NOT NULL,
      "path" varchar(500) NOT NULL,
      "format" varchar(20) NOT NULL,
      "model_requested" varchar(200),
      "model_resolved" varchar(200),
      "upstream_id" varchar(36),
      "key_id" varchar(36),
      "attempts" text NOT NULL,
      "status" integer NOT NULL,
      "outcome" varchar(30) NOT NULL,
      "stream" boolean NOT NULL DEFAULT (0),
      "latency_ms" integer NOT NULL,
      "ttfb_ms" integer,
      "prompt_tokens" integer,
      "completion_tokens" integer,
      "total_tokens" integer,
      "cached_tokens" integer,
      "reasoning_tokens" integer,
      "error" text,
      "client_ip" varchar(64),
      "request_body" text,
      "response_body" text)`);
    await q.query(`CREATE INDEX "idx_request_logs_ts" ON "request_logs" ("ts")`);
    await q.query(`CREATE INDEX "idx_request_logs_key" ON "request_logs" ("key_id", "id")`);
    await q.query(`CREATE INDEX "idx_request_logs_upstream" ON "request_logs" ("upstream_id", "id")`);
    await q.query(`CREATE INDEX "idx_request_logs_model" ON "request_logs" ("model_requested", "id")`);
    await q.query(`CREATE INDEX "idx_request_logs_status" ON "request_logs" ("status", "id")`);
    await q.query(`CREATE INDEX "idx_request_logs_client" ON "request_logs" ("client_key_id", "id")`);
    await q.query(`CREATE TABLE "key_events" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "ts" bigint NOT NULL,
      "key_id" varchar(36) NOT NULL,
      "upstream_id" varchar(36),
      "type" varchar(40) NOT NULL,
      "message" text NOT NULL,
      "details" text)`);
    await q.query(`CREATE INDEX "idx_key_events_ts" ON "key_events" ("ts")`);
    await q.query(`CREATE INDEX "idx_key_events_key" ON "key_events" ("key_id", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['key_events', 'request_logs', 'client_keys', 'settings', 'api_keys', 'upstreams']) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
