import type { KeyListQuery, KeyResponse, KeyTestResponse } from '@keypool/shared';
import AddIcon from '@mui/icons-material/Add';
import DownloadIcon from '@mui/icons-material/FileDownloadOutlined';
import KeyIcon from '@mui/icons-material/VpnKeyOutlined';
import PlaylistAddIcon from '@mui/icons-material/PlaylistAdd';
import UploadIcon from '@mui/icons-material/FileUploadOutlined';
import { Box, Button, Paper } from '@mui/material';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { EmptyState } from '@/components/empty-state';
import { ErrorState } from '@/components/error-state';
import { PageHeader } from '@/components/page-header';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { formatMs } from '@/lib/format';
import { notices, notify } from '@/lib/notify';
import { useDeleteKey, useExportKeys, useTestKey, useUpdateKey } from '../api/key-mutations';
import { keysQueries } from '../api/keys.queries';
import { BulkAddDialog } from './bulk-add-dialog';
import { ImportDialog } from './import-dialog';
import { KeyFormDialog } from './key-form-dialog';
import { KeysFilters } from './keys-filters';
import { KeysTable } from './keys-table';
import type { KeyUsage, UpstreamOption } from './types';

type DialogState =
  | { kind: 'none' }
  | { kind: 'add' }
  | { kind: 'bulk' }
  | { kind: 'import' }
  | { kind: 'edit'; key: KeyResponse }
  | { kind: 'delete'; key: KeyResponse };

function reportTest(key: KeyResponse, result: KeyTestResponse): void {
  const who = key.name || key.maskedSecret;
  const text = `${who}: ${result.message || result.result} (${formatMs(result.latencyMs)})${result.reenabled ? ', re-enabled' : ''}`;
  notices.push(
    text,
    result.result === 'ok' ? 'success' : result.result === 'rate_limited' ? 'warning' : 'error',
  );
}

interface KeysPanelProps {
  upstreams: UpstreamOption[];
  usage: Record<string, KeyUsage>;
  onAddUpstream: () => void;
}

/** The Keys page body: filters, table and every key action. */
export function KeysPanel({ upstreams, usage, onAddUpstream }: KeysPanelProps) {
  const [filters, setFilters] = useState<KeyListQuery>({});
  const query = useDebouncedValue(filters);
  // Keep the current rows on screen while a new filter loads.
  const keys = useQuery({ ...keysQueries.list(query), placeholderData: keepPreviousData });
  const allKeys = useQuery(keysQueries.list());
  const [dialog, setDialog] = useState<DialogState>({ kind: 'none' });
  const updateKey = useUpdateKey();
  const deleteKey = useDeleteKey();
  const testKey = useTestKey();
  const exportKeys = useExportKeys();

  const tags = useMemo(
    () => [...new Set((allKeys.data ?? []).flatMap((k) => k.tags))].sort(),
    [allKeys.data],
  );
  const close = useCallback(() => setDialog({ kind: 'none' }), []);
  const onToggle = useCallback(
    (key: KeyResponse, enabled: boolean) =>
      updateKey.mutate(
        { id: key.id, body: { enabled } },
        {
          onSuccess: () =>
            notify.success(`${key.name || key.maskedSecret} ${enabled ? 'enabled' : 'disabled'}`),
        },
      ),
    [updateKey],
  );
  const onTest = useCallback(
    (key: KeyResponse) => testKey.mutate(key.id, { onSuccess: (r) => reportTest(key, r) }),
    [testKey],
  );
  const onEdit = useCallback((key: KeyResponse) => setDialog({ kind: 'edit', key }), []);
  const onDelete = useCallback((key: KeyResponse) => setDialog({ kind: 'delete', key }), []);
  const onExport = () =>
    exportKeys.mutate(undefined, {
      onSuccess: (file) =>
        notify.success(`Exported to ${file}. It contains secrets in the clear: keep it safe.`),
    });

  const noUpstreams = upstreams.length === 0;
  const isEmpty = allKeys.isSuccess && allKeys.data.length === 0;

  return (
    <>
      <PageHeader
        title="Keys"
        description="Provider API keys in the pool. keypool spreads traffic over the enabled ones and rests keys that hit rate limits."
        actions={
          <>
            <Button
              variant="contained"
              startIcon={<AddIcon />}
              disabled={noUpstreams}
              onClick={() => setDialog({ kind: 'add' })}
            >
              Add key
            </Button>
            <Button
              variant="outlined"
              startIcon={<PlaylistAddIcon />}
              disabled={noUpstreams}
              onClick={() => setDialog({ kind: 'bulk' })}
            >
              Paste many
            </Button>
            <Button
              variant="outlined"
              startIcon={<UploadIcon />}
              onClick={() => setDialog({ kind: 'import' })}
            >
              Import
            </Button>
            <Button
              variant="outlined"
              startIcon={<DownloadIcon />}
              loading={exportKeys.isPending}
              disabled={isEmpty}
              onClick={onExport}
            >
              Export
            </Button>
          </>
        }
      />
      {noUpstreams && allKeys.isSuccess ? (
        <Paper>
          <EmptyState
            icon={<KeyIcon />}
            title="Add an upstream first"
            description="Keys belong to an upstream: the provider endpoint they work with (OpenAI, Groq, a local Ollama...)."
            action={
              <Button variant="contained" onClick={onAddUpstream}>
                Add an upstream
              </Button>
            }
          />
        </Paper>
      ) : isEmpty ? (
        <Paper>
          <EmptyState
            icon={<KeyIcon />}
            title="No keys yet"
            description="Add one key, paste a whole list at once, or import an export file."
            action={
              <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', justifyContent: 'center' }}>
                <Button variant="contained" onClick={() => setDialog({ kind: 'bulk' })}>
                  Paste keys
                </Button>
                <Button onClick={() => setDialog({ kind: 'import' })}>Import a file</Button>
              </Box>
            }
          />
        </Paper>
      ) : (
        <>
          <KeysFilters value={filters} onChange={setFilters} upstreams={upstreams} tags={tags} />
          {keys.isError ? (
            <ErrorState error={keys.error} onRetry={() => void keys.refetch()} title="Could not load keys" />
          ) : (
            <KeysTable
              keys={keys.data ?? []}
              usage={usage}
              loading={keys.isPending}
              testing={testKey.isPending ? (testKey.variables ?? null) : null}
              onToggle={onToggle}
              onTest={onTest}
              onEdit={onEdit}
              onDelete={onDelete}
            />
          )}
        </>
      )}

      <KeyFormDialog
        open={dialog.kind === 'add' || dialog.kind === 'edit'}
        keyToEdit={dialog.kind === 'edit' ? dialog.key : undefined}
        upstreams={upstreams}
        knownTags={tags}
        onClose={close}
      />
      <BulkAddDialog open={dialog.kind === 'bulk'} upstreams={upstreams} onClose={close} />
      <ImportDialog open={dialog.kind === 'import'} upstreams={upstreams} onClose={close} />
      <ConfirmDialog
        open={dialog.kind === 'delete'}
        title="Delete this key?"
        confirmLabel="Delete"
        destructive
        pending={deleteKey.isPending}
        onClose={close}
        onConfirm={() => {
          if (dialog.kind === 'delete') {
            const who = dialog.key.name || dialog.key.maskedSecret;
            deleteKey.mutate(dialog.key.id, {
              onSuccess: () => {
                notify.success(`${who} deleted`);
                close();
              },
            });
          }
        }}
      >
        {dialog.kind === 'delete'
          ? `${dialog.key.name || dialog.key.maskedSecret} (${dialog.key.maskedSecret}) will be removed from the pool. Its request logs stay.`
          : ''}
      </ConfirmDialog>
    </>
  );
}
