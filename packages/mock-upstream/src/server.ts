import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BehaviorStore } from './behavior-store';
import { findCredentials, primaryCredential } from './credentials';
import type { DialectContext } from './dialects/context';
import { handleAnthropic } from './dialects/anthropic';
import { handleGemini } from './dialects/gemini';
import { handleOpenAI } from './dialects/openai';
import {
  anthropicError,
  dialectError,
  forbiddenError,
  insufficientQuotaError,
  rateLimitError,
  serverError,
  unauthorizedError,
} from './errors';
import { Exchange, safeParse } from './exchange';
import { budgetHeaders, rateLimitedHeaders } from './rate-limit-headers';
import { Recorder, recordToJson } from './recorder';
import type { MockBehavior, MockDialect, MockUpstream, MockUpstreamOptions, RecordedRequest } from './types';

export const DEFAULT_MODELS = [
  'gpt-4o-mini',
  'gpt-4o',
  'text-embedding-3-small',
  'claude-sonnet-4-5',
  'claude-3-5-haiku-latest',
  'gemini-2.0-flash',
  'gemini-2.5-pro',
  'text-embedding-004',
];

/** Starts a fake OpenAI / Anthropic / Gemini provider on loopback. See README.md for the behaviours. */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const store = new BehaviorStore({
    ...(options.defaultBehavior ? { '*': options.defaultBehavior } : {}),
    ...options.behaviors,
  });
  const recording = options.record ?? true;
  const recorder = new Recorder(recording, options.maxRecords ?? 50_000);
  const models = options.models ?? DEFAULT_MODELS;
  const accepted = options.acceptedKeys ? new Set(options.acceptedKeys) : null;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
      }
      res.end(`mock upstream failure: ${String(error)}`);
    });
  });
  // Longer than undici's default keep-alive so pooled connections are not cut under the client.
  server.keepAliveTimeout = 65_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://mock');
    if (url.pathname.startsWith('/__mock/')) {
      control(req, res, url, body);
      return;
    }
    const { dialect, route } = routeOf(url.pathname, req);
    const credentials = findCredentials(req.headers, url.searchParams);
    const primary = primaryCredential(dialect, credentials);
    const json =
      body.length > 0 && !String(req.headers['content-type'] ?? '').startsWith('multipart/')
        ? safeParse(body.toString('utf8'))
        : undefined;
    const object =
      json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
    const geminiModel = dialect === 'gemini' ? /^\/models\/([^:/]+)/.exec(route)?.[1] : undefined;
    const now = Date.now();
    const record: RecordedRequest = {
      id: recorder.nextId(),
      time: now,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      // Hashing is skipped when nothing is recorded (the benchmark), to keep the mock cheap.
      bodySha256: recording ? createHash('sha256').update(body).digest('hex') : '',
      dialect,
      key: primary?.value ?? null,
      keySource: primary?.source ?? null,
      credentials,
      model:
        typeof object.model === 'string'
          ? object.model
          : geminiModel
            ? decodeURIComponent(geminiModel)
            : null,
      stream: object.stream === true || route.endsWith(':streamGenerateContent'),
      status: null,
      outcome: 'ok',
      chunksSent: 0,
      usage: null,
      closedEarly: false,
      closedAt: null,
      finishedAt: null,
    };
    recorder.add(record);

    const resolved = store.resolve(record.key ?? '', now);
    const behavior = resolved.behavior;
    record.outcome = behavior.mode ?? 'ok';
    const extraHeaders: Record<string, string> = {
      'x-mock-request-id': String(record.id),
      ...(resolved.budget ? budgetHeaders(dialect, resolved.budget, now) : {}),
      ...behavior.headers,
    };
    const ex = new Exchange(req, res, record, dialect, behavior, extraHeaders, json, url.searchParams);

    if (behavior.latencyMs && !(await ex.sleep(behavior.latencyMs))) {
      return;
    }
    if (body.length > 0 && json === undefined && isJsonRequest(req)) {
      ex.sendError(dialectError(dialect, 400, 'We could not parse the JSON body of your request.'));
      return;
    }
    if (!primary || (accepted && !accepted.has(primary.value))) {
      record.outcome = 'unauthorized';
      ex.sendError(unauthorizedError(dialect, primary?.value ?? null));
      return;
    }
    if (dialect === 'anthropic' && route.startsWith('/messages') && !req.headers['anthropic-version']) {
      ex.sendError(anthropicError(400, 'anthropic-version: header is required', 'invalid_request_error'));
      return;
    }
    if (applyFault(ex, behavior, dialect, record.model ?? 'unknown-model')) {
      return;
    }
    const ctx: DialectContext = { ex, route, body: object, models };
    switch (dialect) {
      case 'openai':
        return handleOpenAI(ctx);
      case 'anthropic':
        return handleAnthropic(ctx);
      case 'gemini':
        return handleGemini(ctx);
    }
  }

  function control(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    const reply = (status: number, payload?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /__mock/requests': {
        const key = url.searchParams.get('key');
        reply(200, recorder.list(key ?? undefined).map(recordToJson));
        return;
      }
      case 'DELETE /__mock/requests':
        recorder.clear();
        reply(200, { ok: true });
        return;
      case 'GET /__mock/counts':
        reply(200, store.counts());
        return;
      case 'POST /__mock/reset':
        recorder.clear();
        store.reset();
        reply(200, { ok: true });
        return;
      case 'POST /__mock/config': {
        const config = safeParse(body.toString('utf8')) as MockConfigRequest | undefined;
        if (!config || typeof config !== 'object') {
          reply(400, { error: 'expected JSON: { key?, behavior } or { behaviors: { [key]: behavior } }' });
          return;
        }
        if (config.reset) {
          recorder.clear();
          store.reset();
        }
        if (config.behavior !== undefined) {
          store.set(config.key ?? '*', config.behavior);
        }
        for (const [key, behavior] of Object.entries(config.behaviors ?? {})) {
          store.set(key, behavior);
        }
        reply(200, { ok: true });
        return;
      }
      default:
        reply(404, { error: `unknown mock control route ${route}` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests: (key) => recorder.list(key),
    requestsByKey: () => recorder.byKey(),
    counts: () => store.counts(),
    setBehavior: (key, behavior) => store.set(key, behavior),
    clearRequests: () => recorder.clear(),
    reset: () => {
      recorder.clear();
      store.reset();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Body of `POST /__mock/config`. */
export interface MockConfigRequest {
  /** Key the `behavior` applies to; `'*'` (default) = every key without its own. */
  key?: string;
  behavior?: MockBehavior | null;
  behaviors?: Record<string, MockBehavior | null>;
  /** Clear records, counters and behaviours first. */
  reset?: boolean;
}

function routeOf(pathname: string, req: IncomingMessage): { dialect: MockDialect; route: string } {
  if (pathname === '/v1beta' || pathname.startsWith('/v1beta/')) {
    return { dialect: 'gemini', route: pathname.slice('/v1beta'.length) };
  }
  const route = pathname.startsWith('/v1/') ? pathname.slice('/v1'.length) : pathname;
  // `/v1/models` is shared: it is Anthropic's when the caller speaks Anthropic (version header or x-api-key alone).
  const speaksAnthropic =
    req.headers['anthropic-version'] !== undefined ||
    (req.headers['x-api-key'] !== undefined && !req.headers.authorization);
  const anthropic = route.startsWith('/messages') || (route.startsWith('/models') && speaksAnthropic);
  return { dialect: anthropic ? 'anthropic' : 'openai', route };
}

function isJsonRequest(req: IncomingMessage): boolean {
  const type = String(req.headers['content-type'] ?? '');
  return type === '' || type.includes('json');
}

/** Answers with the behaviour's failure, if it has one. Returns true when the request is dealt with. */
function applyFault(ex: Exchange, behavior: MockBehavior, dialect: MockDialect, model: string): boolean {
  const mode = behavior.mode ?? 'ok';
  switch (mode) {
    case 'ok':
      return false;
    case 'reset':
      ex.destroy();
      return true;
    case 'headers_then_stall':
      ex.head(200, { 'content-type': ex.record.stream ? 'text/event-stream' : 'application/json' });
      ex.res.flushHeaders();
      void ex.untilClosed();
      return true;
    case 'error': {
      const status = behavior.status ?? 500;
      ex.sendError(
        status >= 500 ? serverError(dialect, status) : dialectError(dialect, status, `mock error ${status}`),
      );
      return true;
    }
    case 'server_error':
      ex.sendError(serverError(dialect, behavior.status ?? 500));
      return true;
    case 'unauthorized': {
      const reply = unauthorizedError(dialect, ex.record.key);
      ex.sendError(behavior.status ? { ...reply, status: behavior.status } : reply);
      return true;
    }
    case 'forbidden':
      ex.sendError(forbiddenError(dialect, behavior.status ?? 403));
      return true;
    case 'insufficient_quota':
      ex.sendError(insufficientQuotaError(dialect, model));
      return true;
    case 'rate_limit':
      ex.sendError(
        rateLimitError(dialect, model, behavior.retryAfterSeconds),
        rateLimitedHeaders(dialect, behavior.retryAfterSeconds, behavior.resetSeconds, Date.now()),
      );
      return true;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
