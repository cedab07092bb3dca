import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router-dom';
import { paths } from '@/config/paths';
import { authToken } from '@/lib/auth-token';
import { LoginRoute } from './routes/login';
import { PageSkeleton } from './routes/page-skeleton';
import { loginPathFor, RequireAuth } from './routes/require-auth';
import { RouteError } from './routes/route-error';

// One chunk per page, and the signed-in frame is a chunk too: a cold start on the login page
// loads only what the login form needs.
const AppFrame = lazy(() => import('./layout/app-frame').then((m) => ({ default: m.AppFrame })));
const DashboardRoute = lazy(() => import('./routes/dashboard').then((m) => ({ default: m.DashboardRoute })));
const KeysRoute = lazy(() => import('./routes/keys').then((m) => ({ default: m.KeysRoute })));
const UpstreamsRoute = lazy(() => import('./routes/upstreams').then((m) => ({ default: m.UpstreamsRoute })));
const ClientKeysRoute = lazy(() =>
  import('./routes/client-keys').then((m) => ({ default: m.ClientKeysRoute })),
);
const LogsRoute = lazy(() => import('./routes/logs').then((m) => ({ default: m.LogsRoute })));
const StatsRoute = lazy(() => import('./routes/stats').then((m) => ({ default: m.StatsRoute })));
const SettingsRoute = lazy(() => import('./routes/settings').then((m) => ({ default: m.SettingsRoute })));

export const routes = [
  { path: paths.login, element: <LoginRoute />, errorElement: <RouteError /> },
  {
    element: <RequireAuth />,
    errorElement: <RouteError />,
    children: [
      {
        element: (
          <Suspense fallback={<PageSkeleton />}>
            <AppFrame />
          </Suspense>
        ),
        errorElement: <RouteError />,
        children: [
          { index: true, element: <DashboardRoute /> },
          { path: paths.keys, element: <KeysRoute /> },
          { path: paths.upstreams, element: <UpstreamsRoute /> },
          { path: paths.clientKeys, element: <ClientKeysRoute /> },
          { path: paths.logs, element: <LogsRoute /> },
          { path: paths.stats, element: <StatsRoute /> },
          { path: paths.settings, element: <SettingsRoute /> },
          { path: '*', element: <Navigate to={paths.dashboard} replace /> },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  const basename = import.meta.env.BASE_URL.replace(/\/$/, '');
  startSignedOutAtLogin(basename);
  return createBrowserRouter(routes, { basename });
}

/**
 * A signed-out start (every cold start) goes straight to the login page's address, so the first render
 * is the login form rather than a render of the app's guard followed by a redirect.
 */
function startSignedOutAtLogin(basename: string): void {
  const { pathname, search } = window.location;
  if (authToken.get() || !pathname.startsWith(basename)) {
    return;
  }
  const path = pathname.slice(basename.length) || '/';
  if (path !== paths.login) {
    window.history.replaceState(null, '', `${basename}${loginPathFor(`${path}${search}`)}`);
  }
}
