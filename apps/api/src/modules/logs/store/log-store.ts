import { RollupAccumulator } from '../../stats/rollups/rollup-accumulator';
import { ROLLUP_TABLE, buildRollupUpserts } from '../../stats/rollups/rollup-upsert';
import { GRAIN_MS, GRAIN_RETENTION_MS, Grain, floorTo } from '../../stats/rollups/rollup-grain';
import { SqlParams } from '../../stats/rollups/sql-params';
import type { RequestLogRow } from '../log-row.mapper';
import type { KeyEventRow } from '../key-event-row';
import type { LogSqlExecutor, SqlStatement } from './log-sql-executor';

const LOG_COLUMNS: Array<[string, (r: RequestLogRow, bool: (b: boolean) => unknown) => unknown]> = [
  ['ts', (r) => r.ts],
  ['request_id', (r) => r.requestId],
  ['client_key_id', (r) => r.clientKeyId],
  ['method', (r) => r.method],
  ['path', (r) => r.path],
  ['format', (r) => r.format],
  ['model_requested', (r) => r.modelRequested],
  ['model_resolved', (r) => r.modelResolved],
  ['upstream_id', (r) => r.upstreamId],
  ['key_id', (r) => r.keyId],
  ['attempts', (r) => JSON.stringify(r.attempts)],
  ['status', (r) => r.status],
  ['outcome', (r) => r.outcome],
  ['status_class', (r) => r.statusClass],
  ['stream', (r, bool) => bool(r.stream)],
  ['latency_ms', (r) => r.latencyMs],
  ['ttfb_ms', (r) => r.ttfbMs],
  ['prompt_tokens', (r) => r.promptTokens],
  ['completion_tokens', (r) => r.completionTokens],
  ['total_tokens', (r) => r.totalTokens],
  ['cached_tokens', (r) => r.cachedTokens],
  ['reasoning_tokens', (r) => r.reasoningTokens],
  ['error', (r) => r.error],
  ['client_ip', (r) => r.clientIp],
  ['request_body', (r) => r.requestBody],
  ['response_body', (r) => r.responseBody],
];
const LOG_ROWS_PER_STATEMENT = 500;
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
  constructor(private readonly executor: LogSqlExecutor) {}

  async writeBatch(rows: readonly RequestLogRow[], events: readonly KeyEventRow[]): Promise<void> {
    const statements: SqlStatement[] = [];
    for (let i = 0; i < rows.length; i += LOG_ROWS_PER_STATEMENT) {
      statements.push(this.insertLogs(rows.slice(i, i + LOG_ROWS_PER_STATEMENT)));
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
    statements.push(...buildRollupUpserts(this.executor.driver, rollups.rows()));
    if (events.length > 0) {
      statements.push(this.insertEvents(events));
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

  private insertLogs(rows: readonly RequestLogRow[]): SqlStatement {
    const params = new SqlParams(this.executor.driver);
    const bool = this.executor.driver === 'postgres' ? (b: boolean) => b : (b: boolean) => (b ? 1 : 0);
    const tuples = rows.map(
      (row) => `(${LOG_COLUMNS.map(([, get]) => params.add(get(row, bool))).join(', ')})`,
    );
    return {
      sql: `INSERT INTO "request_logs" (${LOG_COLUMNS.map(([c]) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`,
      params: params.values,
    };
  }

  private insertEvents(events: readonly KeyEventRow[]): SqlStatement {
    const params = new SqlParams(this.executor.driver);
    const tuples = events.map(
      (e) =>
        `(${[
          e.ts,
          e.keyId,
          e.upstreamId,
          e.type,
          e.message,
          e.details === null ? null : JSON.stringify(e.details),
        ]
          .map((v) => params.add(v))
          .join(', ')})`,
    );
    return {
      sql: `INSERT INTO "key_events" ("ts", "key_id", "upstream_id", "type", "message", "details") VALUES ${tuples.join(', ')}`,
      params: params.values,
    };
  }
}
