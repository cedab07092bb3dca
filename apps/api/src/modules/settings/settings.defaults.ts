import type { Settings } from '@keypool/shared';

/** The one place runtime defaults live. `POST /api/settings/reset` restores exactly these. */
const defaults: Settings = {
  strategy: 'round-robin',
  rotationN: 5,
  defaultCooldownMs: 60_000,
  maxFailures: 3,
  failureRateThreshold: 0.5,
  failureRateWindowMs: 60_000,
  breakerCooldownMs: 30_000,
  breakerMaxCooldownMs: 15 * 60_000,
  maxEjectionRatio: 0.5,
  maxAttempts: 3,
  retryableStatuses: [429, 500, 502, 503, 504, 'network', 'timeout'],
  retryBudgetRatio: 0.2,
  retryBudgetMin: 3,
  requestTimeoutMs: 300_000,
  ttfbTimeoutMs: 60_000,
  idleTimeoutMs: 60_000,
  queueTimeoutMs: 10_000,
  bodyLimitBytes: 20 * 1024 * 1024,
  logRetentionDays: 30,
  bodyLogging: 'off',
  bodyLogMaxBytes: 16 * 1024,
  modelsCacheTtlMs: 5 * 60_000,
  dayBoundaryUtcOffsetHours: 0,
  affinityHeader: 'x-keypool-affinity',
  affinityEnabled: false,
};

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(defaults);
