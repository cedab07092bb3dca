import type { BodyLogging, SelectionStrategy } from './enums';

/** Runtime behaviour, stored in the database and applied to live traffic without restart. */
export interface Settings {
  strategy: SelectionStrategy;
  /** rotate-every-n: requests per key before moving on. */
  rotationN: number;
  /** Default cooldown after a 429 that carries no reset information (ms). */
  defaultCooldownMs: number;
  /** Consecutive upstream failures that open a key's breaker. */
  maxFailures: number;
  /** Failure rate (0..1) over `failureRateWindowMs` that opens a key's breaker. */
  failureRateThreshold: number;
  failureRateWindowMs: number;
  /** First open period of a breaker (ms); doubles on each repeat, capped at `breakerMaxCooldownMs`. */
  breakerCooldownMs: number;
  breakerMaxCooldownMs: number;
  /** Max share (0..1) of an upstream's keys that may be ejected for faults at once. */
  maxEjectionRatio: number;
  /** Attempts per request, each on a distinct key. */
  maxAttempts: number;
  /** HTTP statuses that fail over to another key; plus `network` and `timeout` pseudo statuses. */
  retryableStatuses: Array<number | 'network' | 'timeout'>;
  /** Retries allowed as a share of in-flight requests (min `retryBudgetMin`). */
  retryBudgetRatio: number;
  retryBudgetMin: number;
  requestTimeoutMs: number;
  /** Time to first byte allowed for an upstream response (ms). */
  ttfbTimeoutMs: number;
  /** Silence allowed between two chunks of a stream (ms). */
  idleTimeoutMs: number;
  /** How long a request waits for a key when none is usable (ms); 0 = fail fast. */
  queueTimeoutMs: number;
  /** Max request body size (bytes). */
  bodyLimitBytes: number;
  logRetentionDays: number;
  bodyLogging: BodyLogging;
  /** Max stored size of each logged body (bytes). */
  bodyLogMaxBytes: number;
  modelsCacheTtlMs: number;
  /** Hour offset of the daily quota boundary from UTC midnight (e.g. -8 for Pacific). */
  dayBoundaryUtcOffsetHours: number;
  /** Header whose value pins requests to one key (empty = body `user` only; affinity off when both absent). */
  affinityHeader: string;
  affinityEnabled: boolean;
}

export type UpdateSettingsRequest = Partial<Settings>;
