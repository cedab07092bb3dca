import type { KeyResponse } from '@keypool/shared';
import { Alert, Dialog, DialogContent, DialogTitle, Grid, MenuItem, TextField } from '@mui/material';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { FormDialogActions } from '@/components/form-dialog-actions';
import { SwitchField } from '@/components/switch-field';
import { TagsInput } from '@/components/tags-input';
import { applyServerErrors } from '@/lib/form-errors';
import { notify } from '@/lib/notify';
import { keyFormRules, toCreateKeyRequest, toUpdateKeyRequest, type KeyFormValues } from '../api/key-form';
import { useCreateKey, useUpdateKey } from '../api/key-mutations';
import type { UpstreamOption } from './types';

interface KeyFormDialogProps {
  open: boolean;
  /** Edit this key; add a new one when absent. */
  keyToEdit?: KeyResponse;
  upstreams: UpstreamOption[];
  knownTags: string[];
  onClose: () => void;
}

const FIELDS = [
  'upstreamId',
  'secret',
  'name',
  'weight',
  'tags',
  'enabled',
  'rpmLimit',
  'tpmLimit',
  'dailyLimit',
] as const;

function initialValues(key: KeyResponse | undefined, upstreams: UpstreamOption[]): KeyFormValues {
  const limit = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return {
    upstreamId: key?.upstreamId ?? upstreams[0]?.id ?? '',
    secret: '',
    name: key?.name ?? '',
    weight: String(key?.weight ?? 1),
    tags: key?.tags ?? [],
    enabled: key?.enabled ?? true,
    rpmLimit: limit(key?.rpmLimit),
    tpmLimit: limit(key?.tpmLimit),
    dailyLimit: limit(key?.dailyLimit),
  };
}

export function KeyFormDialog({ open, keyToEdit, upstreams, knownTags, onClose }: KeyFormDialogProps) {
  const editing = keyToEdit !== undefined;
  const createKey = useCreateKey();
  const updateKey = useUpdateKey({ handlesErrors: true });
  const [formError, setFormError] = useState<string | null>(null);
  const { control, handleSubmit, setError } = useForm<KeyFormValues>({
    values: initialValues(keyToEdit, upstreams),
  });

  const onError = (error: unknown) => setFormError(applyServerErrors(error, setError, FIELDS));
  const onSubmit = handleSubmit((values) => {
    setFormError(null);
    if (keyToEdit) {
      updateKey.mutate(
        { id: keyToEdit.id, body: toUpdateKeyRequest(values) },
        {
          onSuccess: () => {
            notify.success('Key saved');
            onClose();
          },
          onError,
        },
      );
    } else {
      createKey.mutate(toCreateKeyRequest(values), {
        onSuccess: () => {
          notify.success('Key added');
          onClose();
        },
        onError,
      });
    }
  });

  const limitField = (name: 'rpmLimit' | 'tpmLimit' | 'dailyLimit', label: string) => (
    <Grid size={{ xs: 12, sm: 4 }}>
      <Controller
        name={name}
        control={control}
        rules={keyFormRules.limit}
        render={({ field, fieldState }) => (
          <TextField
            {...field}
            label={label}
            inputMode="numeric"
            placeholder="No limit"
            error={Boolean(fieldState.error)}
            helperText={fieldState.error?.message}
          />
        )}
      />
    </Grid>
  );

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="key-form-title">
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <DialogTitle id="key-form-title">
          {editing ? `Edit ${keyToEdit.name || 'key'}` : 'Add a key'}
        </DialogTitle>
        <DialogContent>
          {formError && (
            <Alert severity="error" sx={{ mb: 2 }}>
              {formError}
            </Alert>
          )}
          <Grid container spacing={2} sx={{ pt: 1 }}>
            {!editing && (
              <>
                <Grid size={12}>
                  <Controller
                    name="upstreamId"
                    control={control}
                    rules={keyFormRules.upstreamId}
                    render={({ field, fieldState }) => (
                      <TextField
                        {...field}
                        select
                        label="Upstream"
                        error={Boolean(fieldState.error)}
                        helperText={fieldState.error?.message ?? 'The provider endpoint this key works with'}
                      >
                        {upstreams.map((u) => (
                          <MenuItem key={u.id} value={u.id}>
                            {u.name}
                          </MenuItem>
                        ))}
                      </TextField>
                    )}
                  />
                </Grid>
                <Grid size={12}>
                  <Controller
                    name="secret"
                    control={control}
                    rules={keyFormRules.secret}
                    render={({ field, fieldState }) => (
                      <TextField
                        {...field}
                        label="API key"
                        type="password"
                        autoComplete="off"
                        error={Boolean(fieldState.error)}
                        helperText={fieldState.error?.message ?? 'Stored encrypted; shown masked from now on'}
                      />
                    )}
                  />
                </Grid>
              </>
            )}
            <Grid size={{ xs: 12, sm: 8 }}>
              <Controller
                name="name"
                control={control}
                render={({ field, fieldState }) => (
                  <TextField
                    {...field}
                    label="Name"
                    placeholder="e.g. team-a primary"
                    error={Boolean(fieldState.error)}
                    helperText={fieldState.error?.message}
                  />
                )}
              />
            </Grid>
            <Grid size={{ xs: 12, sm: 4 }}>
              <Controller
                name="weight"
                control={control}
                rules={keyFormRules.weight}
                render={({ field, fieldState }) => (
                  <TextField
                    {...field}
                    label="Weight"
                    inputMode="decimal"
                    error={Boolean(fieldState.error)}
                    helperText={fieldState.error?.message ?? 'Share of traffic (weighted)'}
                  />
                )}
              />
            </Grid>
            <Grid size={12}>
              <Controller
                name="tags"
                control={control}
                render={({ field, fieldState }) => (
                  <TagsInput
                    label="Tags"
                    value={field.value}
                    onChange={field.onChange}
                    options={knownTags}
                    error={Boolean(fieldState.error)}
                    helperText={fieldState.error?.message ?? 'Filter and group keys, e.g. team-a, free-tier'}
                  />
                )}
              />
            </Grid>
            {limitField('rpmLimit', 'Requests / minute')}
            {limitField('tpmLimit', 'Tokens / minute')}
            {limitField('dailyLimit', 'Requests / day')}
            <Grid size={12}>
              <SwitchField control={control} name="enabled" label="Enabled: the balancer may use this key" />
            </Grid>
          </Grid>
        </DialogContent>
        <FormDialogActions
          onCancel={onClose}
          submitLabel={editing ? 'Save' : 'Add key'}
          pending={createKey.isPending || updateKey.isPending}
        />
      </form>
    </Dialog>
  );
}
