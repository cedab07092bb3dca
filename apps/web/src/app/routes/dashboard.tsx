import { Alert, Button, Card, CardContent, Grid, Stack, Typography } from '@mui/material';
import { useNavigate } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { PageHeader } from '@/components/page-header';
import { paths } from '@/config/paths';
import { keysQueries } from '@/features/keys/api/keys.queries';
import { RecentErrors } from '@/features/logs/components/recent-errors';
import { useLiveTicks } from '@/features/stats/api/use-live-ticks';
import { KeyHealth, type RestingKey } from '@/features/stats/components/key-health';
import { LiveTiles } from '@/features/stats/components/live-tiles';
import { LiveTrafficChart } from '@/features/stats/components/live-traffic-chart';

function GettingStarted() {
  const navigate = useNavigate();
  return (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Typography variant="h6" component="h2">
          Get started in three steps
        </Typography>
        <Typography variant="body2" color="text.secondary" component="ol" sx={{ pl: 2.5, my: 1 }}>
          <li>
            Add an upstream: the provider you have keys for (presets for OpenAI, Gemini, Groq, Anthropic,
            Ollama…).
          </li>
          <li>Add its keys: paste them all at once.</li>
          <li>Point your OpenAI client at this server’s /v1 (Settings has the snippet).</li>
        </Typography>
        <Stack direction="row" spacing={1}>
          <Button variant="contained" onClick={() => void navigate(`${paths.upstreams}?add=1`)}>
            Add an upstream
          </Button>
          <Button onClick={() => void navigate(paths.settings)}>See client setup</Button>
        </Stack>
      </CardContent>
    </Card>
  );
}

export function DashboardRoute() {
  const live = useLiveTicks();
  const navigate = useNavigate();
  const status = live.status;
  const keys = useQuery(keysQueries.list());
  // Keys waiting out a cooldown, quota or open breaker, soonest back first.
  const resting = useMemo<RestingKey[]>(
    () =>
      (keys.data ?? [])
        .filter((k) => ['cooling_down', 'quota_exhausted', 'circuit_open'].includes(k.state.status))
        .sort((a, b) => (a.state.cooldownUntil ?? '').localeCompare(b.state.cooldownUntil ?? ''))
        .map((k) => ({
          id: k.id,
          upstreamId: k.upstreamId,
          label: k.name || k.maskedSecret,
          status: k.state.status,
          until: k.state.cooldownUntil,
        })),
    [keys.data],
  );
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={live.mode === 'live' ? 'Live: updates every second.' : 'Updates every few seconds.'}
      />
      {status?.proxyOpen && (
        <Alert
          severity="warning"
          sx={{ mb: 2 }}
          action={
            <Button color="inherit" size="small" onClick={() => void navigate(paths.clientKeys)}>
              Create a client key
            </Button>
          }
        >
          The proxy is open: no master key or client key is set, so anyone who can reach this server can spend
          your keys.
        </Alert>
      )}
      {status && status.upstreams.length === 0 && <GettingStarted />}
      <LiveTiles live={live} />
      <Grid container spacing={2} sx={{ mt: 2 }}>
        <Grid size={{ xs: 12, lg: 8 }}>
          <LiveTrafficChart />
        </Grid>
        <Grid size={{ xs: 12, lg: 4 }}>
          <KeyHealth status={status} resting={resting} />
        </Grid>
        <Grid size={12}>
          <RecentErrors onOpenLogs={() => void navigate(paths.logs)} />
        </Grid>
      </Grid>
    </>
  );
}
