import { Grid } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorState } from '@/components/error-state';
import { PageHeader } from '@/components/page-header';
import { StatCard } from '@/components/stat-card';
import { formatCompact, formatMs, formatNumber, formatPercent } from '@/lib/format';
import { bucketFor, statsQueries } from '../api/stats.queries';
import { ChartCard } from './chart-card';
import { RangePicker, type PresetRange } from './range-picker';
import { KeyDistributionChart, LatencyChart, RequestsChart, TokensByModelChart } from './stats-charts';

export function StatsPanel() {
  const [range, setRange] = useState<PresetRange>('24h');
  const bucket = bucketFor(range);
  const summary = useQuery(statsQueries.summary({ range }));
  const series = useQuery(statsQueries.timeseries({ range, bucket }));
  const byModel = useQuery(statsQueries.timeseries({ range, bucket: 'day', groupBy: 'model' }));
  const keys = useQuery(statsQueries.keys({ range }));
  const s = summary.data;
  const noTraffic = s?.requests === 0;

  return (
    <>
      <PageHeader
        title="Stats"
        description="Traffic, errors, tokens and latency over time, from hourly rollups."
        actions={<RangePicker value={range} onChange={setRange} />}
      />
      {summary.isError && (
        <ErrorState
          error={summary.error}
          onRetry={() => void summary.refetch()}
          title="Could not load stats"
        />
      )}
      <Grid container spacing={2} sx={{ mb: 2 }}>
        <Grid size={{ xs: 6, md: 3 }}>
          <StatCard
            label="Requests"
            loading={summary.isPending}
            value={formatNumber(s?.requests)}
            hint={`${formatNumber(s?.cancelled)} cancelled by clients`}
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <StatCard
            label="Error rate"
            loading={summary.isPending}
            value={formatPercent(s?.errorRate)}
            hint={`${formatNumber(s ? s.requests - s.success - s.cancelled : null)} failed`}
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <StatCard
            label="Tokens"
            loading={summary.isPending}
            value={formatCompact(s?.totalTokens)}
            hint={`${formatCompact(s?.promptTokens)} in · ${formatCompact(s?.completionTokens)} out`}
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <StatCard
            label="Latency p50 / p95"
            loading={summary.isPending}
            value={`${formatMs(s?.latencyMs.p50)} / ${formatMs(s?.latencyMs.p95)}`}
            hint={`TTFB p50 ${formatMs(s?.ttfbMs.p50)}`}
          />
        </Grid>
      </Grid>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, lg: 8 }}>
          <ChartCard
            title="Requests and errors"
            loading={series.isPending}
            empty={noTraffic || series.data?.points.length === 0}
          >
            {series.data && <RequestsChart data={series.data} />}
          </ChartCard>
        </Grid>
        <Grid size={{ xs: 12, lg: 4 }}>
          <ChartCard
            title="Requests per key"
            loading={keys.isPending}
            empty={noTraffic || !keys.data?.some((k) => k.requests > 0)}
          >
            {keys.data && <KeyDistributionChart rows={keys.data} />}
          </ChartCard>
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ChartCard
            title="Latency"
            subtitle="p50 and p95 per bucket"
            loading={series.isPending}
            empty={noTraffic || series.data?.points.length === 0}
          >
            {series.data && <LatencyChart data={series.data} />}
          </ChartCard>
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ChartCard
            title="Tokens per model"
            loading={byModel.isPending}
            empty={noTraffic || byModel.data?.points.length === 0}
          >
            {byModel.data && <TokensByModelChart data={byModel.data} />}
          </ChartCard>
        </Grid>
      </Grid>
    </>
  );
}
