import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

export const EXPOSED_HEADERS =
  'x-request-id, x-ratelimit-remaining-requests, x-ratelimit-remaining-tokens, retry-after';

/** CORS headers for a proxy response; `origins` is '*' or the configured allow-list. */
export function corsHeaders(
  origins: string[] | '*',
  headers: IncomingHttpHeaders,
): OutgoingHttpHeaders | null {
  const origin = headers.origin;
  if (typeof origin !== 'string') {
    return null;
  }
  if (origins === '*') {
    return { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED_HEADERS };
  }
  if (!origins.includes(origin)) {
    return null;
  }
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS,
    vary: 'Origin',
  };
}

/** Answer to a CORS preflight: the requested headers are echoed (SDKs send many x-stainless-* ones). */
export function preflightHeaders(origins: string[] | '*', headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const base = corsHeaders(origins, headers);
  if (!base) {
    return {};
  }
  const requested = headers['access-control-request-headers'];
  return {
    ...base,
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers':
      typeof requested === 'string' && requested ? requested : 'authorization, content-type, x-api-key',
    'access-control-max-age': '86400',
  };
}
