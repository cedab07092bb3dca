import type { Settings, UpdateSettingsRequest } from '@keypool/shared';
import RestartAltIcon from '@mui/icons-material/RestartAlt';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  FormControlLabel,
  Grid,
  InputAdornment,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  Paper,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { useMemo, useState } from 'react';
import { Controller, useForm, type Path } from 'react-hook-form';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { applyServerErrors } from '@/lib/form-errors';
import { notify } from '@/lib/notify';
import { formatStatuses, parseStatuses, SETTINGS_GROUPS, type FieldSpec } from '../api/settings-fields';
import { useResetSettings, useSaveSettings } from '../api/settings.queries';

/** Every input as text/boolean; converted to the wire types on save. */
type FormValues = Record<string, string | boolean>;

const ALL_FIELDS = SETTINGS_GROUPS.flatMap((g) => g.fields);

function toFormValues(settings: Settings): FormValues {
  const out: FormValues = {};
  for (const f of ALL_FIELDS) {
    const value = settings[f.name];
    out[f.name] =
      f.kind === 'statuses'
        ? formatStatuses(settings.retryableStatuses)
        : typeof value === 'boolean'
          ? value
          : String(value);
  }
  return out;
}

function toRequest(values: FormValues): Settings {
  const out: Record<string, unknown> = {};
  for (const f of ALL_FIELDS) {
    const v = values[f.name];
    out[f.name] = f.kind === 'number' ? Number(v) : f.kind === 'statuses' ? parseStatuses(String(v)) : v;
  }
  return out as unknown as Settings;
}

function validateNumber(f: Extract<FieldSpec, { kind: 'number' }>) {
  return (raw: string | boolean) => {
    const text = String(raw).trim();
    const n = Number(text);
    if (text === '' || Number.isNaN(n)) {
      return 'Enter a number';
    }
    if (f.integer && !Number.isInteger(n)) {
      return 'Use a whole number';
    }
    if (n < f.min) {
      return `At least ${f.min}`;
    }
    if (f.max !== undefined && n > f.max) {
      return `At most ${f.max}`;
    }
    return true;
  };
}

/** A setting's value as the admin reads it: option labels for selects, units for numbers. */
function displayValue(f: FieldSpec, settings: Settings): string {
  switch (f.kind) {
    case 'statuses':
      return formatStatuses(settings.retryableStatuses);
    case 'select':
      return f.options.find((o) => o.value === settings[f.name])?.label ?? String(settings[f.name]);
    case 'number':
      return `${settings[f.name]}${f.unit ? ` ${f.unit}` : ''}`;
    case 'switch':
      return settings[f.name] ? 'on' : 'off';
    case 'text':
      return settings[f.name] || '(empty)';
  }
}

function changedFields(
  before: Settings,
  after: Settings,
): Array<{ label: string; from: string; to: string }> {
  return ALL_FIELDS.filter((f) => JSON.stringify(before[f.name]) !== JSON.stringify(after[f.name])).map(
    (f) => ({
      label: f.label,
      from: displayValue(f, before),
      to: displayValue(f, after),
    }),
  );
}

export function SettingsForm({ settings }: { settings: Settings }) {
  const save = useSaveSettings();
  const reset = useResetSettings();
  const defaults = useMemo(() => toFormValues(settings), [settings]);
  const { control, handleSubmit, setError, formState } = useForm<FormValues>({ values: defaults });
  const [pending, setPending] = useState<Settings | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const changes = pending ? changedFields(settings, pending) : [];

  const onSubmit = handleSubmit((values) => setPending(toRequest(values)));
  const doSave = () => {
    if (!pending) {
      return;
    }
    const body: UpdateSettingsRequest = Object.fromEntries(
      ALL_FIELDS.filter((f) => JSON.stringify(settings[f.name]) !== JSON.stringify(pending[f.name])).map(
        (f) => [f.name, pending[f.name]],
      ),
    );
    setFormError(null);
    save.mutate(body, {
      onSuccess: () => notify.success('Settings saved. They apply to the next request.'),
      onError: (error) =>
        setFormError(
          applyServerErrors(
            error,
            setError,
            ALL_FIELDS.map((f) => f.name as Path<FormValues>),
          ),
        ),
      onSettled: () => setPending(null),
    });
  };

  const renderField = (f: FieldSpec) => (
    <Controller
      key={f.name}
      name={f.name}
      control={control}
      rules={
        f.kind === 'number'
          ? { validate: validateNumber(f) }
          : f.kind === 'statuses'
            ? {
                validate: (v) =>
                  typeof parseStatuses(String(v)) === 'string' ? (parseStatuses(String(v)) as string) : true,
              }
            : undefined
      }
      render={({ field, fieldState }) => {
        const helperText = fieldState.error?.message ?? f.help;
        if (f.kind === 'switch') {
          return (
            <Box>
              <FormControlLabel
                control={
                  <Switch checked={Boolean(field.value)} onChange={(e) => field.onChange(e.target.checked)} />
                }
                label={f.label}
              />
              <Typography variant="caption" color="text.secondary" component="p">
                {f.help}
              </Typography>
            </Box>
          );
        }
        return (
          <TextField
            {...field}
            value={String(field.value)}
            select={f.kind === 'select'}
            label={f.label}
            inputMode={f.kind === 'number' ? 'decimal' : undefined}
            error={Boolean(fieldState.error)}
            helperText={helperText}
            slotProps={
              f.kind === 'number' && f.unit
                ? { input: { endAdornment: <InputAdornment position="end">{f.unit}</InputAdornment> } }
                : undefined
            }
          >
            {f.kind === 'select'
              ? f.options.map((o) => (
                  <MenuItem key={o.value} value={o.value}>
                    {o.label}
                  </MenuItem>
                ))
              : undefined}
          </TextField>
        );
      }}
    />
  );

  return (
    <Box component="form" onSubmit={(event) => void onSubmit(event)} noValidate aria-label="Settings">
      {formError && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {formError}
        </Alert>
      )}
      <Stack spacing={2}>
        {SETTINGS_GROUPS.map((group) => (
          <Card key={group.id} component="section" aria-labelledby={`settings-${group.id}`}>
            <CardContent>
              <Typography variant="h6" component="h2" id={`settings-${group.id}`}>
                {group.title}
              </Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 2.5 }}>
                {group.description}
              </Typography>
              <Grid container spacing={2.5}>
                {group.fields.map((f) => (
                  <Grid key={f.name} size={{ xs: 12, sm: 6, lg: 4 }}>
                    {renderField(f)}
                  </Grid>
                ))}
              </Grid>
            </CardContent>
          </Card>
        ))}
      </Stack>
      <Paper
        sx={{
          position: 'sticky',
          bottom: 0,
          mt: 2,
          p: 1.5,
          display: 'flex',
          gap: 1,
          justifyContent: 'flex-end',
          flexWrap: 'wrap',
          zIndex: 1,
        }}
      >
        <Button startIcon={<RestartAltIcon />} color="inherit" onClick={() => setConfirmReset(true)}>
          Reset to defaults
        </Button>
        <Button type="submit" variant="contained" disabled={!formState.isDirty} loading={save.isPending}>
          Save changes
        </Button>
      </Paper>
      <ConfirmDialog
        open={pending !== null}
        title="Apply these settings?"
        confirmLabel="Save"
        pending={save.isPending}
        onClose={() => setPending(null)}
        onConfirm={doSave}
      >
        {changes.length === 0 ? (
          'Nothing changed.'
        ) : (
          <List dense aria-label="Changes">
            {changes.map((c) => (
              <ListItem key={c.label} disableGutters>
                <ListItemText primary={c.label} secondary={`${c.from} → ${c.to}`} />
              </ListItem>
            ))}
          </List>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirmReset}
        title="Reset every setting?"
        confirmLabel="Reset"
        destructive
        pending={reset.isPending}
        onClose={() => setConfirmReset(false)}
        onConfirm={() =>
          reset.mutate(undefined, {
            onSuccess: () => {
              notify.success('Settings reset to defaults');
              setConfirmReset(false);
            },
          })
        }
      >
        All settings go back to their defaults, for live traffic right away. Upstreams, keys and logs are not
        touched.
      </ConfirmDialog>
    </Box>
  );
}
