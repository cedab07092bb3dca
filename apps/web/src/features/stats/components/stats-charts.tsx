import type { KeyStatsRow, TimeseriesResponse } from '@keypool/shared';
import { BarChart } from '@mui/x-charts/BarChart';
import { LineChart } from '@mui/x-charts/LineChart';
import { PieChart } from '@mui/x-charts/PieChart';
import { chartPalette } from '@/theme/primitives';
import { formatCompact, formatMs } from '@/lib/format';
import { toSeries, totalsByGroup } from '../api/series';

const HEIGHT = 260;

function timeFormatter(bucket: TimeseriesResponse['bucket']) {
  return (d: Date) =>
    bucket === 'day'
      ? d.toLocaleDateString([], { month: 'short', day: 'numeric' })
      : bucket === 'hour'
        ? d.toLocaleString([], { weekday: 'short', hour: '2-digit' })
        : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function RequestsChart({ data }: { data: TimeseriesResponse }) {
  const s = toSeries(data.points);
  return (
    <LineChart
      height={HEIGHT}
      colors={chartPalette}
      xAxis={[{ data: s.time, scaleType: 'time', valueFormatter: timeFormatter(data.bucket) }]}
      yAxis={[{ valueFormatter: (v: number) => formatCompact(v), width: 48 }]}
      series={[
        { data: s.requests, label: 'Requests', area: true, showMark: false, color: chartPalette[0] },
        { data: s.errors, label: 'Errors', showMark: false, color: chartPalette[3] },
      ]}
      grid={{ horizontal: true }}
    />
  );
}

export function LatencyChart({ data }: { data: TimeseriesResponse }) {
  const s = toSeries(data.points);
  // Sparse data (a few busy buckets) would draw no line at all without marks.
  const showMark = s.p50.filter((v) => v !== null).length < 4;
  return (
    <LineChart
      height={HEIGHT}
      xAxis={[{ data: s.time, scaleType: 'time', valueFormatter: timeFormatter(data.bucket) }]}
      yAxis={[{ valueFormatter: (v: number) => formatMs(v), width: 64 }]}
      series={[
        { data: s.p50, label: 'p50', showMark, connectNulls: true, color: chartPalette[1] },
        { data: s.p95, label: 'p95', showMark, connectNulls: true, color: chartPalette[2] },
      ]}
      grid={{ horizontal: true }}
    />
  );
}

export function TokensByModelChart({ data }: { data: TimeseriesResponse }) {
  const rows = totalsByGroup(data.points, (p) => p.totalTokens).slice(0, 10);
  return (
    <BarChart
      height={HEIGHT}
      layout="horizontal"
      yAxis={[{ scaleType: 'band', data: rows.map((r) => r.group), width: 120 }]}
      xAxis={[{ valueFormatter: (v: number) => formatCompact(v) }]}
      series={[{ data: rows.map((r) => r.value), label: 'Tokens', color: chartPalette[4] }]}
      grid={{ vertical: true }}
    />
  );
}

export function KeyDistributionChart({ rows }: { rows: KeyStatsRow[] }) {
  const sorted = [...rows].filter((r) => r.requests > 0).sort((a, b) => b.requests - a.requests);
  const top = sorted.slice(0, 7);
  const rest = sorted.slice(7).reduce((sum, r) => sum + r.requests, 0);
  const data = top.map((r, i) => ({
    id: r.keyId,
    value: r.requests,
    label: r.keyName || r.maskedSecret,
    color: chartPalette[i],
  }));
  if (rest > 0) {
    data.push({ id: 'other', value: rest, label: 'Other keys', color: chartPalette[7] });
  }
  return (
    <PieChart
      height={HEIGHT}
      series={[
        {
          data,
          innerRadius: 55,
          paddingAngle: 1,
          cornerRadius: 3,
          highlightScope: { fade: 'global', highlight: 'item' },
        },
      ]}
    />
  );
}
