import { JsonBatchInsert } from '../../../database/json-batch-insert';
import { ROLLUP_TABLE, RollupUpsert } from '../../stats/rollups/rollup-upsert';
import { GRAIN_MS, GRAIN_RETENTION_MS, Grain, floorTo } from '../../stats/rollups/rollup-grain';
import { SqlParams } from '../../stats/rollups/sql-params';
import { EVENT_COLUMNS, LOG_COLUMNS, TERM_COLUMNS, encodeEvent, type LogBatch } from './log-batch';
import type { LogSqlExecutor, SqlStatement } from './log-sql-executor';

/** Rows per insert statement: bounds the JSON text SQLite/Postgres parse at once. */
const LOG_ROWS_PER_STATEMENT = 1000;

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
  private readonly logInsert: JsonBatchInsert;
  private readonly eventInsert: JsonBatchInsert;
  private readonly rollupUpsert: RollupUpsert;
  /** SQLite only: its log search looks paths and models up in `request_log_terms`. */
  private readonly termUpsert: JsonBatchInsert | null;

  constructor(private readonly executor: LogSqlExecutor) {
    this.logInsert = new JsonBatchInsert(executor.driver, 'request_logs', LOG_COLUMNS);
    this.termUpsert =
      executor.driver === 'sqlite'
        ? new JsonBatchInsert(
            'sqlite',
            'request_log_terms',
            TERM_COLUMNS,
            'ON CONFLICT ("kind", "value") DO UPDATE SET "last_seen" = MAX("last_seen", excluded."last_seen")',
          )
        : null;
    this.eventInsert = new JsonBatchInsert(executor.driver, 'key_events', EVENT_COLUMNS);
    this.rollupUpsert = new RollupUpsert(executor.driver);
  }

  /** Writes a batch's rows, rollup deltas and key events in one transaction. */
  async writeBatch(batch: LogBatch): Promise<void> {
    const statements: SqlStatement[] = [];
    const rows = batch.encodedRows;
    for (let i = 0; i < rows.count; i += LOG_ROWS_PER_STATEMENT) {
      statements.push(this.logInsert.arrayStatement(rows.arrayText(i, i + LOG_ROWS_PER_STATEMENT)));
    }
    if (this.termUpsert && batch.terms.size > 0) {
      statements.push(this.termUpsert.statement(batch.terms.encoded()));
    }
    const deltas = batch.rollups.rows();
    if (deltas.length > 0) {
      statements.push(this.rollupUpsert.statement(deltas));
    }
    if (batch.events.length > 0) {
      statements.push(this.eventInsert.statement(batch.events.map(encodeEvent)));
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
    if (this.termUpsert) {
      // A term last seen before the cutoff has no rows left to find.
      await this.executor.transaction([
        { sql: `DELETE FROM "request_log_terms" WHERE "last_seen" < ?`, params: [cutoff] },
      ]);
    }
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
