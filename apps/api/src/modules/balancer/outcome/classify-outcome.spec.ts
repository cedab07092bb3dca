import { OutcomeClass } from '@keypool/shared';
import { describe, expect, it } from 'vitest';
import type { OutcomeInput } from '../balancer.types';
import { someSettings } from '../testing/balancer-fixtures';
import { classifyOutcome } from './classify-outcome';

const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);
const NEXT_DAY = Date.UTC(2026, 0, 16, 0, 0, 0);
const settings = someSettings({ defaultCooldownMs: 60_000 });

function input(partial: Partial<OutcomeInput>): OutcomeInput {
  return {
    format: 'openai',
    status: 200,
    headers: {},
    bodySnippet: null,
    error: null,
    path: '/chat/completions',
    now: NOW,
    ...partial,
  };
}

const geminiDaily = JSON.stringify({
  error: {
    code: 429,
    status: 'RESOURCE_EXHAUSTED',
    message: 'You exceeded your current quota',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }],
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '43s' },
    ],
  },
});
const geminiMinute = JSON.stringify({
  error: {
    code: 429,
    status: 'RESOURCE_EXHAUSTED',
    message: 'Resource has been exhausted',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '17s' },
    ],
  },
});

interface Row {
  name: string;
  input: Partial<OutcomeInput>;
  class: OutcomeClass;
  retryable: boolean;
  cooldownUntil?: number | null;
  perModel?: boolean;
}

const table: Row[] = [
  {
    name: '200 → success',
    input: { status: 200 },
    class: OutcomeClass.Success,
    retryable: false,
    cooldownUntil: null,
  },
  {
    name: '400 bad request → client fault, not retried',
    input: { status: 400, bodySnippet: '{"error":{"message":"bad"}}' },
    class: OutcomeClass.ClientError,
    retryable: false,
  },
  {
    name: '400 context length → client fault',
    input: {
      status: 400,
      bodySnippet:
        '{"error":{"code":"context_length_exceeded","message":"maximum context length is 8192 tokens"}}',
    },
    class: OutcomeClass.ClientError,
    retryable: false,
  },
  {
    name: '404 bad path → client fault',
    input: { status: 404, path: '/nope' },
    class: OutcomeClass.ClientError,
    retryable: false,
  },
  { name: '413 → client fault', input: { status: 413 }, class: OutcomeClass.ClientError, retryable: false },
  { name: '422 → client fault', input: { status: 422 }, class: OutcomeClass.ClientError, retryable: false },
  {
    name: '429 Retry-After: 2 → rate limited 2 s',
    input: { status: 429, headers: { 'retry-after': '2' } },
    class: OutcomeClass.RateLimited,
    retryable: true,
    cooldownUntil: NOW + 2000,
    perModel: false,
  },
  {
    name: '429 retry-after-ms wins',
    input: { status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '9' } },
    class: OutcomeClass.RateLimited,
    retryable: true,
    cooldownUntil: NOW + 1500,
  },
  {
    name: '429 Retry-After HTTP date',
    input: { status: 429, headers: { 'retry-after': new Date(NOW + 30_000).toUTCString() } },
    class: OutcomeClass.RateLimited,
    retryable: true,
    cooldownUntil: NOW + 30_000,
  },
  {
    name: '429 OpenAI reset header on exhausted requests',
    input: {
      status: 429,
      headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' },
    },
    class: OutcomeClass.RateLimited,
    retryable: true,
    cooldownUntil: NOW + 360_000,
  },
  {
    name: '429 Groq fractional reset',
    input: {
      status: 429,
      headers: { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '7.66s' },
    },
    class: OutcomeClass.RateLimited,
    retryable: true,
    cooldownUntil: NOW + 7660,
  },
  {
    name: '429 Anthropic reset',
    input: {
      format: 'anthropic',
      status: 429,
      headers: {
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': new Date(NOW + 20_000).toISOString(),
      },
    },
    class: OutcomeClass.RateLimited,
    retryable: true,
    cooldownUntil: NOW + 20_000,
  },
  {
    name: '429 Gemini RetryInfo, per model',
    input: { format: 'gemini', status: 429, bodySnippet: geminiMinute },
    class: OutcomeClass.RateLimited,
    retryable: true,
    cooldownUntil: NOW + 17_000,
    perModel: true,
  },
  {
    name: '429 Gemini via OpenAI-compatible array body, per model',
    input: { status: 429, bodySnippet: `[${geminiMinute}]` },
    class: OutcomeClass.RateLimited,
    retryable: true,
    cooldownUntil: NOW + 17_000,
    perModel: true,
  },
  {
    name: '429 OpenRouter reset in body metadata',
    input: {
      status: 429,
      bodySnippet: JSON.stringify({
        error: {
          message: 'Rate limit exceeded',
          code: 429,
          metadata: { headers: { 'X-RateLimit-Reset': String(NOW + 45_000) } },
        },
      }),
    },
    class: OutcomeClass.RateLimited,
    retryable: true,
    cooldownUntil: NOW + 45_000,
  },
  {
    name: '429 with no hint → default cooldown',
    input: { status: 429 },
    class: OutcomeClass.RateLimited,
    retryable: true,
    cooldownUntil: NOW + 60_000,
  },
  {
    name: '429 request larger than the whole budget → client fault',
    input: {
      status: 429,
      bodySnippet: '{"error":{"message":"Request too large for gpt-4o on tokens per min"}}',
    },
    class: OutcomeClass.ClientError,
    retryable: false,
  },
  {
    name: '429 insufficient_quota → quota until next day',
    input: {
      status: 429,
      bodySnippet: '{"error":{"type":"insufficient_quota","message":"You exceeded your current quota"}}',
    },
    class: OutcomeClass.QuotaExhausted,
    retryable: true,
    cooldownUntil: NEXT_DAY,
  },
  {
    name: '429 Gemini per-day quota → next day boundary',
    input: { format: 'gemini', status: 429, bodySnippet: geminiDaily },
    class: OutcomeClass.QuotaExhausted,
    retryable: true,
    cooldownUntil: NEXT_DAY,
    perModel: true,
  },
  {
    name: '402 out of credits → quota',
    input: { status: 402 },
    class: OutcomeClass.QuotaExhausted,
    retryable: true,
    cooldownUntil: NEXT_DAY,
  },
  {
    name: '401 → key invalid, failed over',
    input: { status: 401 },
    class: OutcomeClass.KeyInvalid,
    retryable: true,
  },
  {
    name: '403 auth → key invalid',
    input: { status: 403, bodySnippet: '{"error":{"message":"Invalid authentication"}}' },
    class: OutcomeClass.KeyInvalid,
    retryable: true,
  },
  {
    name: '403 region block → client fault',
    input: {
      status: 403,
      bodySnippet:
        '{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported"}}',
    },
    class: OutcomeClass.ClientError,
    retryable: false,
  },
  {
    name: '400 Gemini API_KEY_INVALID → key invalid',
    input: {
      format: 'gemini',
      status: 400,
      bodySnippet:
        '{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}',
    },
    class: OutcomeClass.KeyInvalid,
    retryable: true,
  },
  {
    name: '500 → upstream fault, retried',
    input: { status: 500 },
    class: OutcomeClass.UpstreamError,
    retryable: true,
  },
  {
    name: '503 → upstream fault, retried',
    input: { status: 503 },
    class: OutcomeClass.UpstreamError,
    retryable: true,
  },
  {
    name: '501 → upstream fault, not in the list',
    input: { status: 501 },
    class: OutcomeClass.UpstreamError,
    retryable: false,
  },
  {
    name: '529 Anthropic overloaded → retried like 503',
    input: { format: 'anthropic', status: 529 },
    class: OutcomeClass.UpstreamError,
    retryable: true,
  },
  {
    name: 'network error → upstream fault',
    input: { status: null, error: 'network' },
    class: OutcomeClass.UpstreamError,
    retryable: true,
  },
  {
    name: 'timeout → upstream fault',
    input: { status: null, error: 'timeout' },
    class: OutcomeClass.UpstreamError,
    retryable: true,
  },
  {
    name: 'ttfb timeout → upstream fault',
    input: { status: 200, error: 'ttfb_timeout' },
    class: OutcomeClass.UpstreamError,
    retryable: true,
  },
  {
    name: 'client cancel → never blamed, never retried',
    input: { status: null, error: 'client_cancel' },
    class: OutcomeClass.ClientCancel,
    retryable: false,
  },
];

describe(classifyOutcome.name, () => {
  it.each(table)('should classify $name', (row) => {
    const out = classifyOutcome(input(row.input), settings);
    expect(out.class).toBe(row.class);
    expect(out.retryable).toBe(row.retryable);
    if (row.cooldownUntil !== undefined) {
      expect(out.cooldownUntil).toBe(row.cooldownUntil);
    }
    if (row.perModel !== undefined) {
      expect(out.perModel).toBe(row.perModel);
    }
  });

  it('should retry a 404 only when the setting lists it', () => {
    const on = someSettings({ retryableStatuses: [404, 429, 500] });
    expect(classifyOutcome(input({ status: 404 }), on)).toMatchObject({
      class: OutcomeClass.ClientError,
      retryable: true,
    });
  });

  it('should not retry 429 or network errors when the setting leaves them out', () => {
    const off = someSettings({ retryableStatuses: [500] });
    expect(classifyOutcome(input({ status: 429 }), off).retryable).toBe(false);
    expect(classifyOutcome(input({ status: null, error: 'network' }), off).retryable).toBe(false);
  });

  it('should honour the day boundary offset for daily quotas', () => {
    const pacific = someSettings({ dayBoundaryUtcOffsetHours: -8 });
    const out = classifyOutcome(input({ status: 402 }), pacific);
    expect(out.cooldownUntil).toBe(Date.UTC(2026, 0, 16, 8, 0, 0));
  });

  it('should never carry a key into the message', () => {
    const out = classifyOutcome(
      input({
        status: 401,
        bodySnippet: '{"error":{"message":"Incorrect API key provided: sk-proj-abcdefghijklmnop1234"}}',
      }),
      settings,
    );
    expect(out.message).not.toContain('abcdefghijklmnop');
  });
});
