import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useAuthToken } from '@/lib/auth-token';

/** Sends signed-out admins to the login page, remembering where they were going. */
export function RequireAuth() {
  const token = useAuthToken();
  const location = useLocation();
  if (!token) {
    const next = `${location.pathname}${location.search}`;
    const query = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`${paths.login}${query}`} replace />;
  }
  return <Outlet />;
}
