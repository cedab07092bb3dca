import { Grid } from '@mui/material';
import { StatCard } from '@/components/stat-card';
import { formatMs, formatNumber, formatPercent } from '@/lib/format';
import type { LiveState } from '../api/use-live-ticks';

/** The dashboard's headline numbers; per-second figures when the SSE stream is up. */
export function LiveTiles({ live }: { live: LiveState }) {
  const { tick, status, mode } = live;
  const loading = status === undefined;
  const totals = status?.totals;
  const successRate = totals && totals.requests > 0 ? totals.success / totals.requests : null;
  const perSecond = tick ? tick.requestsPerSecond : status ? status.requestsLastMinute / 60 : null;
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard
          label="Requests"
          loading={loading}
          value={formatNumber(totals?.requests)}
          hint={totals ? `since ${new Date(totals.since).toLocaleString()}` : undefined}
        />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard
          label="Request rate"
          loading={loading}
          value={perSecond === null ? '—' : `${perSecond.toFixed(perSecond < 10 ? 1 : 0)}/s`}
          hint={`${formatNumber(status?.requestsLastMinute)} in the last minute · ${formatNumber(status?.inFlight)} in flight`}
        />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard
          label="Success rate"
          loading={loading}
          value={formatPercent(successRate)}
          hint={`${formatNumber(totals?.failures)} failed`}
        />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard
          label="Tokens and latency"
          loading={loading}
          value={tick ? `${formatNumber(Math.round(tick.tokensPerSecond))} tok/s` : '—'}
          hint={
            mode === 'live'
              ? `avg latency ${formatMs(tick?.avgLatencyMs)}`
              : 'live stream unavailable: polling'
          }
        />
      </Grid>
    </Grid>
  );
}
