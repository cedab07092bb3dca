import { Box, Grid, Skeleton, Stack } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { ErrorState } from '@/components/error-state';
import { PageHeader } from '@/components/page-header';
import { ChangePasswordCard } from '@/features/auth/components/change-password-card';
import { settingsQueries } from '@/features/settings/api/settings.queries';
import { ProxyUsage } from '@/features/settings/components/proxy-usage';
import { SettingsForm } from '@/features/settings/components/settings-form';

export function SettingsRoute() {
  const settings = useQuery(settingsQueries.current());
  return (
    <>
      <PageHeader
        title="Settings"
        description="Runtime behaviour of the proxy. Changes apply to the next request, no restart needed."
      />
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, xl: 8 }}>
          {settings.isPending ? (
            <Stack spacing={2}>
              <Skeleton variant="rounded" height={200} />
              <Skeleton variant="rounded" height={320} />
            </Stack>
          ) : settings.isError ? (
            <ErrorState
              error={settings.error}
              onRetry={() => void settings.refetch()}
              title="Could not load settings"
            />
          ) : (
            <SettingsForm settings={settings.data} />
          )}
          <Box sx={{ mt: 2 }}>
            <ChangePasswordCard />
          </Box>
        </Grid>
        <Grid size={{ xs: 12, xl: 4 }}>
          <ProxyUsage origin={window.location.origin} />
        </Grid>
      </Grid>
    </>
  );
}
