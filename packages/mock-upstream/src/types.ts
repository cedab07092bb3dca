import type { IncomingHttpHeaders } from 'node:http';

/** Which provider's wire format a request was spoken in (decided by its path and headers). */
export type MockDialect = 'openai' | 'anthropic' | 'gemini';

/**
 * What the mock does with a request. Set per key (or `'*'` for every key without its own behaviour).
 * Every field is optional; `{}` means "answer correctly, at once".
 */
export interface MockBehavior {
  /**
   * - `ok` (default): a correct answer.
   * - `error`: `status` (default 500) with `body` (default: the dialect's error JSON).
   * - `rate_limit`: 429 in the dialect's shape; see `retryAfterSeconds` and `resetSeconds`.
   * - `insufficient_quota`: OpenAI 429 `insufficient_quota`; Anthropic 400 "credit balance is too low";
   *   Gemini 429 RESOURCE_EXHAUSTED with a per-day quota violation.
   * - `unauthorized`: OpenAI/Anthropic 401; Gemini 400 `API_KEY_INVALID` (as Google really answers).
   * - `forbidden`: 403 in the dialect's shape.
   * - `server_error`: `status` (default 500) in the dialect's shape.
   * - `headers_then_stall`: 200 headers are sent, then nothing until the client gives up (TTFB stall).
   * - `reset`: the TCP connection is destroyed without an answer.
   */
  mode?:
    | 'ok'
    | 'error'
    | 'rate_limit'
    | 'insufficient_quota'
    | 'unauthorized'
    | 'forbidden'
    | 'server_error'
    | 'headers_then_stall'
    | 'reset';
  /** Status for `error` / `server_error` / `forbidden` / `unauthorized` (overrides the default). */
  status?: number;
  /** Response body for failure modes: a string is sent as is, anything else as JSON. */
  body?: unknown;
  /** Extra headers on every response of this key (success or failure). */
  headers?: Record<string, string>;
  /** `rate_limit`: `Retry-After` header (seconds); Gemini also gets `RetryInfo.retryDelay`. */
  retryAfterSeconds?: number;
  /**
   * `rate_limit`: also send `x-ratelimit-remaining-requests: 0` + `x-ratelimit-reset-requests` (OpenAI)
   * or `anthropic-ratelimit-requests-remaining: 0` + `-reset` (Anthropic), resetting after this many seconds.
   */
  resetSeconds?: number;
  /** Delay before the response headers (ms). */
  latencyMs?: number;
  /** Delay between two stream events (ms). Default 0. */
  chunkDelayMs?: number;
  /** Number of content pieces in the reply (stream deltas; also the completion token count). Default 5. */
  chunkCount?: number;
  /** Reply text; split into `chunkCount` pieces. Default: see `replyChunks()`. */
  content?: string;
  /** Streams: after this many content events, go silent (connection kept open) until the client leaves. */
  stallAfterChunks?: number;
  /** Streams: after this many content events, destroy the connection. */
  resetAfterChunks?: number;
  /**
   * Fail some requests: every `every`-th request of the key (1-based count), or each request with a
   * seeded `probability`. A failing request behaves as `failWith` (default `{ mode: 'server_error' }`).
   */
  flaky?: { every?: number; probability?: number; seed?: number; failWith?: MockBehavior };
  /**
   * A request budget per window: each request spends one; responses advertise what is left in the
   * dialect's rate-limit headers; once spent, requests get 429 until the window (started by the first
   * request) ends.
   */
  budget?: { requests: number; windowMs: number };
}

/** A credential found on a request, and where it was. */
export interface MockCredential {
  source: 'authorization' | 'x-api-key' | 'x-goog-api-key' | 'query';
  value: string;
}

/** One request as the mock received it, and what became of it. */
export interface RecordedRequest {
  /** 1-based sequence number, also sent back as `x-mock-request-id`. */
  id: number;
  /** Arrival time (epoch ms). */
  time: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
  bodySha256: string;
  dialect: MockDialect;
  /** The key the request carried (the dialect's own header first, then any other credential). */
  key: string | null;
  keySource: MockCredential['source'] | null;
  /** Every credential found; a well-behaved gateway sends exactly one. */
  credentials: MockCredential[];
  model: string | null;
  stream: boolean;
  /** Response status once headers were sent; null if none was (stall before headers, reset). */
  status: number | null;
  /** The behaviour mode actually applied (after flaky / budget decisions). */
  outcome: NonNullable<MockBehavior['mode']>;
  /** Content events written on a stream. */
  chunksSent: number;
  /** Usage the mock reported, when it answered successfully. */
  usage: { inputTokens: number; outputTokens: number } | null;
  /** True when the client closed the connection before the response was complete. */
  closedEarly: boolean;
  closedAt: number | null;
  finishedAt: number | null;
}

export interface MockUpstreamOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Behaviour of keys without their own (same as `setBehavior('*', ...)`). */
  defaultBehavior?: MockBehavior;
  /** Behaviours per key. */
  behaviors?: Record<string, MockBehavior>;
  /** When set, any other key gets the dialect's 401 (Gemini: 400 API_KEY_INVALID). */
  acceptedKeys?: string[];
  /** Models listed by the models endpoints. */
  models?: string[];
  /** Keep request records (default true). The benchmark turns it off. */
  record?: boolean;
  /** Oldest records are dropped beyond this many (default 50 000). */
  maxRecords?: number;
}

export interface MockUpstream {
  /** `http://host:port`, no trailing slash. Upstream base URLs are `${url}/v1` or `${url}/v1beta`. */
  url: string;
  port: number;
  /** Recorded requests, oldest first; optionally only those that carried `key`. */
  requests(key?: string): RecordedRequest[];
  /** Recorded requests grouped by the key they carried (`''` for none). */
  requestsByKey(): Record<string, RecordedRequest[]>;
  /** Requests seen per key since the last reset (counted even when recording is off). */
  counts(): Record<string, number>;
  /** Set (or with `null` remove) the behaviour of one key, or of `'*'` = every key without its own. */
  setBehavior(key: string, behavior: MockBehavior | null): void;
  /** Forget recorded requests only. */
  clearRequests(): void;
  /** Forget records, counters, budgets and flaky state, and all behaviours (back to the start options). */
  reset(): void;
  close(): Promise<void>;
}
