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
    options: {
      byBucket?: boolean;
      groupBy?: Exclude<RollupDimension, 'all'>;
      /** `chart`: only requests, success, cancelled, total tokens and the latency histogram. */
      measures?: 'all' | 'chart';
    } = {},
  ): Promise<RollupTotals[]> {
    if (segments.length === 0) {
      return [];
    }
    const params = new SqlParams(sqlDriverOf(this.dataSource.options.type));
    const dim = options.groupBy ?? RollupDimension.All;
    const columns = options.measures === 'chart' ? CHART_COLUMNS : ALL_COLUMNS;
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
      `${packed(columns)} AS "n"`,
    ];
    const sql =
      `SELECT ${select.join(', ')} FROM "${ROLLUP_TABLE}" WHERE ${where}` +
      (keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : '') +
      (options.byBucket ? ' ORDER BY "bucket"' : '');
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(sql, params.values);
    return rows.filter((r) => typeof r.n === 'string').map((r) => toTotals(r, columns));
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

type Packed = ReadonlyArray<[string, 'SUM' | 'MAX']>;

/** The sums and maxima of a group travel as one text column, in this order. */
const ALL_COLUMNS: Packed = [
  ...SUMS.map(([, c]): [string, 'SUM'] => [c, 'SUM']),
  ['latency_max', 'MAX'],
  ['last_ts', 'MAX'],
  ...[...LATENCY_BUCKET_COLUMNS, ...TTFB_BUCKET_COLUMNS].map((c): [string, 'SUM'] => [c, 'SUM']),
];
/** What a chart point needs: a 7-day chart by key reads thousands of groups, so less is faster. */
const CHART_COLUMNS: Packed = [
  ['requests', 'SUM'],
  ['success', 'SUM'],
  ['cancelled', 'SUM'],
  ['total_tokens', 'SUM'],
  ['latency_max', 'MAX'],
  ...LATENCY_BUCKET_COLUMNS.map((c): [string, 'SUM'] => [c, 'SUM']),
];
const FIELD_OF_COLUMN = new Map<string, keyof RollupTotals>([
  ...SUMS.map(([field, column]): [string, keyof RollupTotals] => [column, field]),
  ['latency_max', 'latencyMax'],
  ['last_ts', 'lastTs'],
]);
const LATENCY_INDEX = new Map(LATENCY_BUCKET_COLUMNS.map((c, i) => [c, i]));
const TTFB_INDEX = new Map(TTFB_BUCKET_COLUMNS.map((c, i) => [c, i]));

/**
 * Comma-separated aggregates: a chart reads thousands of groups, and sixty numeric columns per row
 * cost the driver far more to hand over than one short string (the SQL itself takes a millisecond).
 */
function packed(columns: Packed): string {
  return columns.map(([c, fn]) => `CAST(${fn}("${c}") AS TEXT)`).join(` || ',' || `);
}

function toTotals(r: Record<string, unknown>, columns: Packed): RollupTotals {
  const totals = emptyTotals();
  totals.bucket = r.t === null || r.t === undefined ? null : Number(r.t);
  totals.group = typeof r.g === 'string' || typeof r.g === 'number' ? String(r.g) : null;
  const values = String(r.n).split(',');
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i][0];
    const value = Number(values[i] ?? 0);
    const field = FIELD_OF_COLUMN.get(column);
    if (field) {
      (totals[field] as number) = value;
      continue;
    }
    const lat = LATENCY_INDEX.get(column);
    if (lat !== undefined) {
      totals.latency[lat] = value;
    } else {
      totals.ttfb[TTFB_INDEX.get(column) ?? 0] = value;
    }
  }
  return totals;
}

/** All zeros: groups without rows, and fields a narrower read does not fetch. */
export function emptyTotals(): RollupTotals {
  return {
    bucket: null,
    group: null,
    requests: 0,
    success: 0,
    clientErrors: 0,
    rateLimited: 0,
    quotaExhausted: 0,
    keyInvalid: 0,
    upstreamErrors: 0,
    gatewayErrors: 0,
    cancelled: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    latencySum: 0,
    latencyMax: 0,
    ttfbSum: 0,
    ttfbCount: 0,
    lastTs: 0,
    latency: new Array<number>(LATENCY_BUCKET_COLUMNS.length).fill(0),
    ttfb: new Array<number>(TTFB_BUCKET_COLUMNS.length).fill(0),
  };
}
