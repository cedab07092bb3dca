import type { RequestLogResponse } from '@keypool/shared';
import ReceiptIcon from '@mui/icons-material/ReceiptLongOutlined';
import { Box, Paper, Tab, Tabs } from '@mui/material';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { EmptyState } from '@/components/empty-state';
import { ErrorState } from '@/components/error-state';
import { PageHeader } from '@/components/page-header';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { logsQueries } from '../api/logs.queries';
import { KeyEventsTable } from './key-events-table';
import { LogDetailDrawer } from './log-detail-drawer';
import { LogFiltersBar, type LogFilters } from './log-filters';
import { LogsTable } from './logs-table';
import type { LogLookups } from './types';

export function LogsPanel({ lookups }: { lookups: LogLookups }) {
  const [tab, setTab] = useState<'requests' | 'events'>('requests');
  const [filters, setFilters] = useState<LogFilters>({});
  const deferred = useDebouncedValue(filters);
  const { window: _window, ...query } = deferred;
  const logs = useInfiniteQuery({
    ...logsQueries.list(query),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  const [open, setOpen] = useState<RequestLogResponse | null>(null);
  const rows = logs.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const { fetchNextPage, isFetchingNextPage } = logs;
  const loadMore = useCallback(() => {
    if (!isFetchingNextPage) {
      void fetchNextPage();
    }
  }, [fetchNextPage, isFetchingNextPage]);

  return (
    <>
      <PageHeader
        title="Logs"
        description="Every request through the proxy, newest first, with each key it tried. Click a row for details."
      />
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs value={tab} onChange={(_e, v: 'requests' | 'events') => setTab(v)} aria-label="Log type">
          <Tab value="requests" label="Requests" />
          <Tab value="events" label="Key events" />
        </Tabs>
      </Box>
      {tab === 'events' ? (
        <KeyEventsTable lookups={lookups} />
      ) : (
        <>
          <LogFiltersBar value={filters} onChange={setFilters} lookups={lookups} />
          {logs.isError ? (
            <ErrorState error={logs.error} onRetry={() => void logs.refetch()} title="Could not load logs" />
          ) : logs.isSuccess && rows.length === 0 ? (
            <Paper>
              <EmptyState
                icon={<ReceiptIcon />}
                title={filtered ? 'No requests match these filters' : 'No requests yet'}
                description={
                  filtered
                    ? 'Widen the time range or clear a filter.'
                    : 'Point an OpenAI client at this server’s /v1 (see Settings for ready-made snippets) and requests appear here.'
                }
              />
            </Paper>
          ) : (
            <LogsTable
              logs={rows}
              loading={logs.isPending}
              hasMore={logs.hasNextPage}
              loadingMore={logs.isFetchingNextPage}
              onLoadMore={loadMore}
              onOpen={setOpen}
              lookups={lookups}
            />
          )}
        </>
      )}
      <LogDetailDrawer log={open} lookups={lookups} onClose={() => setOpen(null)} />
    </>
  );
}
