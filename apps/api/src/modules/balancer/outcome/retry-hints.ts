import { parseDuration, resetAt } from './rate-limit-headers';

/** The parts of an upstream error body the classifier looks at. */
export interface ErrorBodyFacts {
  text: string;
  message: string | null;
  /** `error.type`, `error.code`, `error.status` (Google) joined, lower-case. */
  codes: string;
  /** Gemini `RetryInfo.retryDelay` in ms. */
  retryDelayMs: number | null;
  /** Gemini `QuotaFailure` quota ids (e.g. `GenerateRequestsPerDayPerProjectPerModel-FreeTier`). */
  quotaIds: string[];
  /** OpenRouter `error.metadata.headers['X-RateLimit-Reset']` (epoch ms). */
  openRouterResetAt: number | null;
}

/** Parses an error body snippet leniently; a truncated or non-JSON body still yields its text. */
export function readErrorBody(snippet: string | null): ErrorBodyFacts {
  const text = snippet ?? '';
  const facts: ErrorBodyFacts = {
    text,
    message: null,
    codes: '',
    retryDelayMs: null,
    quotaIds: [],
    openRouterResetAt: null,
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Truncated bodies: fall back to regexes over the text.
    const delay = /"retryDelay"\s*:\s*"([^"]+)"/.exec(text);
    facts.retryDelayMs = delay ? parseDuration(delay[1]) : null;
    facts.quotaIds = [...text.matchAll(/"quotaId"\s*:\s*"([^"]+)"/g)].map((m) => m[1]);
    facts.codes = text.toLowerCase();
    return facts;
  }
  // Gemini's OpenAI-compatible endpoint wraps the error in an array.
  const root = Array.isArray(parsed) ? (parsed[0] as unknown) : parsed;
  const error = isObject(root) && isObject(root.error) ? root.error : isObject(root) ? root : {};
  facts.message = typeof error.message === 'string' ? error.message : null;
  facts.codes = [error.type, error.code, error.status]
    .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    .join(' ')
    .toLowerCase();
  if (Array.isArray(error.details)) {
    for (const detail of error.details) {
      if (!isObject(detail)) {
        continue;
      }
      if (typeof detail.retryDelay === 'string') {
        facts.retryDelayMs = parseDuration(detail.retryDelay);
      }
      if (Array.isArray(detail.violations)) {
        for (const v of detail.violations) {
          if (isObject(v) && typeof v.quotaId === 'string') {
            facts.quotaIds.push(v.quotaId);
          }
        }
      }
    }
  }
  if (isObject(error.metadata) && isObject(error.metadata.headers)) {
    const reset = error.metadata.headers['X-RateLimit-Reset'] ?? error.metadata.headers['x-ratelimit-reset'];
    if (typeof reset === 'string' || typeof reset === 'number') {
      facts.openRouterResetAt = resetAt(String(reset), 0);
    }
  }
  return facts;
}

/**
 * When a rate-limited key may be used again, from the most specific hint present: `retry-after-ms`,
 * `Retry-After` (seconds or HTTP date), exhausted reset headers, Gemini `RetryInfo`, OpenRouter reset.
 */
export function retryAtFromHints(
  headers: Record<string, string>,
  body: ErrorBodyFacts,
  now: number,
): number | null {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) {
    return now + Number(ms);
  }
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const v = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(v)) {
      return now + Number(v) * 1000;
    }
    const date = Date.parse(v);
    if (!Number.isNaN(date)) {
      return Math.max(now, date);
    }
  }
  const candidates: number[] = [];
  if (headers['x-ratelimit-remaining-requests'] === '0') {
    push(candidates, resetAt(headers['x-ratelimit-reset-requests'], now));
  }
  if (headers['x-ratelimit-remaining-tokens'] === '0') {
    push(candidates, resetAt(headers['x-ratelimit-reset-tokens'], now));
  }
  if (headers['anthropic-ratelimit-requests-remaining'] === '0') {
    push(candidates, resetAt(headers['anthropic-ratelimit-requests-reset'], now));
  }
  if (headers['anthropic-ratelimit-tokens-remaining'] === '0') {
    push(candidates, resetAt(headers['anthropic-ratelimit-tokens-reset'], now));
  }
  if (headers['x-ratelimit-remaining'] === '0') {
    push(candidates, resetAt(headers['x-ratelimit-reset'], now));
  }
  if (candidates.length > 0) {
    return Math.max(...candidates);
  }
  if (body.retryDelayMs !== null) {
    return now + body.retryDelayMs;
  }
  if (body.openRouterResetAt !== null && body.openRouterResetAt > now) {
    return body.openRouterResetAt;
  }
  return null;
}

function push(list: number[], value: number | null): void {
  if (value !== null) {
    list.push(value);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
