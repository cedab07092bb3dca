import type {
  BulkAddKeysRequest,
  BulkAddKeysResponse,
  CreateKeyRequest,
  CreateUpstreamRequest,
  KeyResponse,
  LoginResponse,
  Settings,
  UpdateSettingsRequest,
  UpstreamResponse,
} from '@keypool/shared';
import { TEST_ADMIN_PASSWORD } from './keypool-process';

/** A raw HTTP answer: status, parsed body (JSON when it parses, else text) and headers. */
export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface AdminClient {
  /** The JWT after `login()`; sent as `Authorization: Bearer` on every request. */
  token: string | null;
  /** Logs in (default password: the harness's) and keeps the token. */
  login(password?: string): Promise<string>;
  /** Any admin call; never throws on a status, so tests can assert errors. */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<HttpResult<T>>;
  /** These throw (with status and body) unless the API answers 2xx. */
  createUpstream(upstream: CreateUpstreamRequest): Promise<UpstreamResponse>;
  addKey(key: CreateKeyRequest): Promise<KeyResponse>;
  bulkAddKeys(request: BulkAddKeysRequest): Promise<BulkAddKeysResponse>;
  updateSettings(settings: UpdateSettingsRequest): Promise<Settings>;
}

/** A client for keypool's admin API (`/api/*`) at `url`. */
export function adminClient(url: string): AdminClient {
  const client: AdminClient = {
    token: null,
    async login(password = TEST_ADMIN_PASSWORD) {
      const { accessToken } = await expectOk<LoginResponse>(
        client.request('POST', '/api/auth/login', { password }),
        'login',
      );
      client.token = accessToken;
      return accessToken;
    },
    request: (method, path, body) =>
      httpJson(
        method,
        `${url}${path}`,
        body,
        client.token ? { authorization: `Bearer ${client.token}` } : {},
      ),
    createUpstream: (upstream) =>
      expectOk(client.request('POST', '/api/upstreams', upstream), 'create upstream'),
    addKey: (key) => expectOk(client.request('POST', '/api/keys', key), 'add key'),
    bulkAddKeys: (request) => expectOk(client.request('POST', '/api/keys/bulk', request), 'bulk add keys'),
    updateSettings: (settings) =>
      expectOk(client.request('PUT', '/api/settings', settings), 'update settings'),
  };
  return client;
}

/** One JSON-ish HTTP call with fetch; the body is JSON-encoded unless it is a string. */
export async function httpJson<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

async function expectOk<T>(pending: Promise<HttpResult<unknown>>, what: string): Promise<T> {
  const result = await pending;
  if (result.status < 200 || result.status >= 300) {
    throw new Error(`${what} failed: HTTP ${result.status} ${JSON.stringify(result.body)}`);
  }
  return result.body as T;
}
