import { OutcomeClass, UpstreamFormat, type Settings } from '@keypool/shared';
import type { ClassifiedOutcome, OutcomeInput } from '../balancer.types';
import { nextDayBoundary } from '../resilience/day-boundary';
import { readErrorBody, retryAtFromHints, type ErrorBodyFacts } from './retry-hints';

export type ClassifySettings = Pick<
  Settings,
  'defaultCooldownMs' | 'retryableStatuses' | 'dayBoundaryUtcOffsetHours'
>;

const MESSAGE_MAX = 300;

/**
 * The one outcome table. Decides, for one upstream attempt, who is to blame and what happens next:
 *
 * | outcome                          | class           | key blamed | failover                     |
 * |----------------------------------|-----------------|------------|------------------------------|
 * | < 400                            | success         | -          | -                            |
 * | client went away                 | client_cancel   | never      | never                        |
 * | 400/404/413/422, context length  | client_error    | no         | only statuses in the setting |
 * | 429 (Retry-After/reset/RetryInfo)| rate_limited    | cooldown   | if 429 is in the setting     |
 * | insufficient_quota, per-day, 402 | quota_exhausted | until reset| always (another key helps)   |
 * | 401, 403 auth, bad Gemini key    | key_invalid     | disabled   | always                       |
 * | 5xx, network, timeouts           | upstream_error  | breaker    | per the setting              |
 */
export function classifyOutcome(input: OutcomeInput, settings: ClassifySettings): ClassifiedOutcome {
  const { status, now } = input;
  if (input.error === 'client_cancel') {
    return outcome(OutcomeClass.ClientCancel, status, false, 'client closed the request');
  }
  if (input.error !== null) {
    const pseudo = input.error === 'network' ? 'network' : 'timeout';
    return outcome(
      OutcomeClass.UpstreamError,
      status,
      settings.retryableStatuses.includes(pseudo),
      input.error,
    );
  }
  if (status === null) {
    return outcome(
      OutcomeClass.UpstreamError,
      null,
      settings.retryableStatuses.includes('network'),
      'no response',
    );
  }
  if (status < 400) {
    return outcome(OutcomeClass.Success, status, false, null);
  }
  const body = readErrorBody(input.bodySnippet);
  const message = describe(status, body);
  const listed = settings.retryableStatuses.includes(status);
  const text = `${body.codes} ${body.message ?? ''} ${body.message === null ? body.text : ''}`.toLowerCase();

  if (status === 401 || isInvalidKey(status, text)) {
    return outcome(OutcomeClass.KeyInvalid, status, true, message);
  }
  if (status === 403) {
    // Region blocks and model permissions are not the key's credentials failing.
    if (/country|region|territory|not available in your/.test(text)) {
      return outcome(OutcomeClass.ClientError, status, listed, message);
    }
    return outcome(OutcomeClass.KeyInvalid, status, true, message);
  }
  if (isQuotaExhausted(status, text, body)) {
    const hinted = retryAtFromHints(input.headers, body, now);
    const dayHint = isDailyQuota(body, text) || hinted === null;
    return {
      ...outcome(OutcomeClass.QuotaExhausted, status, true, message),
      cooldownUntil: dayHint ? nextDayBoundary(now, settings.dayBoundaryUtcOffsetHours) : hinted,
      cooldownExplicit: true,
      perModel: isPerModel(input.format, body, text),
    };
  }
  if (status === 429) {
    // A single request bigger than the key's whole per-minute budget is the caller's problem.
    if (/request too large|too many tokens in (the )?request/.test(text)) {
      return outcome(OutcomeClass.ClientError, status, false, message);
    }
    const hinted = retryAtFromHints(input.headers, body, now);
    return {
      ...outcome(OutcomeClass.RateLimited, status, listed, message),
      cooldownUntil: hinted ?? now + settings.defaultCooldownMs,
      cooldownExplicit: hinted !== null,
      perModel: isPerModel(input.format, body, text),
    };
  }
  if (status >= 500 || status === 408) {
    // Anthropic's 529 "overloaded" fails over whenever 503 does.
    const retry = listed || (status === 529 && settings.retryableStatuses.includes(503));
    return outcome(OutcomeClass.UpstreamError, status, retry, message);
  }
  return outcome(OutcomeClass.ClientError, status, listed, message);
}

function outcome(
  cls: OutcomeClass,
  status: number | null,
  retryable: boolean,
  message: string | null,
): ClassifiedOutcome {
  return { class: cls, status, retryable, cooldownUntil: null, perModel: false, message };
}

function isInvalidKey(status: number, text: string): boolean {
  // Gemini answers a bad key with 400 API_KEY_INVALID; Anthropic with authentication_error.
  return (
    (status === 400 || status === 403) &&
    /api_key_invalid|api key not valid|invalid api key|invalid x-api-key|authentication_error|incorrect api key|api key expired|reported as leaked/.test(
      text,
    )
  );
}

function isQuotaExhausted(status: number, text: string, body: ErrorBodyFacts): boolean {
  if (status === 402) {
    return true;
  }
  if (
    /insufficient_quota|billing_hard_limit|credit balance is too low|exceeded your current quota/.test(text)
  ) {
    return status === 429 || status === 400 || status === 403;
  }
  return status === 429 && isDailyQuota(body, text);
}

function isDailyQuota(body: ErrorBodyFacts, text: string): boolean {
  return (
    body.quotaIds.some((id) => /perday/i.test(id)) ||
    /per day|daily (limit|quota)|requests per day/.test(text)
  );
}

/** Gemini counts limits per project and model, so one model's 429 says nothing about the others. */
function isPerModel(format: OutcomeInput['format'], body: ErrorBodyFacts, text: string): boolean {
  return (
    format === UpstreamFormat.Gemini ||
    body.quotaIds.some((id) => /permodel/i.test(id)) ||
    text.includes('resource_exhausted')
  );
}

function describe(status: number, body: ErrorBodyFacts): string {
  const raw = body.message ?? (body.text.trim() || `HTTP ${status}`);
  return redactSecrets(raw).slice(0, MESSAGE_MAX);
}

/** Upstream messages sometimes quote (part of) the key; never carry that into logs or events. */
export function redactSecrets(text: string): string {
  return text.replace(/\b(sk-[\w-]*|AIza[\w-]*|gsk_[\w-]*|xai-[\w-]*)[\w*.-]{4,}/g, '[redacted]');
}
