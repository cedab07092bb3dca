import type { ClientKeyResponse, CreatedClientKeyResponse } from '@keypool/shared';
import AddIcon from '@mui/icons-material/Add';
import BadgeIcon from '@mui/icons-material/BadgeOutlined';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import EditIcon from '@mui/icons-material/EditOutlined';
import {
  Alert,
  Button,
  Chip,
  IconButton,
  Paper,
  Skeleton,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { EmptyState } from '@/components/empty-state';
import { ErrorState } from '@/components/error-state';
import { PageHeader } from '@/components/page-header';
import { formatDateTime, formatNumber, formatRelative } from '@/lib/format';
import { notify } from '@/lib/notify';
import { clientKeysQueries, useDeleteClientKey, useUpdateClientKey } from '../api/client-keys.queries';
import { ClientKeyFormDialog } from './client-key-form-dialog';
import { SecretOnceDialog } from './secret-once-dialog';

type DialogState =
  | { kind: 'none' }
  | { kind: 'add' }
  | { kind: 'edit'; key: ClientKeyResponse }
  | { kind: 'delete'; key: ClientKeyResponse };

interface ClientKeysPanelProps {
  /** Requests per client key id over the last 24 h, from the stats feature. */
  usage: Record<string, number>;
  proxyOpen: boolean;
}

export function ClientKeysPanel({ usage, proxyOpen }: ClientKeysPanelProps) {
  const keys = useQuery(clientKeysQueries.list());
  const update = useUpdateClientKey();
  const remove = useDeleteClientKey();
  const [dialog, setDialog] = useState<DialogState>({ kind: 'none' });
  const [created, setCreated] = useState<CreatedClientKeyResponse | null>(null);
  const close = () => setDialog({ kind: 'none' });

  return (
    <>
      <PageHeader
        title="Client keys"
        description="Keys your applications present to keypool (instead of the master key), each with its own limits, allowed models and expiry."
        actions={
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setDialog({ kind: 'add' })}>
            New client key
          </Button>
        }
      />
      {proxyOpen && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          The proxy is open: no master key and no client key exist, so anyone who can reach keypool can use
          your keys. Create a client key to close it.
        </Alert>
      )}
      {keys.isPending ? (
        <Skeleton variant="rounded" height={220} />
      ) : keys.isError ? (
        <ErrorState
          error={keys.error}
          onRetry={() => void keys.refetch()}
          title="Could not load client keys"
        />
      ) : keys.data.length === 0 ? (
        <Paper>
          <EmptyState
            icon={<BadgeIcon />}
            title="No client keys yet"
            description="Give each application its own key so you can limit it, see its usage and revoke it without touching the others."
            action={
              <Button variant="contained" onClick={() => setDialog({ kind: 'add' })}>
                Create the first one
              </Button>
            }
          />
        </Paper>
      ) : (
        <TableContainer component={Paper}>
          <Table size="small" aria-label="Client keys">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Key</TableCell>
                <TableCell align="right">Limit</TableCell>
                <TableCell>Models</TableCell>
                <TableCell>Expires</TableCell>
                <TableCell align="right">Requests 24 h</TableCell>
                <TableCell>Last used</TableCell>
                <TableCell align="right">Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {keys.data.map((k) => {
                const expired = k.expiresAt !== null && new Date(k.expiresAt).getTime() < Date.now();
                return (
                  <TableRow key={k.id} hover>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{k.name}</TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>
                      <Typography variant="mono">{k.maskedKey}</Typography>
                    </TableCell>
                    <TableCell align="right">{k.rpmLimit ? `${k.rpmLimit}/min` : '—'}</TableCell>
                    <TableCell>{k.allowedModels.length ? k.allowedModels.join(', ') : 'all'}</TableCell>
                    <TableCell>
                      {expired ? (
                        <Chip size="small" color="error" label="Expired" />
                      ) : k.expiresAt ? (
                        formatDateTime(k.expiresAt)
                      ) : (
                        'never'
                      )}
                    </TableCell>
                    <TableCell align="right">{formatNumber(usage[k.id] ?? 0)}</TableCell>
                    <TableCell>{formatRelative(k.lastUsedAt)}</TableCell>
                    <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                      <Tooltip title={k.enabled ? 'Disable' : 'Enable'}>
                        <Switch
                          size="small"
                          checked={k.enabled}
                          onChange={(e) =>
                            update.mutate(
                              { id: k.id, body: { enabled: e.target.checked } },
                              {
                                onSuccess: () =>
                                  notify.success(`${k.name} ${e.target.checked ? 'enabled' : 'disabled'}`),
                              },
                            )
                          }
                          slotProps={{
                            input: { 'aria-label': `${k.enabled ? 'Disable' : 'Enable'} ${k.name}` },
                          }}
                        />
                      </Tooltip>
                      <IconButton
                        size="small"
                        aria-label={`Edit ${k.name}`}
                        onClick={() => setDialog({ kind: 'edit', key: k })}
                      >
                        <EditIcon fontSize="small" />
                      </IconButton>
                      <IconButton
                        size="small"
                        aria-label={`Delete ${k.name}`}
                        onClick={() => setDialog({ kind: 'delete', key: k })}
                      >
                        <DeleteIcon fontSize="small" />
                      </IconButton>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      <ClientKeyFormDialog
        open={dialog.kind === 'add' || dialog.kind === 'edit'}
        clientKey={dialog.kind === 'edit' ? dialog.key : undefined}
        onClose={close}
        onCreated={(result) => {
          close();
          setCreated(result);
        }}
      />
      <SecretOnceDialog created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        open={dialog.kind === 'delete'}
        title="Delete this client key?"
        confirmLabel="Delete"
        destructive
        pending={remove.isPending}
        onClose={close}
        onConfirm={() => {
          if (dialog.kind === 'delete') {
            const { key } = dialog;
            remove.mutate(key.id, {
              onSuccess: () => {
                notify.success(`${key.name} deleted`);
                close();
              },
            });
          }
        }}
      >
        {dialog.kind === 'delete' ? `Applications using ${dialog.key.name} get 401 from now on.` : ''}
      </ConfirmDialog>
    </>
  );
}
