import type { UpstreamResponse } from '@keypool/shared';
import AddIcon from '@mui/icons-material/Add';
import CloudIcon from '@mui/icons-material/CloudOutlined';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import EditIcon from '@mui/icons-material/EditOutlined';
import {
  Alert,
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  Chip,
  Grid,
  IconButton,
  Paper,
  Skeleton,
  Stack,
  Switch,
  Tooltip,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { EmptyState } from '@/components/empty-state';
import { ErrorState } from '@/components/error-state';
import { PageHeader } from '@/components/page-header';
import { ApiError, errorMessage } from '@/lib/api-client';
import { notify } from '@/lib/notify';
import { STRATEGY_INFO } from '@/lib/strategy-labels';
import { upstreamsQueries, useDeleteUpstream, useUpdateUpstream } from '../api/upstreams.queries';
import { UpstreamFormDialog } from './upstream-form-dialog';

type DialogState =
  | { kind: 'none' }
  | { kind: 'add' }
  | { kind: 'edit'; upstream: UpstreamResponse }
  | { kind: 'delete'; upstream: UpstreamResponse };

function UpstreamCard(props: {
  upstream: UpstreamResponse;
  onEdit: () => void;
  onDelete: () => void;
  onToggle: (enabled: boolean) => void;
}) {
  const { upstream: u, onEdit, onDelete, onToggle } = props;
  return (
    <Card sx={{ height: '100%', display: 'flex', flexDirection: 'column', opacity: u.enabled ? 1 : 0.7 }}>
      <CardContent sx={{ flex: 1 }}>
        <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', gap: 1 }}>
          <Typography variant="h6" component="h2" noWrap>
            {u.name}
          </Typography>
          <Chip size="small" label={u.format} color="primary" variant="outlined" />
        </Stack>
        <Typography
          variant="mono"
          component="p"
          color="text.secondary"
          sx={{ mt: 0.5, wordBreak: 'break-all' }}
        >
          {u.baseUrl}
        </Typography>
        <Stack direction="row" spacing={1} useFlexGap sx={{ mt: 2, flexWrap: 'wrap' }}>
          <Chip size="small" label={`${u.keyCount} ${u.keyCount === 1 ? 'key' : 'keys'}`} />
          <Chip
            size="small"
            label={u.strategy ? STRATEGY_INFO[u.strategy].label : 'Global strategy'}
            variant="outlined"
          />
          {u.timeoutMs && <Chip size="small" label={`Timeout ${u.timeoutMs} ms`} variant="outlined" />}
        </Stack>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1.5 }}>
          Models: {u.modelPatterns.length ? u.modelPatterns.join(', ') : 'all'}
          {u.aliases.length > 0 && ` · Aliases: ${u.aliases.map((a) => `${a.name} → ${a.model}`).join(', ')}`}
        </Typography>
      </CardContent>
      <CardActions sx={{ justifyContent: 'space-between' }}>
        <Tooltip title={u.enabled ? 'Disable' : 'Enable'}>
          <Switch
            checked={u.enabled}
            onChange={(e) => onToggle(e.target.checked)}
            slotProps={{ input: { 'aria-label': `${u.enabled ? 'Disable' : 'Enable'} ${u.name}` } }}
          />
        </Tooltip>
        <Box>
          <IconButton aria-label={`Edit ${u.name}`} onClick={onEdit}>
            <EditIcon fontSize="small" />
          </IconButton>
          <IconButton aria-label={`Delete ${u.name}`} onClick={onDelete}>
            <DeleteIcon fontSize="small" />
          </IconButton>
        </Box>
      </CardActions>
    </Card>
  );
}

export function UpstreamsPanel({ startAdding = false }: { startAdding?: boolean }) {
  const upstreams = useQuery(upstreamsQueries.list());
  const [dialog, setDialog] = useState<DialogState>(startAdding ? { kind: 'add' } : { kind: 'none' });
  const update = useUpdateUpstream();
  const remove = useDeleteUpstream();
  const close = () => {
    remove.reset();
    setDialog({ kind: 'none' });
  };
  const hasKeysConflict = remove.error instanceof ApiError && remove.error.code === 'UPSTREAM_HAS_KEYS';

  return (
    <>
      <PageHeader
        title="Upstreams"
        description="Provider endpoints keypool forwards to. Each has a wire format, the models it serves and its own keys."
        actions={
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setDialog({ kind: 'add' })}>
            Add upstream
          </Button>
        }
      />
      {upstreams.isPending ? (
        <Grid container spacing={2}>
          {[0, 1, 2].map((i) => (
            <Grid key={i} size={{ xs: 12, md: 6, lg: 4 }}>
              <Skeleton variant="rounded" height={190} />
            </Grid>
          ))}
        </Grid>
      ) : upstreams.isError ? (
        <ErrorState
          error={upstreams.error}
          onRetry={() => void upstreams.refetch()}
          title="Could not load upstreams"
        />
      ) : upstreams.data.length === 0 ? (
        <Paper>
          <EmptyState
            icon={<CloudIcon />}
            title="No upstreams yet"
            description="Add the provider you have keys for. Presets fill in the URL and format for OpenAI, Gemini, Groq, Mistral, OpenRouter, Anthropic, Ollama and vLLM."
            action={
              <Button variant="contained" onClick={() => setDialog({ kind: 'add' })}>
                Add an upstream
              </Button>
            }
          />
        </Paper>
      ) : (
        <Grid container spacing={2}>
          {upstreams.data.map((u) => (
            <Grid key={u.id} size={{ xs: 12, md: 6, lg: 4 }}>
              <UpstreamCard
                upstream={u}
                onEdit={() => setDialog({ kind: 'edit', upstream: u })}
                onDelete={() => setDialog({ kind: 'delete', upstream: u })}
                onToggle={(enabled) =>
                  update.mutate(
                    { id: u.id, body: { enabled } },
                    { onSuccess: () => notify.success(`${u.name} ${enabled ? 'enabled' : 'disabled'}`) },
                  )
                }
              />
            </Grid>
          ))}
        </Grid>
      )}
      <UpstreamFormDialog
        open={dialog.kind === 'add' || dialog.kind === 'edit'}
        upstream={dialog.kind === 'edit' ? dialog.upstream : undefined}
        onClose={close}
      />
      <ConfirmDialog
        open={dialog.kind === 'delete'}
        title={hasKeysConflict ? 'Delete the upstream and its keys?' : 'Delete this upstream?'}
        confirmLabel={hasKeysConflict ? 'Delete with keys' : 'Delete'}
        destructive
        pending={remove.isPending}
        onClose={close}
        onConfirm={() => {
          if (dialog.kind === 'delete') {
            const { upstream } = dialog;
            remove.mutate(
              { id: upstream.id, force: hasKeysConflict || upstream.keyCount > 0 },
              {
                onSuccess: () => {
                  notify.success(`${upstream.name} deleted`);
                  close();
                },
              },
            );
          }
        }}
      >
        {dialog.kind === 'delete' ? (
          <Stack spacing={2}>
            <Typography>
              {dialog.upstream.name} stops receiving traffic.{' '}
              {dialog.upstream.keyCount > 0 && `Its ${dialog.upstream.keyCount} keys are deleted with it.`}
            </Typography>
            {remove.isError && (
              <Alert severity={hasKeysConflict ? 'warning' : 'error'}>{errorMessage(remove.error)}</Alert>
            )}
          </Stack>
        ) : (
          ''
        )}
      </ConfirmDialog>
    </>
  );
}
