import { RollupAccumulator } from '../../stats/rollups/rollup-accumulator';
import { ROLLUP_TABLE, RollupUpsert } from '../../stats/rollups/rollup-upsert';
import { GRAIN_MS, GRAIN_RETENTION_MS, Grain, floorTo } from '../../stats/rollups/rollup-grain';
import { SqlParams } from '../../stats/rollups/sql-params';
import type { RequestLogRow } from '../log-row.mapper';
import type { KeyEventRow } from '../key-event-row';
import { JsonBatchInsert, type BatchColumn } from '../../../database/json-batch-insert';
import type { LogSqlExecutor, SqlStatement } from './log-sql-executor';

type LogColumn = BatchColumn & { get: (r: RequestLogRow) => unknown };

const LOG_COLUMNS: LogColumn[] = [
  { name: 'ts', pg: 'bigint', get: (r) => r.ts },
  { name: 'request_id', pg: 'text', get: (r) => r.requestId },
  { name: 'client_key_id', pg: 'text', get: (r) => r.clientKeyId },
  { name: 'method', pg: 'text', get: (r) => r.method },
  { name: 'path', pg: 'text', get: (r) => r.path },
  { name: 'format', pg: 'text', get: (r) => r.format },
  { name: 'model_requested', pg: 'text', get: (r) => r.modelRequested },
  { name: 'model_resolved', pg: 'text', get: (r) => r.modelResolved },
  { name: 'upstream_id', pg: 'text', get: (r) => r.upstreamId },
  { name: 'key_id', pg: 'text', get: (r) => r.keyId },
  { name: 'attempts', pg: 'text', get: (r) => JSON.stringify(r.attempts) },
  { name: 'status', pg: 'integer', get: (r) => r.status },
  { name: 'outcome', pg: 'text', get: (r) => r.outcome },
  { name: 'status_class', pg: 'text', get: (r) => r.statusClass },
  { name: 'stream', pg: 'boolean', get: (r) => r.stream },
  { name: 'latency_ms', pg: 'integer', get: (r) => r.latencyMs },
  { name: 'ttfb_ms', pg: 'integer', get: (r) => r.ttfbMs },
  { name: 'prompt_tokens', pg: 'integer', get: (r) => r.promptTokens },
  { name: 'completion_tokens', pg: 'integer', get: (r) => r.completionTokens },
  { name: 'total_tokens', pg: 'integer', get: (r) => r.totalTokens },
  { name: 'cached_tokens', pg: 'integer', get: (r) => r.cachedTokens },
  { name: 'reasoning_tokens', pg: 'integer', get: (r) => r.reasoningTokens },
  { name: 'error', pg: 'text', get: (r) => r.error },
  { name: 'client_ip', pg: 'text', get: (r) => r.clientIp },
  { name: 'request_body', pg: 'text', get: (r) => r.requestBody },
  { name: 'response_body', pg: 'text', get: (r) => r.responseBody },
];
const EVENT_COLUMNS: BatchColumn[] = [
  { name: 'ts', pg: 'bigint' },
  { name: 'key_id', pg: 'text' },
  { name: 'upstream_id', pg: 'text' },
  { name: 'type', pg: 'text' },
  { name: 'message', pg: 'text' },
  { name: 'details', pg: 'text' },
];
/** Rows per insert statement: bounds the JSON text SQLite/Postgres parse at once. */
const LOG_ROWS_PER_STATEMENT = 1000;
const ALL_GRAINS = [Grain.Minute, Grain.Hour, Grain.Day];
const COARSE_GRAINS = [Grain.Hour, Grain.Day];

/** What a retention pass removed. */
export interface PruneResult {
  deletedLogs: number;
  deletedEvents: number;
}

/**
 * The write side of request logs: one transaction per batch holding the log rows, their rollup deltas
 * and key events; and retention deletes in small batches so the proxy's writes interleave.
 */
export class LogStore {
  private readonly logInsert: JsonBatchInsert<RequestLogRow>;
  private readonly eventInsert: JsonBatchInsert<KeyEventRow>;
  private readonly rollupUpsert: RollupUpsert;

  constructor(private readonly executor: LogSqlExecutor) {
    this.logInsert = new JsonBatchInsert(executor.driver, 'request_logs', LOG_COLUMNS, (row) =>
      LOG_COLUMNS.map((c) => c.get(row)),
    );
    this.eventInsert = new JsonBatchInsert(executor.driver, 'key_events', EVENT_COLUMNS, (e) => [
      e.ts,
      e.keyId,
      e.upstreamId,
      e.type,
      e.message,
      e.details === null ? null : JSON.stringify(e.details),
    ]);
    this.rollupUpsert = new RollupUpsert(executor.driver);
  }

  async writeBatch(rows: readonly RequestLogRow[], events: readonly KeyEventRow[]): Promise<void> {
    const statements: SqlStatement[] = [];
    for (let i = 0; i < rows.length; i += LOG_ROWS_PER_STATEMENT) {
      statements.push(this.logInsert.statement(rows.slice(i, i + LOG_ROWS_PER_STATEMENT)));
    }
    const rollups = new RollupAccumulator();
    // Minute rows older than their retention would be pruned at once; don't create them (late or seeded rows).
    const minuteFrom = Date.now() - GRAIN_RETENTION_MS.m;
    for (const row of rows) {
      rollups.add(row.ts >= minuteFrom ? ALL_GRAINS : COARSE_GRAINS, {
        ts: row.ts,
        upstreamId: row.upstreamId,
        keyId: row.keyId,
        model: row.modelRequested ?? row.modelResolved,
        clientKeyId: row.clientKeyId,
        statusClass: row.statusClass ?? '5xx',
        outcome: row.outcome,
        attempts: row.attempts.length,
        promptTokens: row.promptTokens,
        completionTokens: row.completionTokens,
        totalTokens: row.totalTokens,
        latencyMs: row.latencyMs,
        ttfbMs: row.ttfbMs,
      });
    }
    const deltas = rollups.rows();
    if (deltas.length > 0) {
      statements.push(this.rollupUpsert.statement(deltas));
    }
    if (events.length > 0) {
      statements.push(this.eventInsert.statement(events));
    }
    if (statements.length > 0) {
      await this.executor.transaction(statements);
    }
  }

  /**
   * Deletes log rows and key events older than `cutoff` (epoch ms), `batchSize` rows per transaction,
   * yielding between batches. Also drops rollup rows past their grain's retention.
   */
  async pruneOlderThan(cutoff: number, now: number, batchSize = 2000): Promise<PruneResult> {
    const deletedLogs = await this.deleteInBatches('request_logs', cutoff, batchSize);
    const deletedEvents = await this.deleteInBatches('key_events', cutoff, batchSize);
    for (const grain of [Grain.Minute, Grain.Hour, Grain.Day]) {
      const params = new SqlParams(this.executor.driver);
      const sql =
        `DELETE FROM "${ROLLUP_TABLE}" WHERE "grain" = ${params.add(grain)} ` +
        `AND "bucket" < ${params.add(floorTo(now - GRAIN_RETENTION_MS[grain], GRAIN_MS[grain]))}`;
      await this.executor.transaction([{ sql, params: params.values }]);
    }
    return { deletedLogs, deletedEvents };
  }

  close(): Promise<void> {
    return this.executor.close();
  }

  private async deleteInBatches(table: string, cutoff: number, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const params = new SqlParams(this.executor.driver);
      // The ts index finds the oldest rows; the id list keeps each transaction short.
      const sql =
        `DELETE FROM "${table}" WHERE "id" IN (SELECT "id" FROM "${table}" ` +
        `WHERE "ts" < ${params.add(cutoff)} ORDER BY "ts" LIMIT ${params.add(batchSize)})`;
      const [deleted = 0] = await this.executor.transaction([{ sql, params: params.values }]);
      total += deleted;
      if (deleted < batchSize) {
        return total;
      }
      // Let queued log batches and readers run between delete batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
