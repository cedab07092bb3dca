import type { BulkAddKeysResponse } from '@keypool/shared';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { TagsInput } from '@/components/tags-input';
import { applyServerErrors } from '@/lib/form-errors';
import { useBulkAddKeys } from '../api/key-mutations';
import type { UpstreamOption } from './types';

interface BulkValues {
  upstreamId: string;
  secrets: string;
  tags: string[];
}

const FIELDS = ['upstreamId', 'secrets', 'tags'] as const;

export function BulkAddDialog(props: { open: boolean; upstreams: UpstreamOption[]; onClose: () => void }) {
  const { open, upstreams, onClose } = props;
  const bulkAdd = useBulkAddKeys();
  const [result, setResult] = useState<BulkAddKeysResponse | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const { control, handleSubmit, setError, watch, reset } = useForm<BulkValues>({
    values: { upstreamId: upstreams[0]?.id ?? '', secrets: '', tags: [] },
  });
  const lineCount = watch('secrets')
    .split('\n')
    .filter((line) => line.trim() !== '').length;

  const close = () => {
    setResult(null);
    setFormError(null);
    reset();
    onClose();
  };
  const onSubmit = handleSubmit((values) => {
    setFormError(null);
    bulkAdd.mutate(
      {
        upstreamId: values.upstreamId,
        secrets: values.secrets,
        tags: values.tags.length ? values.tags : undefined,
      },
      {
        onSuccess: setResult,
        onError: (error) => setFormError(applyServerErrors(error, setError, FIELDS)),
      },
    );
  });

  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm" aria-labelledby="bulk-add-title">
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <DialogTitle id="bulk-add-title">Paste many keys</DialogTitle>
        <DialogContent>
          {result ? (
            <Stack spacing={2}>
              <Alert severity={result.added > 0 ? 'success' : 'info'}>
                Added {result.added} {result.added === 1 ? 'key' : 'keys'}
                {result.skipped.length > 0 && `, skipped ${result.skipped.length}`}.
              </Alert>
              {result.skipped.length > 0 && (
                <List dense aria-label="Skipped keys">
                  {result.skipped.map((s) => (
                    <ListItem key={s.key} disableGutters>
                      <ListItemText primary={s.key} secondary={s.reason} />
                    </ListItem>
                  ))}
                </List>
              )}
            </Stack>
          ) : (
            <Stack spacing={2} sx={{ pt: 1 }}>
              {formError && <Alert severity="error">{formError}</Alert>}
              <Controller
                name="upstreamId"
                control={control}
                rules={{ required: 'Pick the upstream these keys belong to' }}
                render={({ field, fieldState }) => (
                  <TextField
                    {...field}
                    select
                    label="Upstream"
                    error={Boolean(fieldState.error)}
                    helperText={fieldState.error?.message}
                  >
                    {upstreams.map((u) => (
                      <MenuItem key={u.id} value={u.id}>
                        {u.name}
                      </MenuItem>
                    ))}
                  </TextField>
                )}
              />
              <Controller
                name="secrets"
                control={control}
                rules={{ validate: (v) => v.trim() !== '' || 'Paste at least one key' }}
                render={({ field, fieldState }) => (
                  <TextField
                    {...field}
                    label="Keys, one per line"
                    multiline
                    minRows={6}
                    maxRows={14}
                    autoComplete="off"
                    slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
                    error={Boolean(fieldState.error)}
                    helperText={
                      fieldState.error?.message ??
                      `${lineCount} ${lineCount === 1 ? 'key' : 'keys'}. Duplicates and keys already in the pool are skipped.`
                    }
                  />
                )}
              />
              <Controller
                name="tags"
                control={control}
                render={({ field }) => (
                  <TagsInput
                    label="Tags for all of them (optional)"
                    value={field.value}
                    onChange={field.onChange}
                  />
                )}
              />
            </Stack>
          )}
        </DialogContent>
        <DialogActions>
          {result ? (
            <Button variant="contained" onClick={close}>
              Done
            </Button>
          ) : (
            <>
              <Button onClick={close}>Cancel</Button>
              <Button type="submit" variant="contained" loading={bulkAdd.isPending}>
                Add keys
              </Button>
            </>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}
