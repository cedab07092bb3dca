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

/** The order of a combination's dimension values and of a bucket's per-dimension maps. */
const DIMENSIONS = [
  RollupDimension.All,
  RollupDimension.Key,
  RollupDimension.Model,
  RollupDimension.Upstream,
  RollupDimension.Client,
  RollupDimension.Status,
] as const;

type DimensionMaps = Array<Map<string, RollupDelta>>;

/** Rows that share every dimension value, the minute and the grains they count in, folded together. */
interface Combination {
  grains: readonly Grain[];
  minute: number;
  values: readonly string[];
  delta: RollupDelta;
}

/**
 * Folds a batch of log rows into one delta per rollup key, so each key is upserted once per batch.
 * Every row counts once in each dimension: per grain one `all` row, one per key, model, upstream, ...
 * A row is folded once, as it is recorded, into the rows sharing its minute and dimension values (a
 * batch holds a handful of such combinations); `rows()` spreads those over grains and dimensions.
 */
export class RollupAccumulator {
  private readonly combinations = new Map<string, Combination>();

  add(grains: readonly Grain[], row: RollupSource): void {
    const minute = floorTo(row.ts, GRAIN_MS[Grain.Minute]);
    const keyId = row.keyId ?? '';
    const model = row.model ?? '';
    const upstreamId = row.upstreamId ?? '';
    const clientKeyId = row.clientKeyId ?? '';
    // Every part but the last is keypool's own (ids, a status class) and holds no NUL, so the model,
    // which a client chooses, goes last: no two combinations share an id.
    const id = `${grains.join('')}\u0000${minute}\u0000${keyId}\u0000${upstreamId}\u0000${clientKeyId}\u0000${row.statusClass}\u0000${model}`;
    let combination = this.combinations.get(id);
    if (!combination) {
      // In DIMENSIONS order.
      const values = ['', keyId, model, upstreamId, clientKeyId, row.statusClass];
      const delta = emptyDelta(Grain.Minute, RollupDimension.All, minute, '');
      combination = { grains, minute, values, delta };
      this.combinations.set(id, combination);
    }
    apply(combination.delta, row);
  }

  rows(): RollupDelta[] {
    const grains = new Map<Grain, Map<number, DimensionMaps>>();
    for (const { grains: counted, minute, values, delta } of this.combinations.values()) {
      for (const grain of counted) {
        let buckets = grains.get(grain);
        if (!buckets) {
          buckets = new Map();
          grains.set(grain, buckets);
        }
        const bucket = floorTo(minute, GRAIN_MS[grain]);
        let dims = buckets.get(bucket);
        if (!dims) {
          dims = DIMENSIONS.map(() => new Map<string, RollupDelta>());
          buckets.set(bucket, dims);
        }
        for (let d = 0; d < DIMENSIONS.length; d++) {
          let target = dims[d].get(values[d]);
          if (!target) {
            target = emptyDelta(grain, DIMENSIONS[d], bucket, values[d]);
            dims[d].set(values[d], target);
          }
          merge(target, delta);
        }
      }
    }
    const out: RollupDelta[] = [];
    for (const buckets of grains.values()) {
      for (const dims of buckets.values()) {
        for (const values of dims) {
          out.push(...values.values());
        }
      }
    }
    return out;
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

type SummedField = Exclude<
  keyof RollupDelta,
  'grain' | 'dim' | 'bucket' | 'value' | 'latencyMax' | 'lastTs' | 'latency' | 'ttfb'
>;

/** The counters of a delta that add up, read off `emptyDelta` so that a new counter cannot be missed. */
const SUMMED_FIELDS = Object.entries(emptyDelta(Grain.Minute, RollupDimension.All, 0, ''))
  .filter(
    ([field, value]) => typeof value === 'number' && !['bucket', 'latencyMax', 'lastTs'].includes(field),
  )
  .map(([field]) => field as SummedField);

/** Adds one folded combination's counts to a rollup key's delta (maxima for `latencyMax` and `lastTs`). */
function merge(target: RollupDelta, source: RollupDelta): void {
  for (const field of SUMMED_FIELDS) {
    target[field] += source[field];
  }
  target.latencyMax = Math.max(target.latencyMax, source.latencyMax);
  target.lastTs = Math.max(target.lastTs, source.lastTs);
  for (let i = 0; i < source.latency.length; i++) {
    target.latency[i] += source.latency[i];
    target.ttfb[i] += source.ttfb[i];
  }
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
