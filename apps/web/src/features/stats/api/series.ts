import type { TimeseriesPoint } from '@keypool/shared';

/** Points of an ungrouped timeseries, in time order, as chart-ready arrays. */
export function toSeries(points: TimeseriesPoint[]) {
  const sorted = [...points].sort((a, b) => a.t.localeCompare(b.t));
  return {
    time: sorted.map((p) => new Date(p.t)),
    requests: sorted.map((p) => p.requests),
    errors: sorted.map((p) => p.errors),
    tokens: sorted.map((p) => p.totalTokens),
    p50: sorted.map((p) => p.latencyMs.p50),
    p95: sorted.map((p) => p.latencyMs.p95),
  };
}

/** Sums a grouped timeseries per group, largest first. */
export function totalsByGroup(points: TimeseriesPoint[], pick: (p: TimeseriesPoint) => number) {
  const totals = new Map<string, number>();
  for (const p of points) {
    totals.set(p.group, (totals.get(p.group) ?? 0) + pick(p));
  }
  return [...totals.entries()].map(([group, value]) => ({ group, value })).sort((a, b) => b.value - a.value);
}
