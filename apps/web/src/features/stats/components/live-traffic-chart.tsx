import { LineChart } from '@mui/x-charts/LineChart';
import { useQuery } from '@tanstack/react-query';
import { chartPalette } from '@/theme/primitives';
import { statsQueries } from '../api/stats.queries';
import { toSeries } from '../api/series';
import { ChartCard } from './chart-card';

const WINDOW_MS = 15 * 60_000;

/** Requests and errors per minute over the last 15 minutes, refreshed every few seconds. */
export function LiveTrafficChart() {
  const series = useQuery({
    ...statsQueries.timeseries({ range: '1h', bucket: 'minute' }),
    refetchInterval: 5_000,
  });
  const since = Date.now() - WINDOW_MS;
  const points = (series.data?.points ?? []).filter((p) => new Date(p.t).getTime() >= since);
  const s = toSeries(points);
  return (
    <ChartCard
      title="Last 15 minutes"
      subtitle="Requests and errors per minute"
      loading={series.isPending}
      empty={points.length === 0}
      height={220}
    >
      <LineChart
        height={220}
        xAxis={[
          {
            data: s.time,
            scaleType: 'time',
            min: new Date(since),
            max: new Date(),
            valueFormatter: (d: Date) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
          },
        ]}
        yAxis={[{ width: 40 }]}
        series={[
          { data: s.requests, label: 'Requests', area: true, showMark: false, color: chartPalette[0] },
          { data: s.errors, label: 'Errors', showMark: false, color: chartPalette[3] },
        ]}
        grid={{ horizontal: true }}
      />
    </ChartCard>
  );
}
