import type { BreakerState } from '@keypool/shared';

/**
 * Every piece of live key state the balancer keeps (cooldowns, breaker, counters, rate windows,
 * in-flight, cursors, affinity, latency) sits behind this one interface.
 *
 * Two halves:
 * - **Reads are synchronous** and come from a local view (`view`, `upstreamView`, `cursor`, ...). The hot
 *   path decides on them without I/O. A shared (Redis) implementation keeps that view fresh from
 *   pub/sub and may lag other replicas by a moment; that is fine because...
 * - **Writes that must be exact are check-and-act methods** (`reserve`, `recordResult`, `extendCooldown`)
 *   that may return a promise, so a shared implementation can run them atomically (Lua/MULTI) and refuse
 *   a reservation another replica already took. Callers never hold a lock across these awaits.
 *
 * The store holds *state*, not policy: breaker maths, cooldown maths and strategies are pure functions in
 * `resilience/` and `selection/` that read views and ask the store to write results.
 */
export interface KeyStateStore {
  /** Local view of one key; unknown keys read as fresh. `now` lets windows age out on read. */
  view(keyId: string, now: number): KeyStateView;
  upstreamView(upstreamId: string, now: number): UpstreamStateView;
  /** Strategy cursor of a scope (an upstream, or a set of upstreams serving one tier). */
  cursor(scope: string): StrategyCursor;
  /** Key pinned to an affinity value, if any. */
  affinityKey(value: string): string | null;
  totalInFlight(): number;
  retriesInFlight(): number;

  /**
   * Atomically checks limits, cooldowns and the half-open probe slot of a key and, when all allow,
   * takes one attempt: in-flight +1, request counters +1, header budget -1, probe slot claimed.
   */
  reserve(keyId: string, reservation: Reservation): MaybePromise<ReserveResult>;
  /** Ends an attempt taken by `reserve`: in-flight -1, probe slot freed, tokens and latency recorded. */
  release(keyId: string, release: ReleaseInput): MaybePromise<void>;
  /** Counts an attempt's health (upstream faults vs successes) and returns the counts after it. */
  recordResult(keyId: string, result: HealthSample): MaybePromise<HealthCounts>;
  /** Cooldown of a key (model null) or of key+model; never shortens an existing one. */
  extendCooldown(keyId: string, model: string | null, cooldown: Cooldown): MaybePromise<Cooldown>;
  /** Replaces the breaker record of a key (transitions are computed by `resilience/breaker.ts`). */
  setBreaker(keyId: string, breaker: BreakerRecord): MaybePromise<void>;
  /** Remaining budget as the upstream's rate-limit headers last reported it. */
  setBudget(keyId: string, budget: HeaderBudget): MaybePromise<void>;
  /** Marks a key invalid locally until the catalog reflects it (closes the gap before the DB write lands). */
  setInvalid(keyId: string, invalid: boolean): MaybePromise<void>;
  /** Forgets everything about a key (admin re-enabled it, or it was deleted). */
  clearKey(keyId: string): MaybePromise<void>;

  /**
   * Notes a failure of a key of an upstream and returns how many distinct keys failed for the same
   * reason in the window (rate limits and faults are counted apart: a few 429s and one 500 are no outage).
   */
  noteUpstreamFailure(
    upstreamId: string,
    reason: UpstreamBackoff['reason'],
    keyId: string,
    now: number,
    windowMs: number,
  ): MaybePromise<number>;
  setUpstreamBackoff(upstreamId: string, backoff: UpstreamBackoff): MaybePromise<void>;

  setCursor(scope: string, cursor: StrategyCursor): MaybePromise<void>;
  setAffinity(value: string, keyId: string): MaybePromise<void>;
  /** Retry budget: counts a retry in flight when allowed, atomically against `limit`. */
  tryStartRetry(limit: number): MaybePromise<boolean>;
  endRetry(): MaybePromise<void>;

  /** Fires whenever capacity may have come back (a release, a cooldown change); waiters re-check. */
  onCapacity(listener: () => void): () => void;
}

export type MaybePromise<T> = T | Promise<T>;

/** Nest injection token; bind `MemoryKeyStateStore` or a shared implementation by config. */
export const KEY_STATE_STORE = Symbol('KEY_STATE_STORE');

export type CooldownKind = 'rate_limited' | 'quota_exhausted';

export interface Cooldown {
  /** Epoch ms when the key may be used again. */
  until: number;
  kind: CooldownKind;
  /** True when the upstream said when (Retry-After, reset header, RetryInfo); such keys are never "least-bad". */
  explicit: boolean;
}

export interface BreakerRecord {
  state: BreakerState;
  /** While open: when it turns half-open. While closed after a trip: when it closed. */
  openUntil: number;
  /** How many times in a row it opened (the cooldown doubles per repeat). */
  trips: number;
}

export interface HeaderBudget {
  remainingRequests: number | null;
  requestsResetAt: number | null;
  remainingTokens: number | null;
  tokensResetAt: number | null;
  /** When the headers were read. */
  at: number;
}

export interface KeyStateView {
  cooldown: Cooldown | null;
  /** Per-model cooldowns (providers with per-model limits). Expired entries may linger; check `until`. */
  modelCooldowns: ReadonlyMap<string, Cooldown>;
  breaker: BreakerRecord;
  probeInFlight: boolean;
  consecutiveFailures: number;
  inFlight: number;
  lastUsedAt: number | null;
  /**
   * Rank of the key's last use among all uses through this store (0: never used). Orders uses that fall in
   * the same millisecond, which `lastUsedAt` cannot.
   */
  useOrder: number;
  /** Requests in the last 60 s and when the oldest of them leaves the window. */
  requestsLastMinute: number;
  tokensLastMinute: number;
  minuteWindowFreesAt: number | null;
  /** Requests since `dayStart` (the day boundary from settings). */
  requestsToday: number;
  dayStart: number;
  budget: HeaderBudget | null;
  /** EWMA of successful attempt durations; null until measured. */
  latencyEwmaMs: number | null;
  latencySamples: number;
  lastLatencyAt: number | null;
  /** Attempts ever started through this store (process lifetime). */
  served: number;
  invalid: boolean;
}

export interface UpstreamStateView {
  /** Whole-upstream backoff after many of its keys failed within seconds (blast radius). */
  backoff: UpstreamBackoff | null;
}

export interface UpstreamBackoff {
  until: number;
  reason: 'rate_limited' | 'fault';
  trips: number;
}

/** Mutable per-scope memory of the stateful strategies. */
export interface StrategyCursor {
  /** Slot of the last key handed out (round-robin, sequential, rotate-every-n). */
  lastSlot: number;
  /** Requests served in a row by `lastSlot` (rotate-every-n). */
  streak: number;
  /** Smooth weighted round-robin current weights by key id. */
  weights: Readonly<Record<string, number>>;
}

export interface Reservation {
  now: number;
  /** Start of the current quota day (epoch ms); counters from an older day are reset first. */
  dayStart: number;
  rpmLimit: number | null;
  tpmLimit: number | null;
  dailyLimit: number | null;
  model: string | null;
  /** The breaker is due for its half-open probe: claim the single probe slot or fail. */
  probe: boolean;
}

export type ReserveResult =
  | { ok: true }
  | { ok: false; reason: 'limit' | 'cooldown' | 'probe_taken' | 'invalid'; retryAt: number | null };

export interface ReleaseInput {
  now: number;
  tokens: number;
  /** Successful attempt duration for the latency EWMA; null to not sample. */
  latencyMs: number | null;
}

export interface HealthSample {
  now: number;
  failure: boolean;
  windowMs: number;
}

export interface HealthCounts {
  consecutiveFailures: number;
  windowFailures: number;
  windowTotal: number;
}
