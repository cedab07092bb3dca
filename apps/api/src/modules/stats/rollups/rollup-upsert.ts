import { ADDITIVE_COLUMNS, DIMENSION_COLUMNS, MAX_COLUMNS } from './rollup-columns';
import type { RollupDelta } from './rollup-accumulator';
import { SqlParams, type SqlDriver } from './sql-params';

export const ROLLUP_TABLE = 'stats_dim_rollups';

const COLUMNS = [...DIMENSION_COLUMNS, ...ADDITIVE_COLUMNS, ...MAX_COLUMNS];
/** Stays well below SQLite's 32766 and Postgres' 65535 parameter limits. */
const ROWS_PER_STATEMENT = Math.floor(16_000 / COLUMNS.length);

/**
 * `INSERT … ON CONFLICT … DO UPDATE` statements that add the deltas to existing rows. The same text
 * runs on SQLite (≥ 3.24) and Postgres; keys must be unique within the batch (the accumulator ensures it).
 */
export function buildRollupUpserts(
  driver: SqlDriver,
  deltas: readonly RollupDelta[],
): Array<{ sql: string; params: unknown[] }> {
  const statements: Array<{ sql: string; params: unknown[] }> = [];
  for (let i = 0; i < deltas.length; i += ROWS_PER_STATEMENT) {
    const chunk = deltas.slice(i, i + ROWS_PER_STATEMENT);
    const params = new SqlParams(driver);
    const tuples = chunk.map(
      (d) =>
        `(${valuesOf(d)
          .map((v) => params.add(v))
          .join(', ')})`,
    );
    const t = `"${ROLLUP_TABLE}"`;
    const sets = [
      ...ADDITIVE_COLUMNS.map((c) => `"${c}" = ${t}."${c}" + excluded."${c}"`),
      ...MAX_COLUMNS.map(
        (c) => `"${c}" = CASE WHEN excluded."${c}" > ${t}."${c}" THEN excluded."${c}" ELSE ${t}."${c}" END`,
      ),
    ];
    statements.push({
      sql:
        `INSERT INTO ${t} (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')} ` +
        `ON CONFLICT (${DIMENSION_COLUMNS.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${sets.join(', ')}`,
      params: params.values,
    });
  }
  return statements;
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
