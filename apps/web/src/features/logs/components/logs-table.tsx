import type { RequestLogResponse } from '@keypool/shared';
import {
  Button,
  Chip,
  Skeleton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Paper,
  Tooltip,
  Typography,
} from '@mui/material';
import { useEffect, useRef } from 'react';
import { formatMs, formatNumber } from '@/lib/format';
import { HttpStatusChip } from './status-chip';
import { nameOf, type LogLookups } from './types';

interface LogsTableProps {
  logs: RequestLogResponse[];
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  onOpen: (log: RequestLogResponse) => void;
  lookups: LogLookups;
}

/** Newest first; loads the next page when the bottom row scrolls into view (or on the button). */
export function LogsTable({
  logs,
  loading,
  hasMore,
  loadingMore,
  onLoadMore,
  onOpen,
  lookups,
}: LogsTableProps) {
  const sentinel = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasMore || typeof IntersectionObserver === 'undefined') {
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loadingMore) {
        onLoadMore();
      }
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasMore, loadingMore, onLoadMore]);

  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label="Request logs" stickyHeader>
        <TableHead>
          <TableRow>
            <TableCell>Time</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Model</TableCell>
            <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>Path</TableCell>
            <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>Key</TableCell>
            <TableCell align="right" sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
              Attempts
            </TableCell>
            <TableCell align="right">Latency</TableCell>
            <TableCell align="right" sx={{ display: { xs: 'none', md: 'table-cell' } }}>
              Tokens
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {loading
            ? [0, 1, 2, 3, 4].map((i) => (
                <TableRow key={i}>
                  <TableCell colSpan={8}>
                    <Skeleton />
                  </TableCell>
                </TableRow>
              ))
            : logs.map((log) => (
                <TableRow
                  key={log.id}
                  hover
                  tabIndex={0}
                  sx={{ cursor: 'pointer' }}
                  onClick={() => onOpen(log)}
                  onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onOpen(log)}
                  aria-label={`Request ${log.status} ${log.modelRequested ?? log.path} at ${new Date(log.createdAt).toLocaleTimeString()}`}
                >
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    <Tooltip title={new Date(log.createdAt).toLocaleString()}>
                      <span>{new Date(log.createdAt).toLocaleTimeString()}</span>
                    </Tooltip>
                  </TableCell>
                  <TableCell>
                    <HttpStatusChip status={log.status} />
                  </TableCell>
                  <TableCell sx={{ maxWidth: 200 }}>
                    <Typography variant="body2" noWrap>
                      {log.modelResolved ?? log.modelRequested ?? '—'}
                      {log.stream && <Chip size="small" label="stream" variant="outlined" sx={{ ml: 1 }} />}
                    </Typography>
                  </TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                    <Typography variant="mono">{log.path}</Typography>
                  </TableCell>
                  <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
                    {nameOf(lookups.keys, log.keyId)}
                  </TableCell>
                  <TableCell align="right" sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
                    {log.attempts.length}
                  </TableCell>
                  <TableCell align="right">{formatMs(log.latencyMs)}</TableCell>
                  <TableCell align="right" sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                    {formatNumber(log.totalTokens)}
                  </TableCell>
                </TableRow>
              ))}
        </TableBody>
      </Table>
      {hasMore && (
        <Stack ref={sentinel} sx={{ alignItems: 'center', py: 1.5 }}>
          <Button onClick={onLoadMore} loading={loadingMore}>
            Load older requests
          </Button>
        </Stack>
      )}
    </TableContainer>
  );
}
