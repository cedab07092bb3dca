import { Box } from '@mui/material';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { LoginForm } from '@/features/auth/components/login-form';
import { useAuthToken } from '@/lib/auth-token';

/** Only same-app paths are followed after login (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = useAuthToken();
  const next = safeNext(params.get('next'));
  if (token) {
    return <Navigate to={next} replace />;
  }
  return (
    <Box
      component="main"
      sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center', p: 2, bgcolor: 'background.default' }}
    >
      <LoginForm onSignedIn={() => void navigate(next, { replace: true })} />
    </Box>
  );
}
