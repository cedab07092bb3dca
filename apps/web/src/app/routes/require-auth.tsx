import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useAuthToken } from '@/lib/auth-token';

/** The login page's address that brings the admin back to `next` (a path inside the app) afterwards. */
export function loginPathFor(next: string): string {
  return next === '/' ? paths.login : `${paths.login}?next=${encodeURIComponent(next)}`;
}

/** Sends signed-out admins to the login page, remembering where they were going. */
export function RequireAuth() {
  const token = useAuthToken();
  const location = useLocation();
  if (!token) {
    return <Navigate to={loginPathFor(`${location.pathname}${location.search}`)} replace />;
  }
  return <Outlet />;
}
