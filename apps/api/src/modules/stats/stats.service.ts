import { Injectable } from '@nestjs/common';
import {
  type KeyStatsRow,
  type LatencyPercentiles,
  type StatsQuery,
  type StatsSummary,
  type TimeseriesPoint,
  type TimeseriesQuery,
  type TimeseriesResponse,
} from '@keypool/shared';
import { ValidationError } from '../../common/errors/app-error';
import { KeyStateReader } from '../balancer/key-state.reader';
import { PoolCatalog } from '../keys/pool-catalog.service';
import { estimateQuantile } from './rollups/latency-histogram';
import { planSegments } from './rollups/plan-segments';
import { RollupDimension } from './rollups/rollup-accumulator';
import { GRAIN_RETENTION_MS, Grain, availabilityAt, ceilTo, floorTo } from './rollups/rollup-grain';
import { BUCKET_MS, MAX_POINTS, defaultBucket, resolveRange } from './stats-range';
import { StatsRepository, emptyTotals, type RollupTotals } from './stats.repository';

const GROUP_DIMENSIONS: Record<NonNullable<TimeseriesQuery['groupBy']>, Exclude<RollupDimension, 'all'>> = {
  key: RollupDimension.Key,
  model: RollupDimension.Model,
  upstream: RollupDimension.Upstream,
  client: RollupDimension.Client,
  status: RollupDimension.Status,
};
const BUCKET_GRAIN = { minute: Grain.Minute, hour: Grain.Hour, day: Grain.Day } as const;

/** Aggregates over rollup rows (never raw logs), so cost depends on the range, not on the log count. */
@Injectable()
export class StatsService {
  /** Replaced by tests with a fixed clock. */
  now: () => number = Date.now;

  constructor(
    private readonly repository: StatsRepository,
    private readonly catalog: PoolCatalog,
    private readonly keyState: KeyStateReader,
  ) {}

  async summary(query: StatsQuery): Promise<StatsSummary> {
    const now = this.now();
    const range = resolveRange(query, now);
    const plan = planSegments(range.from, range.to, availabilityAt(now));
    const [totals] = await this.repository.aggregate(plan.segments);
    const t = totals ?? emptyTotals();
    return {
      from: iso(plan.from),
      to: iso(plan.to),
      requests: t.requests,
      success: t.success,
      failures: failuresOf(t),
      cancelled: t.cancelled,
      errorRate: errorRate(t),
      promptTokens: t.promptTokens,
      completionTokens: t.completionTokens,
      totalTokens: t.totalTokens,
      latencyMs: percentiles(t.latency, t.latencyMax),
      ttfbMs: percentiles(t.ttfb, t.latencyMax),
    };
  }

  async timeseries(query: TimeseriesQuery): Promise<TimeseriesResponse> {
    const now = this.now();
    const range = resolveRange(query, now);
    const bucket = query.bucket ?? defaultBucket(range.from, range.to);
    const step = BUCKET_MS[bucket];
    const grain = BUCKET_GRAIN[bucket];
    const from = floorTo(range.from, step);
    const to = ceilTo(range.to, step);
    if ((to - from) / step > MAX_POINTS) {
      throw new ValidationError(`Too many ${bucket} buckets for this range; choose a coarser bucket`, {
        bucket: [`at most ${MAX_POINTS} buckets per series`],
      });
    }
    if (grain !== Grain.Day && from < now - GRAIN_RETENTION_MS[grain]) {
      throw new ValidationError(`${bucket} buckets are kept for a limited time; choose a coarser bucket`, {
        bucket: [`${bucket} buckets reach back ${GRAIN_RETENTION_MS[grain] / 3_600_000} hours`],
      });
    }
    const groupBy = query.groupBy ?? null;
    const rows = await this.repository.aggregate([{ grain, from, to }], {
      byBucket: true,
      groupBy: groupBy ? GROUP_DIMENSIONS[groupBy] : undefined,
      measures: 'chart',
    });
    const points = rows.map((r) => toPoint(r.bucket ?? from, groupBy ? r.group || 'none' : 'all', r));
    return {
      from: iso(from),
      to: iso(to),
      bucket,
      groupBy,
      points: groupBy ? points : fillGaps(points, from, to, step),
    };
  }

  async keys(query: StatsQuery): Promise<KeyStatsRow[]> {
    const now = this.now();
    const range = resolveRange(query, now);
    const plan = planSegments(range.from, range.to, availabilityAt(now));
    const [rows, cooldowns] = await Promise.all([
      this.repository.aggregate(plan.segments, { groupBy: RollupDimension.Key }),
      this.repository.cooldownsByKey(plan.from, plan.to),
    ]);
    const byKey = new Map(rows.map((r) => [r.group ?? '', r]));
    const snapshot = this.catalog.snapshot();
    return snapshot.upstreams.flatMap((upstream) =>
      upstream.keys.map((key) => {
        const t = byKey.get(key.id) ?? emptyTotals();
        const live = this.keyState.liveState(key);
        const lastUsed = Math.max(t.lastTs, live.lastUsedAt ? Date.parse(live.lastUsedAt) : 0);
        const counted = t.requests - t.cancelled;
        return {
          keyId: key.id,
          keyName: key.name,
          maskedSecret: key.maskedSecret,
          upstreamId: upstream.id,
          requests: t.requests,
          success: t.success,
          successRate: counted > 0 ? t.success / counted : null,
          totalTokens: t.totalTokens,
          lastUsedAt: lastUsed > 0 ? iso(lastUsed) : null,
          cooldowns: cooldowns.get(key.id) ?? 0,
          failures: counted - t.success,
          status: live.status,
        };
      }),
    );
  }
}

function toPoint(t: number, group: string, r: RollupTotals): TimeseriesPoint {
  return {
    t: iso(t),
    group,
    requests: r.requests,
    errors: r.requests - r.success - r.cancelled,
    totalTokens: r.totalTokens,
    latencyMs: percentiles(r.latency, r.latencyMax),
  };
}

/** Ungrouped series get a point for every bucket, so charts need no gap logic. */
function fillGaps(points: TimeseriesPoint[], from: number, to: number, step: number): TimeseriesPoint[] {
  const byT = new Map(points.map((p) => [p.t, p]));
  const filled: TimeseriesPoint[] = [];
  for (let t = from; t < to; t += step) {
    filled.push(
      byT.get(iso(t)) ?? {
        t: iso(t),
        group: 'all',
        requests: 0,
        errors: 0,
        totalTokens: 0,
        latencyMs: { p50: null, p95: null, p99: null },
      },
    );
  }
  return filled;
}

function failuresOf(t: RollupTotals): Record<string, number> {
  return {
    client_error: t.clientErrors,
    rate_limited: t.rateLimited,
    quota_exhausted: t.quotaExhausted,
    key_invalid: t.keyInvalid,
    upstream_error: t.upstreamErrors,
    gateway_error: t.gatewayErrors,
  };
}

/** Failed share of the requests that were not cancelled by their client. */
function errorRate(t: RollupTotals): number {
  const counted = t.requests - t.cancelled;
  return counted > 0 ? (counted - t.success) / counted : 0;
}

function percentiles(counts: number[], max: number): LatencyPercentiles {
  const cap = max > 0 ? max : null;
  return {
    p50: estimateQuantile(counts, 0.5, cap),
    p95: estimateQuantile(counts, 0.95, cap),
    p99: estimateQuantile(counts, 0.99, cap),
  };
}

function iso(t: number): string {
  return new Date(t).toISOString();
}
