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

/** How many labels the unsaved-changes summary names before it says "and N more". */
const SUMMARY_LABELS = 3;

function unsavedSummary(labels: string[]): string {
  const named = labels.slice(0, SUMMARY_LABELS).join(', ');
  const more = labels.length - SUMMARY_LABELS;
  return more > 0 ? `${named} and ${more} more` : named;
}

interface SaveBarProps {
  /** Labels of the fields that differ from the saved settings. */
  unsaved: string[];
  saving: boolean;
  onDiscard: () => void;
  onReset: () => void;
}

/**
 * The form's actions. With unsaved changes they float at the bottom of the viewport with a summary,
 * so Save is in reach anywhere on the page; otherwise they sit quietly at the end of the form.
 */
function SaveBar({ unsaved, saving, onDiscard, onReset }: SaveBarProps) {
  const dirty = unsaved.length > 0;
  return (
    <Paper
      elevation={dirty ? 8 : 0}
      role="region"
      aria-label="Save settings"
      sx={{
        mt: 2,
        p: dirty ? 1.5 : 0,
        display: 'flex',
        gap: 1,
        alignItems: 'center',
        flexWrap: 'wrap',
        bgcolor: dirty ? 'background.paper' : 'transparent',
        border: dirty ? 1 : 0,
        borderColor: 'primary.main',
        ...(dirty && { position: 'sticky', bottom: (t) => t.spacing(1.5), zIndex: 'appBar' }),
      }}
    >
      <Box sx={{ flex: dirty ? '1 1 220px' : '1 1 auto', minWidth: 0 }} aria-live="polite">
        {dirty ? (
          <>
            <Typography variant="subtitle2" component="p">
              {unsaved.length === 1 ? '1 unsaved change' : `${unsaved.length} unsaved changes`}
            </Typography>
            <Typography variant="caption" color="text.secondary" component="p" noWrap>
              {unsavedSummary(unsaved)}
            </Typography>
          </>
        ) : (
          <Button startIcon={<RestartAltIcon />} color="inherit" onClick={onReset}>
            Reset to defaults
          </Button>
        )}
      </Box>
      {dirty && (
        <Button color="inherit" onClick={onDiscard} disabled={saving}>
          Discard
        </Button>
      )}
      <Button type="submit" variant="contained" disabled={!dirty} loading={saving}>
        Save changes
      </Button>
    </Paper>
  );
}

export function SettingsForm({ settings }: { settings: Settings }) {
  const save = useSaveSettings();
  const reset = useResetSettings();
  const defaults = useMemo(() => toFormValues(settings), [settings]);
  const {
    control,
    handleSubmit,
    setError,
    formState,
    reset: discard,
  } = useForm<FormValues>({ values: defaults });
  const unsaved = ALL_FIELDS.filter((f) => formState.dirtyFields[f.name]).map((f) => f.label);
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
      <SaveBar
        unsaved={unsaved}
        saving={save.isPending}
        onDiscard={() => discard(defaults)}
        onReset={() => setConfirmReset(true)}
      />
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
