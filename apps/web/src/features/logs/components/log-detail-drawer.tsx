import type { AttemptRecord, RequestLogResponse } from '@keypool/shared';
import CloseIcon from '@mui/icons-material/Close';
import { Alert, Box, Divider, Drawer, IconButton, Skeleton, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { CodeBlock } from '@/components/code-block';
import { ErrorState } from '@/components/error-state';
import { formatDateTime, formatMs, formatNumber } from '@/lib/format';
import { logsQueries } from '../api/logs.queries';
import { HttpStatusChip } from './status-chip';
import { nameOf, type LogLookups } from './types';

const OUTCOME_COLORS: Record<
  AttemptRecord['outcome'],
  'success.main' | 'warning.main' | 'error.main' | 'text.disabled'
> = {
  success: 'success.main',
  client_error: 'error.main',
  rate_limited: 'warning.main',
  quota_exhausted: 'warning.main',
  key_invalid: 'error.main',
  upstream_error: 'error.main',
  client_cancel: 'text.disabled',
  gateway_error: 'error.main',
};

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="body2" component="div" sx={{ wordBreak: 'break-word' }}>
        {children}
      </Typography>
    </Box>
  );
}

/** Each upstream attempt as a step on a vertical line: key, outcome, status and time. */
function AttemptsTimeline({ attempts, lookups }: { attempts: AttemptRecord[]; lookups: LogLookups }) {
  if (attempts.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No upstream was tried (keypool answered itself).
      </Typography>
    );
  }
  return (
    <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }} aria-label="Attempts">
      {attempts.map((a, i) => (
        <Box component="li" key={i} sx={{ display: 'flex', gap: 1.5 }}>
          <Stack sx={{ alignItems: 'center' }}>
            <Box
              sx={{ width: 12, height: 12, borderRadius: '50%', bgcolor: OUTCOME_COLORS[a.outcome], mt: 0.5 }}
            />
            {i < attempts.length - 1 && <Box sx={{ flex: 1, width: 2, bgcolor: 'divider', my: 0.5 }} />}
          </Stack>
          <Box sx={{ pb: 2, minWidth: 0 }}>
            <Typography variant="subtitle2">
              Attempt {i + 1}: {a.outcome.replace(/_/g, ' ')} {a.status !== null && `(${a.status})`}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              Key {nameOf(lookups.keys, a.keyId)} on {nameOf(lookups.upstreams, a.upstreamId)} ·{' '}
              {formatMs(a.durationMs)}
            </Typography>
            {a.error && (
              <Typography variant="body2" color="error" sx={{ wordBreak: 'break-word' }}>
                {a.error}
              </Typography>
            )}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

interface LogDetailDrawerProps {
  log: RequestLogResponse | null;
  lookups: LogLookups;
  onClose: () => void;
}

export function LogDetailDrawer({ log, lookups, onClose }: LogDetailDrawerProps) {
  const detail = useQuery({ ...logsQueries.detail(log?.id ?? ''), enabled: log !== null });
  return (
    <Drawer
      anchor="right"
      open={log !== null}
      onClose={onClose}
      // Above the app bar, which sits over the permanent navigation drawer.
      sx={{ zIndex: (theme) => theme.zIndex.modal }}
      slotProps={{ paper: { sx: { width: { xs: '100%', sm: 560 } } } }}
    >
      {log && (
        <Box sx={{ p: 3 }} role="region" aria-label="Request detail">
          <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 2 }}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', minWidth: 0 }}>
              <HttpStatusChip status={log.status} />
              <Typography variant="h6" component="h2" noWrap>
                {log.method} {log.path}
              </Typography>
            </Stack>
            <IconButton aria-label="Close detail" onClick={onClose}>
              <CloseIcon />
            </IconButton>
          </Stack>
          {log.error && (
            <Alert severity="error" sx={{ mb: 2, wordBreak: 'break-word' }}>
              {log.error}
            </Alert>
          )}
          <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 2, mb: 3 }}>
            <Field label="Time">{formatDateTime(log.createdAt)}</Field>
            <Field label="Request id">
              <Typography variant="mono">{log.requestId}</Typography>
            </Field>
            <Field label="Model">
              {log.modelRequested ?? '—'}
              {log.modelResolved && log.modelResolved !== log.modelRequested && ` → ${log.modelResolved}`}
            </Field>
            <Field label="Upstream / key">
              {nameOf(lookups.upstreams, log.upstreamId)} / {nameOf(lookups.keys, log.keyId)}
            </Field>
            <Field label="Client">
              {log.clientKeyId ? nameOf(lookups.clients, log.clientKeyId) : 'master key / open'}
            </Field>
            <Field label="Client IP">{log.clientIp ?? '—'}</Field>
            <Field label="Latency / first byte">
              {formatMs(log.latencyMs)} / {formatMs(log.ttfbMs)}
            </Field>
            <Field label="Tokens (in / out / total)">
              {formatNumber(log.promptTokens)} / {formatNumber(log.completionTokens)} /{' '}
              {formatNumber(log.totalTokens)}
            </Field>
            <Field label="Format">
              {log.format}
              {log.stream ? ', streamed' : ''}
            </Field>
            <Field label="Outcome">{log.outcome.replace(/_/g, ' ')}</Field>
          </Box>
          <Divider sx={{ mb: 2 }} />
          <Typography variant="subtitle1" component="h3" sx={{ mb: 1.5, fontWeight: 600 }}>
            Attempts
          </Typography>
          <AttemptsTimeline attempts={log.attempts} lookups={lookups} />
          <Divider sx={{ my: 2 }} />
          <Typography variant="subtitle1" component="h3" sx={{ mb: 1.5, fontWeight: 600 }}>
            Bodies
          </Typography>
          {detail.isPending ? (
            <Skeleton variant="rounded" height={120} />
          ) : detail.isError ? (
            <ErrorState
              error={detail.error}
              title="Could not load the bodies"
              onRetry={() => void detail.refetch()}
            />
          ) : detail.data.requestBody === null && detail.data.responseBody === null ? (
            <Typography variant="body2" color="text.secondary">
              Bodies were not logged for this request. Turn on body logging in Settings to keep them.
            </Typography>
          ) : (
            <Stack spacing={2}>
              {detail.data.requestBody !== null && (
                <CodeBlock title="Request body" code={detail.data.requestBody} maxHeight={280} />
              )}
              {detail.data.responseBody !== null && (
                <CodeBlock title="Response body" code={detail.data.responseBody} maxHeight={280} />
              )}
            </Stack>
          )}
        </Box>
      )}
    </Drawer>
  );
}
