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

/**
 * Folds a batch of log rows into one delta per rollup key, so each key is upserted once per batch.
 * Every row counts once in each dimension: per grain one `all` row, one per key, model, upstream, ...
 */
export class RollupAccumulator {
  private readonly deltas = new Map<string, RollupDelta>();

  add(grains: readonly Grain[], row: RollupSource): void {
    const values: Array<[RollupDimension, string]> = [
      [RollupDimension.All, ''],
      [RollupDimension.Key, row.keyId ?? ''],
      [RollupDimension.Model, row.model ?? ''],
      [RollupDimension.Upstream, row.upstreamId ?? ''],
      [RollupDimension.Client, row.clientKeyId ?? ''],
      [RollupDimension.Status, row.statusClass],
    ];
    for (const grain of grains) {
      const bucket = floorTo(row.ts, GRAIN_MS[grain]);
      for (const [dim, value] of values) {
        const mapKey = `${grain}|${dim}|${bucket}|${value}`;
        let delta = this.deltas.get(mapKey);
        if (!delta) {
          delta = emptyDelta(grain, dim, bucket, value);
          this.deltas.set(mapKey, delta);
        }
        apply(delta, row);
      }
    }
  }

  rows(): RollupDelta[] {
    return [...this.deltas.values()];
  }
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
