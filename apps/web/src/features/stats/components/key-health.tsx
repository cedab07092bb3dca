import type { KeyStatus, LiveStatus } from '@keypool/shared';
import { Box, Card, CardContent, Chip, Skeleton, Stack, Tooltip, Typography } from '@mui/material';
import { KeyStatusChip, keyStatusLabel } from '@/components/key-status-chip';
import { STRATEGY_INFO } from '@/lib/strategy-labels';

const GROUPS: Array<{
  statuses: KeyStatus[];
  label: string;
  color: 'success' | 'warning' | 'default' | 'error';
}> = [
  { statuses: ['active'], label: 'Active', color: 'success' },
  { statuses: ['cooling_down', 'quota_exhausted', 'circuit_open'], label: 'Cooling', color: 'warning' },
  { statuses: ['disabled'], label: 'Disabled', color: 'default' },
  { statuses: ['invalid'], label: 'Invalid', color: 'error' },
];

/** A key that is resting right now; the page supplies these from the keys feature. */
export interface RestingKey {
  id: string;
  upstreamId: string;
  label: string;
  status: KeyStatus;
  until: string | null;
}

/** Active / cooling / disabled / invalid keys per upstream (stacked bar and counts), resting keys with countdowns. */
export function KeyHealth({
  status,
  resting = [],
}: {
  status: LiveStatus | undefined;
  resting?: RestingKey[];
}) {
  return (
    <Card sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 2 }}>
          Key health
        </Typography>
        {!status ? (
          <Stack spacing={2}>
            <Skeleton variant="rounded" height={48} />
            <Skeleton variant="rounded" height={48} />
          </Stack>
        ) : status.upstreams.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            No upstreams yet. Add one on the Upstreams page, then add its keys.
          </Typography>
        ) : (
          <Stack spacing={2.5}>
            {status.upstreams.map((u) => (
              <Box key={u.upstreamId}>
                <Stack direction="row" sx={{ justifyContent: 'space-between', mb: 0.75, gap: 1 }}>
                  <Typography variant="subtitle2" noWrap>
                    {u.name}
                  </Typography>
                  <Typography variant="caption" color="text.secondary" noWrap>
                    {u.total} keys · {STRATEGY_INFO[u.strategy]?.label ?? u.strategy}
                  </Typography>
                </Stack>
                <Box
                  sx={{
                    display: 'flex',
                    height: 8,
                    borderRadius: 4,
                    overflow: 'hidden',
                    bgcolor: 'action.hover',
                  }}
                >
                  {GROUPS.map((g) => {
                    const count = g.statuses.reduce((sum, s) => sum + (u.keys[s] ?? 0), 0);
                    return count > 0 ? (
                      <Tooltip key={g.label} title={`${g.label}: ${count}`}>
                        <Box
                          sx={{
                            flex: count,
                            bgcolor: g.color === 'default' ? 'text.disabled' : `${g.color}.main`,
                          }}
                        />
                      </Tooltip>
                    ) : null;
                  })}
                </Box>
                <Stack direction="row" spacing={0.75} useFlexGap sx={{ mt: 1, flexWrap: 'wrap' }}>
                  {GROUPS.map((g) => {
                    const count = g.statuses.reduce((sum, s) => sum + (u.keys[s] ?? 0), 0);
                    const detail =
                      g.statuses.length > 1
                        ? g.statuses.map((s) => `${keyStatusLabel(s)}: ${u.keys[s] ?? 0}`).join(', ')
                        : '';
                    return (
                      <Tooltip key={g.label} title={detail}>
                        <Chip
                          size="small"
                          variant="outlined"
                          color={count > 0 ? g.color : 'default'}
                          label={`${g.label} ${count}`}
                        />
                      </Tooltip>
                    );
                  })}
                </Stack>
                {resting
                  .filter((k) => k.upstreamId === u.upstreamId)
                  .map((k) => (
                    <Stack key={k.id} direction="row" spacing={1} sx={{ mt: 1, alignItems: 'center' }}>
                      <Typography variant="mono" sx={{ minWidth: 0 }} noWrap>
                        {k.label}
                      </Typography>
                      <KeyStatusChip status={k.status} until={k.until} />
                    </Stack>
                  ))}
              </Box>
            ))}
          </Stack>
        )}
      </CardContent>
    </Card>
  );
}
