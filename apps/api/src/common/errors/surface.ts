/** Which error dialect a URL path answers in. */
export type ErrorSurface = 'admin' | 'openai' | 'anthropic' | 'google' | 'other';

export function errorSurfaceOf(url: string): ErrorSurface {
  const path = url.split('?')[0] ?? '';
  if (path === '/v1beta' || path.startsWith('/v1beta/')) {
    return 'google';
  }
  if (path === '/v1/messages' || path.startsWith('/v1/messages/') || path.startsWith('/api/v1/messages')) {
    return 'anthropic';
  }
  if (path === '/v1' || path.startsWith('/v1/') || path === '/api/v1' || path.startsWith('/api/v1/')) {
    return 'openai';
  }
  if (path === '/api' || path.startsWith('/api/')) {
    return 'admin';
  }
  return 'other';
}
