import { OutcomeClass, type StatusClass } from '@keypool/shared';
import { bucketIndex, emptyHistogram } from './latency-histogram';
import { GRAIN_MS, Grain, floorTo } from './rollup-grain';

/** The fields of a log row that rollups aggregate. */
export interface RollupSource {
  ts: number;
  upstreamId: string | null;
  keyId: string | null;
  model: string | null;
  clientKeyId: string | null;
  statusClass: StatusClass;
  outcome: OutcomeClass;
  attempts: number;
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  latencyMs: number;
  ttfbMs: number | null;
}

/** The single dimensions rollups are kept per; `all` has one row per bucket for the whole pool. */
export const RollupDimension = {
  All: 'all',
  Key: 'key',
  Model: 'model',
  Upstream: 'upstream',
  Client: 'client',
  Status: 'status',
} as const;
export type RollupDimension = (typeof RollupDimension)[keyof typeof RollupDimension];

/** One rollup row's worth of deltas for a (grain, dimension, bucket, value) key. */
export interface RollupDelta {
  grain: Grain;
  dim: RollupDimension;
  bucket: number;
  /** The dimension's value ('' when the log row has none, and for `all`). */
  value: string;
  requests: number;
  success: number;
  clientErrors: number;
  rateLimited: number;
  quotaExhausted: number;
  keyInvalid: number;
  upstreamErrors: number;
  gatewayErrors: number;
  cancelled: number;
  retried: number;
  attempts: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  latencySum: number;
  ttfbSum: number;
  ttfbCount: number;
  latencyMax: number;
  lastTs: number;
  latency: number[];
  ttfb: number[];
}

const FAILURE_FIELD: Record<OutcomeClass, keyof RollupDelta | null> = {
  [OutcomeClass.Success]: 'success',
  [OutcomeClass.ClientError]: 'clientErrors',
  [OutcomeClass.RateLimited]: 'rateLimited',
  [OutcomeClass.QuotaExhausted]: 'quotaExhausted',
  [OutcomeClass.KeyInvalid]: 'keyInvalid',
  [OutcomeClass.UpstreamError]: 'upstreamErrors',
  [OutcomeClass.GatewayError]: 'gatewayErrors',
  [OutcomeClass.ClientCancel]: 'cancelled',
};

/** The order of a bucket's per-dimension maps in the accumulator. */
const DIMENSIONS = [
  RollupDimension.All,
  RollupDimension.Key,
  RollupDimension.Model,
  RollupDimension.Upstream,
  RollupDimension.Client,
  RollupDimension.Status,
] as const;

type DimensionMaps = Array<Map<string, RollupDelta>>;

/**
 * Folds a batch of log rows into one delta per rollup key, so each key is upserted once per batch.
 * Every row counts once in each dimension: per grain one `all` row, one per key, model, upstream, ...
 * Rows are folded as they are recorded, so lookups go through nested maps (grain → bucket → dimension →
 * value) and allocate nothing unless a key is new.
 */
export class RollupAccumulator {
  private readonly grains = new Map<Grain, Map<number, DimensionMaps>>();

  add(grains: readonly Grain[], row: RollupSource): void {
    for (const grain of grains) {
      let buckets = this.grains.get(grain);
      if (!buckets) {
        buckets = new Map();
        this.grains.set(grain, buckets);
      }
      const bucket = floorTo(row.ts, GRAIN_MS[grain]);
      let dims = buckets.get(bucket);
      if (!dims) {
        dims = DIMENSIONS.map(() => new Map<string, RollupDelta>());
        buckets.set(bucket, dims);
      }
      fold(dims[0], grain, RollupDimension.All, bucket, '', row);
      fold(dims[1], grain, RollupDimension.Key, bucket, row.keyId ?? '', row);
      fold(dims[2], grain, RollupDimension.Model, bucket, row.model ?? '', row);
      fold(dims[3], grain, RollupDimension.Upstream, bucket, row.upstreamId ?? '', row);
      fold(dims[4], grain, RollupDimension.Client, bucket, row.clientKeyId ?? '', row);
      fold(dims[5], grain, RollupDimension.Status, bucket, row.statusClass, row);
    }
  }

  rows(): RollupDelta[] {
    const out: RollupDelta[] = [];
    for (const buckets of this.grains.values()) {
      for (const dims of buckets.values()) {
        for (const values of dims) {
          out.push(...values.values());
        }
      }
    }
    return out;
  }
}

function fold(
  values: Map<string, RollupDelta>,
  grain: Grain,
  dim: RollupDimension,
  bucket: number,
  value: string,
  row: RollupSource,
): void {
  let delta = values.get(value);
  if (!delta) {
    delta = emptyDelta(grain, dim, bucket, value);
    values.set(value, delta);
  }
  apply(delta, row);
}

function emptyDelta(grain: Grain, dim: RollupDimension, bucket: number, value: string): RollupDelta {
  return {
    grain,
    dim,
    bucket,
    value,
    requests: 0,
    success: 0,
    clientErrors: 0,
    rateLimited: 0,
    quotaExhausted: 0,
    keyInvalid: 0,
    upstreamErrors: 0,
    gatewayErrors: 0,
    cancelled: 0,
    retried: 0,
    attempts: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    latencySum: 0,
    ttfbSum: 0,
    ttfbCount: 0,
    latencyMax: 0,
    lastTs: 0,
    latency: emptyHistogram(),
    ttfb: emptyHistogram(),
  };
}

function apply(delta: RollupDelta, row: RollupSource): void {
  delta.requests += 1;
  const field = FAILURE_FIELD[row.outcome];
  if (field) {
    (delta[field] as number) += 1;
  }
  if (row.attempts > 1) {
    delta.retried += 1;
  }
  delta.attempts += row.attempts;
  delta.promptTokens += row.promptTokens ?? 0;
  delta.completionTokens += row.completionTokens ?? 0;
  delta.totalTokens += row.totalTokens ?? 0;
  delta.latencySum += row.latencyMs;
  delta.latencyMax = Math.max(delta.latencyMax, row.latencyMs);
  delta.latency[bucketIndex(row.latencyMs)] += 1;
  if (row.ttfbMs !== null) {
    delta.ttfbSum += row.ttfbMs;
    delta.ttfbCount += 1;
    delta.ttfb[bucketIndex(row.ttfbMs)] += 1;
  }
  delta.lastTs = Math.max(delta.lastTs, row.ts);
}
