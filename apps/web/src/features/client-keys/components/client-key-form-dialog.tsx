import type { ClientKeyResponse, CreatedClientKeyResponse } from '@keypool/shared';
import { Alert, Dialog, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { FormDialogActions } from '@/components/form-dialog-actions';
import { SwitchField } from '@/components/switch-field';
import { TagsInput } from '@/components/tags-input';
import { applyServerErrors } from '@/lib/form-errors';
import { notify } from '@/lib/notify';
import {
  clientKeyFormRules,
  toClientKeyFormValues,
  toClientKeyRequest,
  useCreateClientKey,
  useUpdateClientKey,
  type ClientKeyFormValues,
} from '../api/client-keys.queries';

const FIELDS = ['name', 'rpmLimit', 'allowedModels', 'expiresAt', 'enabled'] as const;

interface Props {
  open: boolean;
  clientKey?: ClientKeyResponse;
  onClose: () => void;
  onCreated: (created: CreatedClientKeyResponse) => void;
}

export function ClientKeyFormDialog({ open, clientKey, onClose, onCreated }: Props) {
  const create = useCreateClientKey();
  const update = useUpdateClientKey({ handlesErrors: true });
  const [formError, setFormError] = useState<string | null>(null);
  const { control, handleSubmit, setError } = useForm<ClientKeyFormValues>({
    values: toClientKeyFormValues(clientKey),
  });

  const onSubmit = handleSubmit((values) => {
    setFormError(null);
    const body = toClientKeyRequest(values);
    const onError = (error: unknown) => setFormError(applyServerErrors(error, setError, FIELDS));
    if (clientKey) {
      update.mutate(
        { id: clientKey.id, body },
        {
          onSuccess: () => {
            notify.success('Client key saved');
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(body, { onSuccess: onCreated, onError });
    }
  });

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="client-key-form-title">
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <DialogTitle id="client-key-form-title">
          {clientKey ? `Edit ${clientKey.name}` : 'New client key'}
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {formError && <Alert severity="error">{formError}</Alert>}
            <Controller
              name="name"
              control={control}
              rules={clientKeyFormRules.name}
              render={({ field, fieldState }) => (
                <TextField
                  {...field}
                  label="Name"
                  placeholder="e.g. chat-frontend"
                  error={Boolean(fieldState.error)}
                  helperText={fieldState.error?.message}
                />
              )}
            />
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              <Controller
                name="rpmLimit"
                control={control}
                rules={clientKeyFormRules.rpmLimit}
                render={({ field, fieldState }) => (
                  <TextField
                    {...field}
                    label="Requests / minute"
                    placeholder="No limit"
                    inputMode="numeric"
                    error={Boolean(fieldState.error)}
                    helperText={fieldState.error?.message ?? 'Over the limit: 429'}
                  />
                )}
              />
              <Controller
                name="expiresAt"
                control={control}
                rules={clientKeyFormRules.expiresAt}
                render={({ field, fieldState }) => (
                  <TextField
                    {...field}
                    type="date"
                    label="Expires"
                    slotProps={{ inputLabel: { shrink: true } }}
                    error={Boolean(fieldState.error)}
                    helperText={fieldState.error?.message ?? 'Empty: never'}
                  />
                )}
              />
            </Stack>
            <Controller
              name="allowedModels"
              control={control}
              render={({ field, fieldState }) => (
                <TagsInput
                  label="Allowed models"
                  value={field.value}
                  onChange={field.onChange}
                  placeholder="All models (or e.g. gpt-4o-mini, claude-*)"
                  error={Boolean(fieldState.error)}
                  helperText={fieldState.error?.message ?? 'Glob patterns; empty allows every model'}
                />
              )}
            />
            <SwitchField control={control} name="enabled" label="Enabled" />
          </Stack>
        </DialogContent>
        <FormDialogActions
          onCancel={onClose}
          submitLabel={clientKey ? 'Save' : 'Create key'}
          pending={create.isPending || update.isPending}
        />
      </form>
    </Dialog>
  );
}
