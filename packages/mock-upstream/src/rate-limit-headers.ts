import type { BudgetSnapshot } from './behavior-store';
import type { MockDialect } from './types';

/** OpenAI's reset duration style: `20ms`, `1s`, `2.5s`, `6m0s`, `1h2m3s`. */
export function openaiDuration(ms: number): string {
  if (ms < 1000) {
    return `${Math.max(0, Math.round(ms))}ms`;
  }
  const totalSeconds = ms / 1000;
  if (totalSeconds < 60) {
    return `${Number(totalSeconds.toFixed(3))}s`;
  }
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Math.round(totalSeconds % 60);
  return hours > 0 ? `${hours}h${minutes}m${seconds}s` : `${minutes}m${seconds}s`;
}

/** Rate-limit headers advertising a request budget, in the style of the dialect's provider. */
export function budgetHeaders(
  dialect: MockDialect,
  budget: BudgetSnapshot,
  now: number,
): Record<string, string> {
  switch (dialect) {
    case 'openai':
      return {
        'x-ratelimit-limit-requests': String(budget.limit),
        'x-ratelimit-remaining-requests': String(budget.remaining),
        'x-ratelimit-reset-requests': openaiDuration(budget.resetMs),
      };
    case 'anthropic':
      return {
        'anthropic-ratelimit-requests-limit': String(budget.limit),
        'anthropic-ratelimit-requests-remaining': String(budget.remaining),
        'anthropic-ratelimit-requests-reset': new Date(now + budget.resetMs).toISOString(),
      };
    case 'gemini':
      // Google sends no rate-limit headers; it only explains a 429 in the body.
      return {};
  }
}

/** Headers of a 429 that says "nothing left until reset" (`resetSeconds`) and/or `Retry-After`. */
export function rateLimitedHeaders(
  dialect: MockDialect,
  retryAfterSeconds: number | undefined,
  resetSeconds: number | undefined,
  now: number,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(retryAfterSeconds);
  }
  if (resetSeconds !== undefined && dialect !== 'gemini') {
    Object.assign(
      headers,
      budgetHeaders(dialect, { limit: 0, remaining: 0, resetMs: resetSeconds * 1000 }, now),
    );
    delete headers['x-ratelimit-limit-requests'];
    delete headers['anthropic-ratelimit-requests-limit'];
  }
  return headers;
}
