import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Client headers that travel upstream. Everything else (credentials, cookies, hop-by-hop headers,
 * accept-encoding so usage can be read from the body, forwarding headers) stays behind.
 */
const FORWARDED_REQUEST_HEADERS = [
  'content-type',
  'accept',
  'user-agent',
  'openai-beta',
  'anthropic-version',
  'anthropic-beta',
  'x-goog-api-client',
] as const;

export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

/** Builds the upstream request headers from the allow-list plus the pool key (set by the provider). */
export function upstreamRequestHeaders(
  client: IncomingHttpHeaders,
  auth: readonly [string, string],
  extra?: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = client[name];
    if (typeof value === 'string') {
      out[name] = value;
    }
  }
  if (extra) {
    for (const name in extra) {
      if (out[name] === undefined) {
        out[name] = extra[name]!;
      }
    }
  }
  out[auth[0]] = auth[1];
  return out;
}

/** Upstream response headers never passed to the client. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'date',
  'server',
  'x-request-id',
  'content-length',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'alt-svc',
  'via',
]);

/**
 * Upstream response headers for the client: hop-by-hop and per-key rate-limit headers removed (the
 * client sees pool-level ones instead). `retry-after` is kept on errors, where it tells the client when
 * to come back.
 */
export function clientResponseHeaders(
  upstream: Record<string, string | string[] | undefined>,
  isError: boolean,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name)) {
      continue;
    }
    if (name.startsWith('x-ratelimit-') || name.startsWith('anthropic-ratelimit-')) {
      continue;
    }
    if (name === 'retry-after' && !isError) {
      continue;
    }
    out[name] = value;
  }
  return out;
}

/** Lower-cased single-valued headers, as the balancer's contract wants them. */
export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) {
      out[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return out;
}

/** The credential a client presented, in the order SDKs use: Bearer, x-api-key, x-goog-api-key, ?key=. */
export function clientCredential(headers: IncomingHttpHeaders, queryKey: string | null): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.length > 7) {
    const space = authorization.indexOf(' ');
    if (space > 0 && authorization.slice(0, space).toLowerCase() === 'bearer') {
      const token = authorization.slice(space + 1).trim();
      if (token) {
        return token;
      }
    }
  }
  for (const name of ['x-api-key', 'x-goog-api-key'] as const) {
    const value = headers[name];
    if (typeof value === 'string' && value) {
      return value;
    }
  }
  return queryKey ?? undefined;
}

/** A safe request id: the client's when it looks sane, otherwise a new one. */
export function requestIdFrom(headers: IncomingHttpHeaders, generate: () => string): string {
  const given = headers['x-request-id'];
  if (typeof given === 'string' && given.length > 0 && given.length <= 128 && /^[\w.:@/+=-]+$/.test(given)) {
    return given;
  }
  return generate();
}
