import KeyIcon from '@mui/icons-material/VpnKeyOutlined';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  FormControl,
  FormHelperText,
  InputLabel,
  OutlinedInput,
  Stack,
  Typography,
} from '@mui/material';
import { Controller, useForm } from 'react-hook-form';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useLogin } from '../api/auth.queries';

interface LoginValues {
  password: string;
}

function loginErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401 || error.code === 'INVALID_CREDENTIALS') {
      return 'That password is not right. Try again.';
    }
    if (error.status === 429) {
      return 'Too many attempts. Wait a minute, then try again.';
    }
  }
  return errorMessage(error);
}

export function LoginForm({ onSignedIn }: { onSignedIn: () => void }) {
  const login = useLogin();
  const { control, handleSubmit } = useForm<LoginValues>({ defaultValues: { password: '' } });
  const onSubmit = handleSubmit((values) => login.mutate(values, { onSuccess: onSignedIn }));

  return (
    <Card sx={{ width: '100%', maxWidth: 400 }}>
      <CardContent sx={{ p: { xs: 3, sm: 4 } }}>
        <Stack spacing={1} sx={{ alignItems: 'center', mb: 3 }}>
          <Box sx={{ color: 'primary.main', display: 'flex' }}>
            <KeyIcon fontSize="large" />
          </Box>
          <Typography variant="h5" component="h1">
            Sign in to keypool
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ textAlign: 'center' }}>
            Use the admin password (ADMIN_PASSWORD, or the one printed at first start).
          </Typography>
        </Stack>
        <Box component="form" onSubmit={(event) => void onSubmit(event)} noValidate>
          <Stack spacing={2}>
            {login.isError && <Alert severity="error">{loginErrorText(login.error)}</Alert>}
            <Controller
              name="password"
              control={control}
              rules={{ required: 'Enter the admin password' }}
              render={({ field, fieldState }) => (
                // The parts of a TextField, not TextField itself: it would bring Select, Menu and Modal
                // into the first page's bundle, and this is the page every cold start shows.
                <FormControl variant="outlined" error={Boolean(fieldState.error)}>
                  <InputLabel htmlFor="login-password">Admin password</InputLabel>
                  <OutlinedInput
                    {...field}
                    id="login-password"
                    type="password"
                    label="Admin password"
                    autoComplete="current-password"
                    autoFocus
                    aria-describedby={fieldState.error ? 'login-password-error' : undefined}
                  />
                  {fieldState.error && (
                    <FormHelperText id="login-password-error">{fieldState.error.message}</FormHelperText>
                  )}
                </FormControl>
              )}
            />
            <Button type="submit" variant="contained" size="large" loading={login.isPending}>
              Sign in
            </Button>
          </Stack>
        </Box>
      </CardContent>
    </Card>
  );
}
