import { KEY_EVENT_TYPES, type KeyEventType } from '@keypool/shared';
import HistoryIcon from '@mui/icons-material/History';
import {
  Button,
  Chip,
  MenuItem,
  Paper,
  Skeleton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
} from '@mui/material';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState } from '@/components/empty-state';
import { ErrorState } from '@/components/error-state';
import { formatDateTime } from '@/lib/format';
import { logsQueries } from '../api/logs.queries';
import { nameOf, type LogLookups } from './types';

const EVENT_COLORS: Partial<Record<KeyEventType, 'success' | 'warning' | 'error' | 'info'>> = {
  added: 'success',
  enabled: 'success',
  recovered: 'success',
  breaker_closed: 'success',
  cooldown_started: 'warning',
  quota_exhausted: 'warning',
  breaker_opened: 'warning',
  invalidated: 'error',
  deleted: 'error',
  disabled: 'info',
};

/** What happened to keys: added, cooled down, invalidated, re-enabled... */
export function KeyEventsTable({ lookups }: { lookups: LogLookups }) {
  const [keyId, setKeyId] = useState('');
  const [type, setType] = useState<KeyEventType | ''>('');
  const events = useInfiniteQuery(logsQueries.events({ keyId: keyId || undefined, type: type || undefined }));
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} sx={{ mb: 2, maxWidth: 640 }}>
        <TextField select label="Key" value={keyId} onChange={(e) => setKeyId(e.target.value)}>
          <MenuItem value="">Any key</MenuItem>
          {lookups.keys.map((k) => (
            <MenuItem key={k.id} value={k.id}>
              {k.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Event"
          value={type}
          onChange={(e) => setType(e.target.value as KeyEventType | '')}
        >
          <MenuItem value="">Any event</MenuItem>
          {KEY_EVENT_TYPES.map((t) => (
            <MenuItem key={t} value={t}>
              {t.replace(/_/g, ' ')}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      {events.isError ? (
        <ErrorState
          error={events.error}
          onRetry={() => void events.refetch()}
          title="Could not load key events"
        />
      ) : !events.isPending && rows.length === 0 ? (
        <Paper>
          <EmptyState
            icon={<HistoryIcon />}
            title="No key events"
            description="Adding, disabling, cooldowns and invalidations of keys are recorded here."
          />
        </Paper>
      ) : (
        <TableContainer component={Paper}>
          <Table size="small" aria-label="Key events">
            <TableHead>
              <TableRow>
                <TableCell>Time</TableCell>
                <TableCell>Event</TableCell>
                <TableCell>Key</TableCell>
                <TableCell>Details</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {events.isPending
                ? [0, 1, 2].map((i) => (
                    <TableRow key={i}>
                      <TableCell colSpan={4}>
                        <Skeleton />
                      </TableCell>
                    </TableRow>
                  ))
                : rows.map((e) => (
                    <TableRow key={e.id}>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.createdAt)}</TableCell>
                      <TableCell>
                        <Chip
                          size="small"
                          color={EVENT_COLORS[e.type] ?? 'default'}
                          label={e.type.replace(/_/g, ' ')}
                        />
                      </TableCell>
                      <TableCell>{nameOf(lookups.keys, e.keyId)}</TableCell>
                      <TableCell sx={{ wordBreak: 'break-word' }}>{e.message}</TableCell>
                    </TableRow>
                  ))}
            </TableBody>
          </Table>
          {events.hasNextPage && (
            <Stack sx={{ alignItems: 'center', py: 1.5 }}>
              <Button onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
                Load older events
              </Button>
            </Stack>
          )}
        </TableContainer>
      )}
    </>
  );
}
