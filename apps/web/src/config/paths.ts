/** Client routes of the SPA (relative to the router basename `/ui`). */
export const paths = {
  login: '/login',
  dashboard: '/',
  keys: '/keys',
  upstreams: '/upstreams',
  clientKeys: '/client-keys',
  logs: '/logs',
  stats: '/stats',
  settings: '/settings',
} as const;
