import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LATENCY_BUCKET_COLUMNS, TTFB_BUCKET_COLUMNS } from './rollups/rollup-columns';
import { RollupDimension } from './rollups/rollup-accumulator';
import { ROLLUP_TABLE } from './rollups/rollup-upsert';
import type { Segment } from './rollups/plan-segments';
import { SqlParams, sqlDriverOf } from './rollups/sql-params';

/** Summed rollup counters for one group (or the whole range). */
export interface RollupTotals {
  bucket: number | null;
  group: string | null;
  requests: number;
  success: number;
  clientErrors: number;
  rateLimited: number;
  quotaExhausted: number;
  keyInvalid: number;
  upstreamErrors: number;
  gatewayErrors: number;
  cancelled: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  latencySum: number;
  latencyMax: number;
  ttfbSum: number;
  ttfbCount: number;
  lastTs: number;
  latency: number[];
  ttfb: number[];
}

const SUMS: Array<[keyof RollupTotals, string]> = [
  ['requests', 'requests'],
  ['success', 'success'],
  ['clientErrors', 'client_errors'],
  ['rateLimited', 'rate_limited'],
  ['quotaExhausted', 'quota_exhausted'],
  ['keyInvalid', 'key_invalid'],
  ['upstreamErrors', 'upstream_errors'],
  ['gatewayErrors', 'gateway_errors'],
  ['cancelled', 'cancelled'],
  ['promptTokens', 'prompt_tokens'],
  ['completionTokens', 'completion_tokens'],
  ['totalTokens', 'total_tokens'],
  ['latencySum', 'latency_sum'],
  ['ttfbSum', 'ttfb_sum'],
  ['ttfbCount', 'ttfb_count'],
];

/** Read side of `stats_rollups` (and key events for cooldown counts). Raw SQL valid on both drivers. */
@Injectable()
export class StatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Sums rollup rows of the given segments, optionally per time bucket (the rows' own bucket: the
   * caller passes segments of a single grain) and/or per value of one dimension. Each segment is a
   * range scan of the primary key (grain, dim, bucket).
   */
  async aggregate(
    segments: readonly Segment[],
    options: { byBucket?: boolean; groupBy?: Exclude<RollupDimension, 'all'> } = {},
  ): Promise<RollupTotals[]> {
    if (segments.length === 0) {
      return [];
    }
    const params = new SqlParams(sqlDriverOf(this.dataSource.options.type));
    const dim = options.groupBy ?? RollupDimension.All;
    const where = segments
      .map(
        (s) =>
          `("grain" = ${params.add(s.grain)} AND "dim" = ${params.add(dim)} ` +
          `AND "bucket" >= ${params.add(s.from)} AND "bucket" < ${params.add(s.to)})`,
      )
      .join(' OR ');
    const keys: string[] = [];
    if (options.byBucket) {
      keys.push('"bucket"');
    }
    if (options.groupBy) {
      keys.push('"value"');
    }
    const select = [
      options.byBucket ? '"bucket" AS "t"' : 'NULL AS "t"',
      options.groupBy ? '"value" AS "g"' : 'NULL AS "g"',
      `${packed(PACKED_COLUMNS)} AS "n"`,
    ];
    const sql =
      `SELECT ${select.join(', ')} FROM "${ROLLUP_TABLE}" WHERE ${where}` +
      (keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : '') +
      (options.byBucket ? ' ORDER BY "bucket"' : '');
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(sql, params.values);
    return rows.filter((r) => typeof r.n === 'string').map(toTotals);
  }

  /** Cooldown-type key events per key in [from, to). */
  async cooldownsByKey(from: number, to: number): Promise<Map<string, number>> {
    const params = new SqlParams(sqlDriverOf(this.dataSource.options.type));
    const rows: Array<{ key_id: string; n: number | string }> = await this.dataSource.query(
      `SELECT "key_id", COUNT(*) AS "n" FROM "key_events" WHERE "ts" >= ${params.add(from)} AND "ts" < ${params.add(to)} ` +
        `AND "type" IN ('cooldown_started', 'quota_exhausted') GROUP BY "key_id"`,
      params.values,
    );
    return new Map(rows.map((r) => [r.key_id, Number(r.n)]));
  }
}

/** The sums and maxima of a group travel as one text column, in this order. */
const PACKED_COLUMNS: Array<[string, 'SUM' | 'MAX']> = [
  ...SUMS.map(([, c]): [string, 'SUM'] => [c, 'SUM']),
  ['latency_max', 'MAX'],
  ['last_ts', 'MAX'],
  ...[...LATENCY_BUCKET_COLUMNS, ...TTFB_BUCKET_COLUMNS].map((c): [string, 'SUM'] => [c, 'SUM']),
];

/**
 * Comma-separated aggregates: a chart reads thousands of groups, and sixty numeric columns per row
 * cost the driver far more to hand over than one short string (the SQL itself takes a millisecond).
 */
function packed(columns: ReadonlyArray<[string, 'SUM' | 'MAX']>): string {
  return columns.map(([c, fn]) => `CAST(${fn}("${c}") AS TEXT)`).join(` || ',' || `);
}

function toTotals(r: Record<string, unknown>): RollupTotals {
  const values = String(r.n).split(',').map(Number);
  const byColumn = new Map(PACKED_COLUMNS.map(([c], i) => [c, values[i] ?? 0]));
  const totals = {
    bucket: r.t === null || r.t === undefined ? null : Number(r.t),
    group: typeof r.g === 'string' || typeof r.g === 'number' ? String(r.g) : null,
    latencyMax: byColumn.get('latency_max') ?? 0,
    lastTs: byColumn.get('last_ts') ?? 0,
    latency: LATENCY_BUCKET_COLUMNS.map((c) => byColumn.get(c) ?? 0),
    ttfb: TTFB_BUCKET_COLUMNS.map((c) => byColumn.get(c) ?? 0),
  } as RollupTotals;
  for (const [field, column] of SUMS) {
    (totals[field] as number) = byColumn.get(column) ?? 0;
  }
  return totals;
}
