/** Build-time configuration from `VITE_*` variables, checked once at start-up. */
function readApiBase(): string {
  const raw: unknown = import.meta.env.VITE_API_BASE;
  if (raw === undefined || raw === '') {
    return '/api';
  }
  if (typeof raw !== 'string' || !raw.startsWith('/')) {
    throw new Error(`VITE_API_BASE must be a same-origin path starting with "/", got ${JSON.stringify(raw)}`);
  }
  return raw.replace(/\/$/, '');
}

export const env = {
  /** Where the admin API lives, same origin as the SPA. */
  apiBase: readApiBase(),
} as const;
