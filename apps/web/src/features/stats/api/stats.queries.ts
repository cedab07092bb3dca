import type {
  KeyStatsRow,
  LiveStatus,
  StatsQuery,
  StatsSummary,
  TimeseriesQuery,
  TimeseriesResponse,
} from '@keypool/shared';
import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export const statsQueries = {
  all: () => ['stats'] as const,
  summary: (query: StatsQuery) =>
    queryOptions({
      queryKey: [...statsQueries.all(), 'summary', query],
      queryFn: ({ signal }) => apiRequest<StatsSummary>('/stats/summary', { query: { ...query }, signal }),
      refetchInterval: 15_000,
    }),
  timeseries: (query: TimeseriesQuery) =>
    queryOptions({
      queryKey: [...statsQueries.all(), 'timeseries', query],
      queryFn: ({ signal }) =>
        apiRequest<TimeseriesResponse>('/stats/timeseries', { query: { ...query }, signal }),
      refetchInterval: 15_000,
    }),
  keys: (query: StatsQuery) =>
    queryOptions({
      queryKey: [...statsQueries.all(), 'keys', query],
      queryFn: ({ signal }) => apiRequest<KeyStatsRow[]>('/stats/keys', { query: { ...query }, signal }),
      refetchInterval: 15_000,
    }),
  /** Polled live status: the fallback when the SSE stream is not available. */
  status: (pollMs: number | false = 3_000) =>
    queryOptions({
      queryKey: [...statsQueries.all(), 'status'],
      queryFn: ({ signal }) => apiRequest<LiveStatus>('/stats/status', { signal }),
      refetchInterval: pollMs,
    }),
};

/** Bucket size that gives a readable number of points for a range. */
export function bucketFor(range: NonNullable<StatsQuery['range']>): TimeseriesQuery['bucket'] {
  switch (range) {
    case '1h':
      return 'minute';
    case '24h':
      return 'hour';
    case '7d':
      return 'hour';
    case '30d':
    case 'custom':
      return 'day';
  }
}
