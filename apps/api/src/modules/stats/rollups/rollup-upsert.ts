import { ADDITIVE_COLUMNS, DIMENSION_COLUMNS, MAX_COLUMNS } from './rollup-columns';
import type { RollupDelta } from './rollup-accumulator';
import { JsonBatchInsert, encodeRow, type BatchColumn } from '../../../database/json-batch-insert';

import type { SqlDriver } from './sql-params';

export const ROLLUP_TABLE = 'stats_dim_rollups';

const COLUMNS: BatchColumn[] = [
  ...DIMENSION_COLUMNS.map((name) => ({ name, pg: name === 'bucket' ? 'bigint' : 'text' }) as const),
  ...[...ADDITIVE_COLUMNS, ...MAX_COLUMNS].map((name) => ({ name, pg: 'bigint' }) as const),
];

/**
 * One `INSERT … ON CONFLICT … DO UPDATE` adding a batch's deltas to the existing rows. The same text
 * runs on SQLite (≥ 3.24) and Postgres; keys must be unique within the batch (the accumulator ensures it).
 */
export class RollupUpsert {
  private readonly insert: JsonBatchInsert;

  constructor(driver: SqlDriver) {
    const t = `"${ROLLUP_TABLE}"`;
    const sets = [
      ...ADDITIVE_COLUMNS.map((c) => `"${c}" = ${t}."${c}" + excluded."${c}"`),
      ...MAX_COLUMNS.map(
        (c) => `"${c}" = CASE WHEN excluded."${c}" > ${t}."${c}" THEN excluded."${c}" ELSE ${t}."${c}" END`,
      ),
    ];
    this.insert = new JsonBatchInsert(
      driver,
      ROLLUP_TABLE,
      COLUMNS,
      `ON CONFLICT (${DIMENSION_COLUMNS.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${sets.join(', ')}`,
    );
  }

  statement(deltas: readonly RollupDelta[]): { sql: string; params: unknown[] } {
    return this.insert.statement(deltas.map((d) => encodeRow(valuesOf(d))));
  }
}

function valuesOf(d: RollupDelta): Array<string | number> {
  return [
    d.grain,
    d.dim,
    d.bucket,
    d.value,
    d.requests,
    d.success,
    d.clientErrors,
    d.rateLimited,
    d.quotaExhausted,
    d.keyInvalid,
    d.upstreamErrors,
    d.gatewayErrors,
    d.cancelled,
    d.retried,
    d.attempts,
    d.promptTokens,
    d.completionTokens,
    d.totalTokens,
    d.latencySum,
    d.ttfbSum,
    d.ttfbCount,
    ...d.latency,
    ...d.ttfb,
    d.latencyMax,
    d.lastTs,
  ];
}
