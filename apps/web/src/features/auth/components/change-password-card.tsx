import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Grid,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm, type Path } from 'react-hook-form';
import { ApiError } from '@/lib/api-client';
import { applyServerErrors } from '@/lib/form-errors';
import { notify } from '@/lib/notify';
import { authQueries, useChangePassword } from '../api/auth.queries';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

const EMPTY: PasswordValues = { currentPassword: '', newPassword: '', confirmPassword: '' };
const SERVER_FIELDS: Path<PasswordValues>[] = ['currentPassword', 'newPassword'];
/** The API's rule (ChangePasswordDto); checked here too so the admin hears it before submitting. */
const MIN_LENGTH = 8;

/** The "Security" group of the settings page: change the admin password. */
export function ChangePasswordCard() {
  const change = useChangePassword();
  const { control, handleSubmit, setError, reset, getValues } = useForm<PasswordValues>({
    defaultValues: EMPTY,
  });
  const [formError, setFormError] = useState<string | null>(null);
  // `/auth/me` says so up front; a 409 on submit says so too (e.g. the variable was set since the page loaded).
  const me = useQuery(authQueries.me());
  const [refusedAsEnvManaged, setManagedByEnv] = useState(false);
  const managedByEnv = refusedAsEnvManaged || me.data?.passwordManagedByEnv === true;

  const onSubmit = handleSubmit(({ currentPassword, newPassword }) => {
    setFormError(null);
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          reset(EMPTY);
          notify.success('Password changed. Other signed-in sessions have been signed out.');
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'PASSWORD_MANAGED_BY_ENV') {
            setManagedByEnv(true);
          } else if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS') {
            setError('currentPassword', { type: 'server', message: 'That is not the current password' });
          } else if (error instanceof ApiError && error.status === 429) {
            setFormError('Too many attempts. Wait a minute, then try again.');
          } else {
            setFormError(applyServerErrors(error, setError, SERVER_FIELDS));
          }
        },
      },
    );
  });

  return (
    <Card component="section" aria-labelledby="settings-security">
      <CardContent>
        <Typography variant="h6" component="h2" id="settings-security">
          Security
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2.5 }}>
          Change the admin password. Every other signed-in browser is signed out; this one stays signed in.
        </Typography>
        {managedByEnv ? (
          <Alert severity="info">
            <AlertTitle>The password is set by the environment</AlertTitle>
            keypool reads the admin password from the <code>ADMIN_PASSWORD</code> environment variable, so it
            can’t be changed here. Change <code>ADMIN_PASSWORD</code> where keypool is deployed and restart
            it; or remove the variable to manage the password from this page.
          </Alert>
        ) : (
          <Box
            component="form"
            onSubmit={(event) => void onSubmit(event)}
            noValidate
            aria-label="Change password"
          >
            {formError && (
              <Alert severity="error" sx={{ mb: 2 }}>
                {formError}
              </Alert>
            )}
            <Grid container spacing={2.5}>
              <Grid size={{ xs: 12, sm: 6, lg: 4 }}>
                <Controller
                  name="currentPassword"
                  control={control}
                  rules={{ required: 'Enter the current password' }}
                  render={({ field, fieldState }) => (
                    <TextField
                      {...field}
                      type="password"
                      label="Current password"
                      autoComplete="current-password"
                      error={Boolean(fieldState.error)}
                      helperText={fieldState.error?.message}
                    />
                  )}
                />
              </Grid>
              <Grid size={{ xs: 12, sm: 6, lg: 4 }}>
                <Controller
                  name="newPassword"
                  control={control}
                  rules={{
                    required: 'Enter a new password',
                    minLength: { value: MIN_LENGTH, message: `At least ${MIN_LENGTH} characters` },
                  }}
                  render={({ field, fieldState }) => (
                    <TextField
                      {...field}
                      type="password"
                      label="New password"
                      autoComplete="new-password"
                      error={Boolean(fieldState.error)}
                      helperText={fieldState.error?.message ?? `At least ${MIN_LENGTH} characters`}
                    />
                  )}
                />
              </Grid>
              <Grid size={{ xs: 12, sm: 6, lg: 4 }}>
                <Controller
                  name="confirmPassword"
                  control={control}
                  rules={{
                    validate: (value) => value === getValues('newPassword') || 'The passwords do not match',
                  }}
                  render={({ field, fieldState }) => (
                    <TextField
                      {...field}
                      type="password"
                      label="Repeat new password"
                      autoComplete="new-password"
                      error={Boolean(fieldState.error)}
                      helperText={fieldState.error?.message}
                    />
                  )}
                />
              </Grid>
            </Grid>
            <Box sx={{ display: 'flex', justifyContent: 'flex-end', mt: 2 }}>
              <Button type="submit" variant="outlined" loading={change.isPending}>
                Change password
              </Button>
            </Box>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
