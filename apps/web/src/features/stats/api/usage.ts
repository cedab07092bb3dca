import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { totalsByGroup } from './series';
import { statsQueries } from './stats.queries';

export interface KeyUsageFigures {
  successRate: number | null;
  requests: number;
  success: number;
  failures: number;
  cooldowns: number;
}

/** Requests, outcomes and cooldowns per key over the last 24 h, keyed by key id. */
export function useKeyUsage(): Record<string, KeyUsageFigures> {
  const rows = useQuery(statsQueries.keys({ range: '24h' }));
  return useMemo(
    () =>
      Object.fromEntries(
        (rows.data ?? []).map((r) => [
          r.keyId,
          {
            successRate: r.successRate,
            requests: r.requests,
            success: r.success,
            failures: r.failures,
            cooldowns: r.cooldowns,
          },
        ]),
      ),
    [rows.data],
  );
}

/** Requests per client key id over the last 24 h. */
export function useClientUsage(): Record<string, number> {
  const series = useQuery(statsQueries.timeseries({ range: '24h', bucket: 'day', groupBy: 'client' }));
  return useMemo(
    () =>
      Object.fromEntries(
        totalsByGroup(series.data?.points ?? [], (p) => p.requests).map((r) => [r.group, r.value]),
      ),
    [series.data],
  );
}
