import type { HeaderBudget } from '../key-state/key-state.store';

/**
 * Reads the remaining request/token budget a provider reports with every response, so a key can be
 * rested *before* it answers 429:
 * - OpenAI / Groq: `x-ratelimit-remaining-requests|tokens` + `x-ratelimit-reset-requests|tokens` ("6m0s", "20ms");
 * - Anthropic: `anthropic-ratelimit-requests|tokens-remaining` + `-reset` (RFC 3339);
 * - OpenRouter: `x-ratelimit-remaining` + `x-ratelimit-reset` (epoch ms).
 * Header names are lower-case.
 */
export function readHeaderBudget(headers: Record<string, string>, now: number): HeaderBudget | null {
  const remainingRequests =
    int(headers['x-ratelimit-remaining-requests']) ??
    int(headers['anthropic-ratelimit-requests-remaining']) ??
    int(headers['x-ratelimit-remaining']);
  const remainingTokens =
    int(headers['x-ratelimit-remaining-tokens']) ?? int(headers['anthropic-ratelimit-tokens-remaining']);
  if (remainingRequests === null && remainingTokens === null) {
    return null;
  }
  return {
    remainingRequests,
    requestsResetAt:
      resetAt(headers['x-ratelimit-reset-requests'], now) ??
      resetAt(headers['anthropic-ratelimit-requests-reset'], now) ??
      resetAt(headers['x-ratelimit-reset'], now),
    remainingTokens,
    tokensResetAt:
      resetAt(headers['x-ratelimit-reset-tokens'], now) ??
      resetAt(headers['anthropic-ratelimit-tokens-reset'], now),
    at: now,
  };
}

/**
 * When a budget header value resets: a Go-style duration ("1m30.5s", "20ms"), plain seconds, an epoch
 * (seconds or ms), or an RFC 3339 / HTTP date.
 */
export function resetAt(value: string | undefined, now: number): number | null {
  if (value === undefined || value.trim() === '') {
    return null;
  }
  const v = value.trim();
  const duration = parseDuration(v);
  if (duration !== null) {
    return now + duration;
  }
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    if (n > 1e12) {
      return n; // epoch ms
    }
    if (n > 1e9) {
      return n * 1000; // epoch s
    }
    return now + n * 1000; // seconds from now
  }
  const date = Date.parse(v);
  return Number.isNaN(date) ? null : date;
}

/** Go-style duration ("6m0s", "1.5s", "20ms", "1h2m") in ms; null when it is not one. */
export function parseDuration(value: string): number | null {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  if (!/^(\d+(?:\.\d+)?(ms|h|m|s))+$/.test(value)) {
    return null;
  }
  let total = 0;
  for (const match of value.matchAll(re)) {
    const n = Number(match[1]);
    switch (match[2]) {
      case 'h':
        total += n * 3_600_000;
        break;
      case 'm':
        total += n * 60_000;
        break;
      case 's':
        total += n * 1000;
        break;
      default:
        total += n;
    }
  }
  return Math.round(total);
}

function int(value: string | undefined): number | null {
  if (value === undefined) {
    return null;
  }
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : null;
}
