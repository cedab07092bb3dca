import type { IsoDate } from './common';
import type { KeyStatus, SelectionStrategy } from './enums';

/** `1h | 24h | 7d | 30d`, or `custom` with from/to. */
export type StatsRange = '1h' | '24h' | '7d' | '30d' | 'custom';
export type StatsGroupBy = 'key' | 'model' | 'upstream' | 'client' | 'status';
export type StatsBucket = 'minute' | 'hour' | 'day';

export interface StatsQuery {
  range?: StatsRange;
  from?: IsoDate;
  to?: IsoDate;
}

export interface LatencyPercentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface StatsSummary {
  from: IsoDate;
  to: IsoDate;
  requests: number;
  success: number;
  /** Failures by outcome class (client cancels are counted but not errors). */
  failures: Record<string, number>;
  cancelled: number;
  errorRate: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  latencyMs: LatencyPercentiles;
  ttfbMs: LatencyPercentiles;
}

export interface TimeseriesQuery extends StatsQuery {
  bucket?: StatsBucket;
  groupBy?: StatsGroupBy;
}

export interface TimeseriesPoint {
  t: IsoDate;
  /** Group value (key id, model, ...) or `all` when not grouped. */
  group: string;
  requests: number;
  errors: number;
  totalTokens: number;
  latencyMs: LatencyPercentiles;
}

export interface TimeseriesResponse {
  from: IsoDate;
  to: IsoDate;
  bucket: StatsBucket;
  groupBy: StatsGroupBy | null;
  points: TimeseriesPoint[];
}

export interface KeyStatsRow {
  keyId: string;
  keyName: string;
  maskedSecret: string;
  upstreamId: string;
  requests: number;
  success: number;
  successRate: number | null;
  totalTokens: number;
  lastUsedAt: IsoDate | null;
  cooldowns: number;
  failures: number;
  status: KeyStatus;
}

export interface UpstreamStatus {
  upstreamId: string;
  name: string;
  strategy: SelectionStrategy;
  keys: Record<KeyStatus, number>;
  total: number;
}

/** Live state now: the load-balancer status endpoint. */
export interface LiveStatus {
  at: IsoDate;
  upstreams: UpstreamStatus[];
  inFlight: number;
  requestsLastMinute: number;
  /** Counters since start or the last reset. */
  totals: { requests: number; success: number; failures: number; since: IsoDate };
  proxyOpen: boolean;
}

/** One Server-Sent Event of `GET /api/stats/live` (event name `tick`), about once a second. */
export interface LiveTick {
  status: LiveStatus;
  /** Requests finished during the last second. */
  requestsPerSecond: number;
  successPerSecond: number;
  errorsPerSecond: number;
  tokensPerSecond: number;
  /** Mean latency of requests finished in the last second (ms). */
  avgLatencyMs: number | null;
}
