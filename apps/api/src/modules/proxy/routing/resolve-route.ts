import type { UpstreamFormat } from '@keypool/shared';

/** What the proxy needs to know about a request's path before reading its body. */
export interface ProxyRoute {
  /** Dialect of the caller and format of the eligible upstreams. */
  format: UpstreamFormat;
  /** `models`: keypool answers itself (merged list); `forward`: sent to an upstream. */
  kind: 'models' | 'model' | 'forward';
  /** Path after the dialect prefix (`/chat/completions`), appended to the upstream's baseUrl. */
  rest: string;
  /** Query string including `?` (credential params removed), or ''. */
  query: string;
  /** Credential passed as `?key=` (Gemini style), if any. */
  queryKey: string | null;
  /** Gemini: model and action taken from `/models/{model}:{action}`. */
  pathModel: string | null;
  pathAction: string | null;
}

const PREFIXES = ['/api/v1/', '/v1beta/', '/v1/'] as const;

/**
 * Splits a proxy URL into dialect, upstream-relative path and query.
 * `/v1beta/*` is Gemini native, `/v1/messages*` Anthropic, everything else under `/v1` or `/api/v1` OpenAI.
 * Returns null when the URL is not under a proxy prefix.
 */
export function resolveRoute(method: string, url: string): ProxyRoute | null {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const prefix = PREFIXES.find((p) => path.startsWith(p));
  if (!prefix) {
    return null;
  }
  const rest = path.slice(prefix.length - 1);
  const { query, queryKey } =
    q === -1 ? { query: '', queryKey: null } : splitCredentialParam(url.slice(q + 1));
  if (prefix === '/v1beta/') {
    const match = /^\/models\/([^/:]+):([A-Za-z]+)$/.exec(rest);
    return {
      format: 'gemini',
      kind: 'forward',
      rest,
      query,
      queryKey,
      pathModel: match ? decodeURIComponent(match[1]) : null,
      pathAction: match ? match[2] : null,
    };
  }
  const format: UpstreamFormat =
    rest === '/messages' || rest.startsWith('/messages/') ? 'anthropic' : 'openai';
  let kind: ProxyRoute['kind'] = 'forward';
  if (method === 'GET' && rest === '/models') {
    kind = 'models';
  } else if (method === 'GET' && rest.startsWith('/models/')) {
    kind = 'model';
  }
  return { format, kind, rest, query, queryKey, pathModel: null, pathAction: null };
}

/** Removes `key=` from a query string (it is the client's credential and must never travel upstream). */
export function splitCredentialParam(search: string): { query: string; queryKey: string | null } {
  if (!search) {
    return { query: '', queryKey: null };
  }
  if (!/(^|&)key=/.test(search)) {
    return { query: `?${search}`, queryKey: null };
  }
  const params = new URLSearchParams(search);
  const queryKey = params.get('key');
  params.delete('key');
  const rest = params.toString();
  return { query: rest ? `?${rest}` : '', queryKey };
}

/** Gemini streams come as SSE with `alt=sse`, otherwise as one JSON array written piece by piece. */
export function isGeminiSse(query: string): boolean {
  return /[?&]alt=sse(&|$)/.test(query);
}
