/** Wire format an upstream speaks; decides auth header, paths and usage parsing. */
export const UpstreamFormat = {
  OpenAI: 'openai',
  Anthropic: 'anthropic',
  Gemini: 'gemini',
} as const;
export type UpstreamFormat = (typeof UpstreamFormat)[keyof typeof UpstreamFormat];
export const UPSTREAM_FORMATS = Object.values(UpstreamFormat);

/** How the balancer picks the next key of an upstream. */
export const SelectionStrategy = {
  RoundRobin: 'round-robin',
  Weighted: 'weighted',
  LeastRecentlyUsed: 'least-recently-used',
  LeastBusy: 'least-busy',
  RotateEveryN: 'rotate-every-n',
  Latency: 'latency',
  Sequential: 'sequential',
  Paced: 'paced',
} as const;
export type SelectionStrategy = (typeof SelectionStrategy)[keyof typeof SelectionStrategy];
export const SELECTION_STRATEGIES = Object.values(SelectionStrategy);

/** Live state of a key as the balancer sees it right now. */
export const KeyStatus = {
  Active: 'active',
  CoolingDown: 'cooling_down',
  QuotaExhausted: 'quota_exhausted',
  CircuitOpen: 'circuit_open',
  Disabled: 'disabled',
  Invalid: 'invalid',
} as const;
export type KeyStatus = (typeof KeyStatus)[keyof typeof KeyStatus];
export const KEY_STATUSES = Object.values(KeyStatus);

/** Circuit breaker state of a key. */
export const BreakerState = {
  Closed: 'closed',
  Open: 'open',
  HalfOpen: 'half_open',
} as const;
export type BreakerState = (typeof BreakerState)[keyof typeof BreakerState];

/** Classification of one upstream attempt (or of a whole request by its last attempt). */
export const OutcomeClass = {
  Success: 'success',
  ClientError: 'client_error',
  RateLimited: 'rate_limited',
  QuotaExhausted: 'quota_exhausted',
  KeyInvalid: 'key_invalid',
  UpstreamError: 'upstream_error',
  ClientCancel: 'client_cancel',
  /** keypool itself refused or failed the request (no key available, auth, bad input). */
  GatewayError: 'gateway_error',
} as const;
export type OutcomeClass = (typeof OutcomeClass)[keyof typeof OutcomeClass];
export const OUTCOME_CLASSES = Object.values(OutcomeClass);

/** Which request/response bodies are stored with request logs. */
export const BodyLogging = {
  Off: 'off',
  Errors: 'errors',
  All: 'all',
} as const;
export type BodyLogging = (typeof BodyLogging)[keyof typeof BodyLogging];

export const KeyEventType = {
  Added: 'added',
  Updated: 'updated',
  Deleted: 'deleted',
  Enabled: 'enabled',
  Disabled: 'disabled',
  CooldownStarted: 'cooldown_started',
  QuotaExhausted: 'quota_exhausted',
  Invalidated: 'invalidated',
  BreakerOpened: 'breaker_opened',
  BreakerClosed: 'breaker_closed',
  Recovered: 'recovered',
  Tested: 'tested',
} as const;
export type KeyEventType = (typeof KeyEventType)[keyof typeof KeyEventType];
export const KEY_EVENT_TYPES = Object.values(KeyEventType);

/** Coarse status buckets used by log filters and stats. */
export const StatusClass = {
  Success: '2xx',
  ClientError: '4xx',
  RateLimited: '429',
  ServerError: '5xx',
  Cancelled: 'cancelled',
} as const;
export type StatusClass = (typeof StatusClass)[keyof typeof StatusClass];
export const STATUS_CLASSES = Object.values(StatusClass);
