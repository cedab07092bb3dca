import {
  Card,
  CardContent,
  List,
  ListItemButton,
  ListItemText,
  Skeleton,
  Stack,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { ErrorState } from '@/components/error-state';
import { formatRelative } from '@/lib/format';
import { useNow } from '@/lib/use-now';
import { logsQueries } from '../api/logs.queries';
import { HttpStatusChip } from './status-chip';

/** The latest failed requests, linking to the logs page. */
export function RecentErrors({ onOpenLogs }: { onOpenLogs: () => void }) {
  const errors = useQuery(logsQueries.recentErrors());
  const now = useNow();
  return (
    <Card sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
          Recent errors
        </Typography>
        {errors.isPending ? (
          <Stack spacing={1}>
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} height={40} />
            ))}
          </Stack>
        ) : errors.isError ? (
          <ErrorState
            error={errors.error}
            title="Could not load errors"
            onRetry={() => void errors.refetch()}
          />
        ) : errors.data.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            No failed requests recently.
          </Typography>
        ) : (
          <List dense disablePadding aria-label="Recent errors">
            {errors.data.map((log) => (
              <ListItemButton key={log.id} onClick={onOpenLogs} sx={{ px: 1, gap: 1.5, borderRadius: 1 }}>
                <HttpStatusChip status={log.status} />
                <ListItemText
                  primary={
                    log.error ?? `${log.outcome.replace(/_/g, ' ')} on ${log.modelRequested ?? log.path}`
                  }
                  secondary={`${log.modelRequested ?? log.path} · ${formatRelative(log.createdAt, now)}`}
                  slotProps={{ primary: { noWrap: true }, secondary: { noWrap: true } }}
                />
              </ListItemButton>
            ))}
          </List>
        )}
      </CardContent>
    </Card>
  );
}
