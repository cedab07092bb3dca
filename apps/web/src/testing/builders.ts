import type { KeyResponse, Settings, UpstreamResponse } from '@keypool/shared';

/** Typed fixtures: a valid object with overrides. */
export function buildKey(overrides: Partial<KeyResponse> = {}): KeyResponse {
  return {
    id: 'key-1',
    upstreamId: 'up-1',
    upstreamName: 'openai',
    maskedSecret: 'sk-…abcd',
    name: 'primary',
    weight: 1,
    tags: [],
    enabled: true,
    disabledReason: null,
    rpmLimit: null,
    tpmLimit: null,
    dailyLimit: null,
    state: {
      status: 'active',
      cooldownUntil: null,
      breaker: 'closed',
      consecutiveFailures: 0,
      inFlight: 0,
      lastUsedAt: null,
      requestsToday: 0,
      remainingRequests: null,
      remainingTokens: null,
    },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function buildUpstream(overrides: Partial<UpstreamResponse> = {}): UpstreamResponse {
  return {
    id: 'up-1',
    name: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    format: 'openai',
    modelPatterns: ['*'],
    aliases: [],
    strategy: null,
    timeoutMs: null,
    enabled: true,
    keyCount: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function buildSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    strategy: 'round-robin',
    rotationN: 5,
    defaultCooldownMs: 60_000,
    maxFailures: 3,
    failureRateThreshold: 0.5,
    failureRateWindowMs: 60_000,
    breakerCooldownMs: 30_000,
    breakerMaxCooldownMs: 900_000,
    maxEjectionRatio: 0.5,
    maxAttempts: 3,
    retryableStatuses: [429, 500, 502, 503, 504, 'network', 'timeout'],
    retryBudgetRatio: 0.2,
    retryBudgetMin: 3,
    requestTimeoutMs: 300_000,
    ttfbTimeoutMs: 60_000,
    idleTimeoutMs: 60_000,
    queueTimeoutMs: 10_000,
    bodyLimitBytes: 20_971_520,
    logRetentionDays: 30,
    bodyLogging: 'off',
    bodyLogMaxBytes: 16_384,
    modelsCacheTtlMs: 300_000,
    dayBoundaryUtcOffsetHours: 0,
    affinityHeader: '',
    affinityEnabled: false,
    ...overrides,
  };
}

export function validationFailed(details: Record<string, string[]>) {
  return { error: { code: 'VALIDATION_FAILED', message: 'Validation failed', details } };
}
