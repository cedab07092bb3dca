import { SELECTION_STRATEGIES, UPSTREAM_FORMATS, type UpstreamResponse } from '@keypool/shared';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogContent,
  DialogTitle,
  Grid,
  IconButton,
  MenuItem,
  Stack,
  TextField,
  Typography,
  useMediaQuery,
  useTheme,
} from '@mui/material';
import { useState } from 'react';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { FormDialogActions } from '@/components/form-dialog-actions';
import { SwitchField } from '@/components/switch-field';
import { TagsInput } from '@/components/tags-input';
import { applyServerErrors } from '@/lib/form-errors';
import { notify } from '@/lib/notify';
import { STRATEGY_INFO } from '@/lib/strategy-labels';
import { PROVIDER_PRESETS } from '../api/provider-presets';
import {
  toUpstreamFormValues,
  toUpstreamRequest,
  upstreamFormRules,
  type UpstreamFormValues,
} from '../api/upstream-form';
import { useCreateUpstream, useUpdateUpstream } from '../api/upstreams.queries';

const FIELDS = [
  'name',
  'baseUrl',
  'format',
  'modelPatterns',
  'aliases',
  'strategy',
  'timeoutMs',
  'enabled',
] as const;

const FORMAT_LABELS = { openai: 'OpenAI', anthropic: 'Anthropic', gemini: 'Gemini (native)' } as const;

interface UpstreamFormDialogProps {
  open: boolean;
  upstream?: UpstreamResponse;
  onClose: () => void;
}

export function UpstreamFormDialog({ open, upstream, onClose }: UpstreamFormDialogProps) {
  const editing = upstream !== undefined;
  const theme = useTheme();
  const fullScreen = useMediaQuery(theme.breakpoints.down('sm'));
  const create = useCreateUpstream();
  const update = useUpdateUpstream({ handlesErrors: true });
  const [formError, setFormError] = useState<string | null>(null);
  const { control, handleSubmit, setError, setValue } = useForm<UpstreamFormValues>({
    values: toUpstreamFormValues(upstream),
  });
  const aliases = useFieldArray({ control, name: 'aliases' });

  const applyPreset = (id: string) => {
    const preset = PROVIDER_PRESETS.find((p) => p.id === id);
    if (!preset) {
      return;
    }
    if (!editing) {
      setValue('name', preset.name, { shouldValidate: true });
    }
    setValue('baseUrl', preset.baseUrl, { shouldValidate: true });
    setValue('format', preset.format);
    setValue('modelPatterns', preset.modelPatterns);
  };

  const onSubmit = handleSubmit((values) => {
    setFormError(null);
    const body = toUpstreamRequest(values);
    const onError = (error: unknown) => setFormError(applyServerErrors(error, setError, FIELDS));
    const done = (message: string) => () => {
      notify.success(message);
      onClose();
    };
    if (upstream) {
      update.mutate({ id: upstream.id, body }, { onSuccess: done('Upstream saved'), onError });
    } else {
      create.mutate(body, { onSuccess: done(`Upstream ${body.name} added`), onError });
    }
  });

  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="md"
      fullScreen={fullScreen}
      aria-labelledby="upstream-form-title"
    >
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <DialogTitle id="upstream-form-title">
          {editing ? `Edit ${upstream.name}` : 'Add an upstream'}
        </DialogTitle>
        <DialogContent>
          {formError && (
            <Alert severity="error" sx={{ mb: 2 }}>
              {formError}
            </Alert>
          )}
          <Typography variant="subtitle2" sx={{ mb: 1 }}>
            Start from a provider
          </Typography>
          <Box
            sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mb: 3 }}
            role="group"
            aria-label="Provider presets"
          >
            {PROVIDER_PRESETS.map((p) => (
              <Chip
                key={p.id}
                label={p.label}
                onClick={() => applyPreset(p.id)}
                variant="outlined"
                clickable
              />
            ))}
          </Box>
          <Grid container spacing={2}>
            <Grid size={{ xs: 12, sm: 5 }}>
              <Controller
                name="name"
                control={control}
                rules={upstreamFormRules.name}
                render={({ field, fieldState }) => (
                  <TextField
                    {...field}
                    label="Name"
                    error={Boolean(fieldState.error)}
                    helperText={fieldState.error?.message}
                  />
                )}
              />
            </Grid>
            <Grid size={{ xs: 12, sm: 4 }}>
              <Controller
                name="format"
                control={control}
                render={({ field }) => (
                  <TextField {...field} select label="Format" helperText="The API dialect it speaks">
                    {UPSTREAM_FORMATS.map((f) => (
                      <MenuItem key={f} value={f}>
                        {FORMAT_LABELS[f]}
                      </MenuItem>
                    ))}
                  </TextField>
                )}
              />
            </Grid>
            <Grid size={{ xs: 12, sm: 3 }}>
              <Controller
                name="timeoutMs"
                control={control}
                rules={upstreamFormRules.timeoutMs}
                render={({ field, fieldState }) => (
                  <TextField
                    {...field}
                    label="Timeout (ms)"
                    placeholder="Default"
                    inputMode="numeric"
                    error={Boolean(fieldState.error)}
                    helperText={fieldState.error?.message}
                  />
                )}
              />
            </Grid>
            <Grid size={12}>
              <Controller
                name="baseUrl"
                control={control}
                rules={upstreamFormRules.baseUrl}
                render={({ field, fieldState }) => (
                  <TextField
                    {...field}
                    label="Base URL"
                    placeholder="https://api.openai.com/v1"
                    error={Boolean(fieldState.error)}
                    helperText={
                      fieldState.error?.message ??
                      'Include the version prefix; keypool appends /chat/completions etc.'
                    }
                  />
                )}
              />
            </Grid>
            <Grid size={{ xs: 12, sm: 7 }}>
              <Controller
                name="modelPatterns"
                control={control}
                render={({ field, fieldState }) => (
                  <TagsInput
                    label="Model patterns"
                    value={field.value}
                    onChange={field.onChange}
                    placeholder="gpt-*, claude-*, *"
                    error={Boolean(fieldState.error)}
                    helperText={
                      fieldState.error?.message ?? 'Requests for matching models go to this upstream'
                    }
                  />
                )}
              />
            </Grid>
            <Grid size={{ xs: 12, sm: 5 }}>
              <Controller
                name="strategy"
                control={control}
                render={({ field, fieldState }) => (
                  <TextField
                    {...field}
                    select
                    label="Strategy"
                    error={Boolean(fieldState.error)}
                    helperText={
                      fieldState.error?.message ??
                      (field.value ? STRATEGY_INFO[field.value].help : 'Uses the global setting')
                    }
                  >
                    <MenuItem value="">Global setting</MenuItem>
                    {SELECTION_STRATEGIES.map((s) => (
                      <MenuItem key={s} value={s}>
                        {STRATEGY_INFO[s].label}
                      </MenuItem>
                    ))}
                  </TextField>
                )}
              />
            </Grid>
            <Grid size={12}>
              <Typography variant="subtitle2">Model aliases</Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                Names clients may ask for, mapped to a real model. The same alias on several upstreams forms a
                fallback chain by tier (1 first).
              </Typography>
              <Stack spacing={1.5}>
                {aliases.fields.map((item, index) => (
                  <Stack key={item.id} direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
                    <Controller
                      name={`aliases.${index}.name`}
                      control={control}
                      rules={{ required: 'Alias name' }}
                      render={({ field, fieldState }) => (
                        <TextField
                          {...field}
                          label="Alias"
                          error={Boolean(fieldState.error)}
                          helperText={fieldState.error?.message}
                        />
                      )}
                    />
                    <Controller
                      name={`aliases.${index}.model`}
                      control={control}
                      rules={{ required: 'Model' }}
                      render={({ field, fieldState }) => (
                        <TextField
                          {...field}
                          label="Model"
                          error={Boolean(fieldState.error)}
                          helperText={fieldState.error?.message}
                        />
                      )}
                    />
                    <Controller
                      name={`aliases.${index}.tier`}
                      control={control}
                      rules={upstreamFormRules.aliasTier}
                      render={({ field, fieldState }) => (
                        <TextField
                          {...field}
                          label="Tier"
                          inputMode="numeric"
                          sx={{ maxWidth: 80 }}
                          error={Boolean(fieldState.error)}
                          helperText={fieldState.error?.message}
                        />
                      )}
                    />
                    <IconButton
                      aria-label={`Remove alias ${index + 1}`}
                      onClick={() => aliases.remove(index)}
                      sx={{ mt: 0.5 }}
                    >
                      <DeleteIcon fontSize="small" />
                    </IconButton>
                  </Stack>
                ))}
                <Box>
                  <Button
                    size="small"
                    startIcon={<AddIcon />}
                    onClick={() => aliases.append({ name: '', model: '', tier: '1' })}
                  >
                    Add alias
                  </Button>
                </Box>
              </Stack>
            </Grid>
            <Grid size={12}>
              <SwitchField control={control} name="enabled" label="Enabled: route traffic to this upstream" />
            </Grid>
          </Grid>
        </DialogContent>
        <FormDialogActions
          onCancel={onClose}
          submitLabel={editing ? 'Save' : 'Add upstream'}
          pending={create.isPending || update.isPending}
        />
      </form>
    </Dialog>
  );
}
