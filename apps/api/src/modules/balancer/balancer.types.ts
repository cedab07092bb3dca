import type { OutcomeClass, UpstreamFormat } from '@keypool/shared';
import type { CatalogKey, CatalogUpstream } from '../keys/pool-catalog.types';

/**
 * CONTRACT between the proxy pipeline (modules/proxy) and the balancer (modules/balancer).
 * The proxy: resolve → acquire a lease → send → classify → release → maybe acquire another (distinct) key.
 */

/** What the proxy knows about a request when it asks for a key. */
export interface AcquireRequest {
  /** Model as the client asked for it (may be an alias); null when the route carries none. */
  model: string | null;
  /** Dialect of the route: only upstreams of this format are eligible. */
  format: UpstreamFormat;
  /** Keys already tried by this request: never handed out again. */
  excludeKeyIds: ReadonlySet<string>;
  /** Affinity value (header or body `user`) when the setting enables affinity. */
  affinity: string | null;
  /**
   * Aborted when the client goes away: stop waiting. Read only when no key is free right away, so a
   * caller may create it lazily behind a getter (most requests never need one).
   */
  readonly signal: AbortSignal;
  /** Called once if the request has to wait for a key (streaming clients then get keep-alives). */
  onWait?: () => void;
  /** True for the 2nd+ attempt: consumes retry budget (see `previousOutcome`). */
  isRetry: boolean;
  /** Class of this request's previous attempt (null on the first): decides whether a retry spends budget. */
  previousOutcome: OutcomeClass | null;
}

/** A key handed out for exactly one upstream attempt. `release` must be called exactly once. */
export interface KeyLease {
  key: CatalogKey;
  upstream: CatalogUpstream;
  /** Model name to send upstream (alias resolved); null when the request has none. */
  upstreamModel: string | null;
  release(result: AttemptResult): void;
}

/** What the proxy observed of one attempt, given to the balancer to update key state. */
export interface AttemptResult {
  classification: ClassifiedOutcome;
  durationMs: number;
  /** Tokens used (for tokens-per-minute limits); 0 when unknown. */
  totalTokens: number;
  /** Upstream response headers (lower-cased names), for x-ratelimit-* / anthropic-ratelimit-* budgets. */
  headers: Record<string, string>;
}

/** Result of the one pure classification function (see outcome/classify-outcome.ts). */
export interface ClassifiedOutcome {
  class: OutcomeClass;
  status: number | null;
  /** Fail over to another key before the first byte reached the client? */
  retryable: boolean;
  /** When the key may be used again (epoch ms), for rate-limited/quota outcomes. */
  cooldownUntil: number | null;
  /** Scope of a rate limit: true when it applies to key+model only (Gemini per-model limits). */
  perModel: boolean;
  message: string | null;
  /** True when the upstream said when the key frees up (such keys are never tried as a last resort). */
  cooldownExplicit?: boolean;
}

/** Input of the classifier: everything known about an attempt before the body reaches the client. */
export interface OutcomeInput {
  format: UpstreamFormat;
  status: number | null;
  headers: Record<string, string>;
  /** First bytes of an error body (non-2xx only), utf8. */
  bodySnippet: string | null;
  /** Set when no usable HTTP response came back. */
  error: 'network' | 'timeout' | 'ttfb_timeout' | 'client_cancel' | null;
  /** Path of the request, to tell a 404 on a bad path from a 404 model-not-found. */
  path: string;
  now: number;
}

/** Thrown by `acquire` when no key could be had within the queue timeout. */
export class NoKeyAvailableError extends Error {
  constructor(
    /** 429 when every key is rate-limited/exhausted, 503 otherwise. */
    readonly status: 429 | 503,
    message: string,
    /** When the first key frees up (ms from now), for Retry-After. */
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

/** Thrown by `acquire` when no enabled upstream of the route's format serves the model. */
export class UnknownModelError extends Error {
  constructor(
    readonly model: string,
    readonly available: string[],
  ) {
    super(`The model '${model}' is not served by any upstream. Available: ${available.join(', ') || 'none'}`);
  }
}

/** Thrown by `acquire` for a retry when the retry budget is spent: return the last upstream error instead. */
export class RetryBudgetExhaustedError extends NoKeyAvailableError {
  constructor() {
    super(503, 'Retry budget exhausted: too many requests are already retrying', null);
  }
}

/** Thrown by `acquire` when the route's format has no enabled upstream or no keys at all. */
export class NoKeysConfiguredError extends Error {}
