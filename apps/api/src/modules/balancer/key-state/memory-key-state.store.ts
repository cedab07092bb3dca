import { Injectable } from '@nestjs/common';
import { BreakerState } from '@keypool/shared';
import type {
  BreakerRecord,
  Cooldown,
  HeaderBudget,
  HealthCounts,
  HealthSample,
  KeyStateStore,
  KeyStateView,
  ReleaseInput,
  Reservation,
  ReserveResult,
  StrategyCursor,
  UpstreamBackoff,
  UpstreamStateView,
} from './key-state.store';
import { MinuteWindow } from './minute-window';

const MINUTE_MS = 60_000;
const AFFINITY_MAX_ENTRIES = 10_000;
const LATENCY_ALPHA = 0.3;

interface KeyRecord {
  cooldown: Cooldown | null;
  modelCooldowns: Map<string, Cooldown>;
  breaker: BreakerRecord;
  probeInFlight: boolean;
  consecutiveFailures: number;
  inFlight: number;
  lastUsedAt: number | null;
  useOrder: number;
  /** Start times of the requests of the last minute. */
  minuteRequests: MinuteWindow;
  /** Tokens of the attempts that ended in the last minute. */
  minuteTokens: MinuteWindow;
  requestsToday: number;
  dayStart: number;
  budget: HeaderBudget | null;
  latencyEwmaMs: number | null;
  latencySamples: number;
  lastLatencyAt: number | null;
  served: number;
  invalid: boolean;
  windowStart: number;
  windowFailures: number;
  windowTotal: number;
  /** The view last built from this record; dropped by every change and whenever a window moves. */
  view: KeyStateView | null;
}

const FRESH_BREAKER: BreakerRecord = Object.freeze({ state: BreakerState.Closed, openUntil: 0, trips: 0 });
const FRESH_VIEW: KeyStateView = Object.freeze({
  cooldown: null,
  modelCooldowns: new Map<string, Cooldown>(),
  breaker: FRESH_BREAKER,
  probeInFlight: false,
  consecutiveFailures: 0,
  inFlight: 0,
  lastUsedAt: null,
  useOrder: 0,
  requestsLastMinute: 0,
  tokensLastMinute: 0,
  minuteWindowFreesAt: null,
  requestsToday: 0,
  dayStart: 0,
  budget: null,
  latencyEwmaMs: null,
  latencySamples: 0,
  lastLatencyAt: null,
  served: 0,
  invalid: false,
});
const NO_BACKOFF: UpstreamStateView = Object.freeze({ backoff: null });
const FRESH_CURSOR: StrategyCursor = Object.freeze({ lastSlot: -1, streak: 0, weights: Object.freeze({}) });

/**
 * Single-process key state: plain maps, every method synchronous. Views are immutable snapshots cached
 * per key and rebuilt only after the key changed or a minute window moved, so choosing among N keys
 * reads N cached objects instead of building N.
 */
@Injectable()
export class MemoryKeyStateStore implements KeyStateStore {
  private readonly keys = new Map<string, KeyRecord>();
  private readonly upstreams = new Map<string, UpstreamBackoff>();
  /** Per (upstream, reason): when each key last failed for that reason. */
  private readonly upstreamFailures = new Map<string, Map<string, number>>();
  private readonly cursors = new Map<string, StrategyCursor>();
  private readonly affinity = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private inFlightTotal = 0;
  /** Uses so far, for `useOrder`. */
  private uses = 0;
  private retries = 0;

  view(keyId: string, now: number): KeyStateView {
    const rec = this.keys.get(keyId);
    if (!rec) {
      return FRESH_VIEW;
    }
    if (this.prune(rec, now)) {
      rec.view = null;
    }
    return (rec.view ??= toView(rec));
  }

  upstreamView(upstreamId: string, now: number): UpstreamStateView {
    const backoff = this.upstreams.get(upstreamId);
    return backoff && backoff.until > now ? { backoff } : NO_BACKOFF;
  }

  cursor(scope: string): StrategyCursor {
    return this.cursors.get(scope) ?? FRESH_CURSOR;
  }

  affinityKey(value: string): string | null {
    return this.affinity.get(value) ?? null;
  }

  totalInFlight(): number {
    return this.inFlightTotal;
  }

  retriesInFlight(): number {
    return this.retries;
  }

  reserve(keyId: string, r: Reservation): ReserveResult {
    const rec = this.dated(keyId, r);
    if (rec.invalid) {
      return { ok: false, reason: 'invalid', retryAt: null };
    }
    const cooldownUntil = Math.max(
      rec.cooldown?.until ?? 0,
      r.model !== null ? (rec.modelCooldowns.get(r.model)?.until ?? 0) : 0,
    );
    if (cooldownUntil > r.now) {
      return { ok: false, reason: 'cooldown', retryAt: cooldownUntil };
    }
    if (r.rpmLimit !== null && rec.minuteRequests.count >= r.rpmLimit) {
      return { ok: false, reason: 'limit', retryAt: (rec.minuteRequests.oldest() ?? r.now) + MINUTE_MS };
    }
    if (r.tpmLimit !== null && rec.minuteTokens.sum >= r.tpmLimit) {
      return { ok: false, reason: 'limit', retryAt: (rec.minuteTokens.oldest() ?? r.now) + MINUTE_MS };
    }
    if (r.dailyLimit !== null && rec.requestsToday >= r.dailyLimit) {
      return { ok: false, reason: 'limit', retryAt: null };
    }
    if (r.probe && rec.probeInFlight) {
      return { ok: false, reason: 'probe_taken', retryAt: null };
    }
    this.count(rec, r);
    return { ok: true };
  }

  /**
   * Books an attempt a shared store already granted: the counters a granted `reserve` moves, without its
   * checks. This store may meanwhile have learned a cooldown the shared one had not when it decided; the
   * attempt goes upstream all the same, so it must be counted (and released) like any other.
   */
  book(keyId: string, r: Reservation): void {
    this.count(this.dated(keyId, r), r);
  }

  /** The key's record with its windows aged and its day rolled over to `r`'s. */
  private dated(keyId: string, r: Reservation): KeyRecord {
    const rec = this.record(keyId);
    this.prune(rec, r.now);
    if (rec.dayStart < r.dayStart) {
      rec.dayStart = r.dayStart;
      rec.requestsToday = 0;
    }
    return rec;
  }

  private count(rec: KeyRecord, r: Reservation): void {
    if (r.probe) {
      rec.probeInFlight = true;
    }
    rec.inFlight += 1;
    this.inFlightTotal += 1;
    rec.minuteRequests.push(r.now, 1);
    rec.requestsToday += 1;
    rec.lastUsedAt = r.now;
    rec.useOrder = ++this.uses;
    rec.served += 1;
    if (rec.budget && rec.budget.remainingRequests !== null && rec.budget.remainingRequests > 0) {
      rec.budget = { ...rec.budget, remainingRequests: rec.budget.remainingRequests - 1 };
    }
  }

  /**
   * Counts an attempt as in flight (and the key as just used) while a shared store decides on it, so
   * picks made meanwhile see it. Undone by `dropHold`, before the decision is booked with `book`.
   */
  hold(keyId: string, now: number): void {
    const rec = this.record(keyId);
    rec.inFlight += 1;
    this.inFlightTotal += 1;
    rec.lastUsedAt = now;
    rec.useOrder = ++this.uses;
  }

  dropHold(keyId: string): void {
    const rec = this.record(keyId);
    rec.inFlight -= 1;
    this.inFlightTotal -= 1;
  }

  release(keyId: string, input: ReleaseInput): void {
    const rec = this.record(keyId);
    if (rec.inFlight > 0) {
      rec.inFlight -= 1;
      this.inFlightTotal -= 1;
    }
    rec.probeInFlight = false;
    if (input.tokens > 0) {
      rec.minuteTokens.push(input.now, input.tokens);
    }
    if (input.latencyMs !== null) {
      rec.latencyEwmaMs =
        rec.latencyEwmaMs === null
          ? input.latencyMs
          : rec.latencyEwmaMs + LATENCY_ALPHA * (input.latencyMs - rec.latencyEwmaMs);
      rec.latencySamples += 1;
      rec.lastLatencyAt = input.now;
    }
    this.emit();
  }

  recordResult(keyId: string, sample: HealthSample): HealthCounts {
    const rec = this.record(keyId);
    if (sample.now - rec.windowStart >= sample.windowMs) {
      rec.windowStart = sample.now;
      rec.windowFailures = 0;
      rec.windowTotal = 0;
    }
    rec.windowTotal += 1;
    if (sample.failure) {
      rec.windowFailures += 1;
      rec.consecutiveFailures += 1;
    } else {
      rec.consecutiveFailures = 0;
    }
    return {
      consecutiveFailures: rec.consecutiveFailures,
      windowFailures: rec.windowFailures,
      windowTotal: rec.windowTotal,
    };
  }

  extendCooldown(keyId: string, model: string | null, cooldown: Cooldown): Cooldown {
    const rec = this.record(keyId);
    const current = model === null ? rec.cooldown : (rec.modelCooldowns.get(model) ?? null);
    const next = mergeCooldown(current, cooldown);
    if (model === null) {
      rec.cooldown = next;
    } else {
      rec.modelCooldowns.set(model, next);
    }
    this.emit();
    return next;
  }

  setBreaker(keyId: string, breaker: BreakerRecord): void {
    this.record(keyId).breaker = breaker;
    this.emit();
  }

  setBudget(keyId: string, budget: HeaderBudget): void {
    this.record(keyId).budget = budget;
  }

  setInvalid(keyId: string, invalid: boolean): void {
    this.record(keyId).invalid = invalid;
  }

  clearKey(keyId: string): void {
    const rec = this.keys.get(keyId);
    if (rec) {
      this.inFlightTotal -= rec.inFlight;
      this.keys.delete(keyId);
      // In-flight attempts of a cleared key still release; keep their count so totals stay right.
      if (rec.inFlight > 0) {
        const fresh = this.record(keyId);
        fresh.inFlight = rec.inFlight;
        this.inFlightTotal += rec.inFlight;
      }
    }
    this.emit();
  }

  noteUpstreamFailure(
    upstreamId: string,
    reason: UpstreamBackoff['reason'],
    keyId: string,
    now: number,
    windowMs: number,
  ): number {
    const scope = `${upstreamId}\u0000${reason}`;
    let failures = this.upstreamFailures.get(scope);
    if (!failures) {
      failures = new Map();
      this.upstreamFailures.set(scope, failures);
    }
    failures.set(keyId, now);
    for (const [id, at] of failures) {
      if (now - at > windowMs) {
        failures.delete(id);
      }
    }
    return failures.size;
  }

  setUpstreamBackoff(upstreamId: string, backoff: UpstreamBackoff): void {
    this.upstreams.set(upstreamId, backoff);
    this.emit();
  }

  setCursor(scope: string, cursor: StrategyCursor): void {
    this.cursors.set(scope, cursor);
  }

  setAffinity(value: string, keyId: string): void {
    // Re-insert so Map order is recency order; evict the oldest beyond the bound.
    this.affinity.delete(value);
    this.affinity.set(value, keyId);
    if (this.affinity.size > AFFINITY_MAX_ENTRIES) {
      const oldest = this.affinity.keys().next().value;
      if (oldest !== undefined) {
        this.affinity.delete(oldest);
      }
    }
  }

  tryStartRetry(limit: number): boolean {
    if (this.retries >= limit) {
      return false;
    }
    this.retries += 1;
    return true;
  }

  endRetry(): void {
    if (this.retries > 0) {
      this.retries -= 1;
    }
    this.emit();
  }

  onCapacity(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }

  private record(keyId: string): KeyRecord {
    let rec = this.keys.get(keyId);
    if (!rec) {
      rec = {
        cooldown: null,
        modelCooldowns: new Map(),
        breaker: FRESH_BREAKER,
        probeInFlight: false,
        consecutiveFailures: 0,
        inFlight: 0,
        lastUsedAt: null,
        useOrder: 0,
        minuteRequests: new MinuteWindow(),
        minuteTokens: new MinuteWindow(),
        requestsToday: 0,
        dayStart: 0,
        budget: null,
        latencyEwmaMs: null,
        latencySamples: 0,
        lastLatencyAt: null,
        served: 0,
        invalid: false,
        windowStart: 0,
        windowFailures: 0,
        windowTotal: 0,
        view: null,
      };
      this.keys.set(keyId, rec);
    }
    // Every caller is about to change the record: its cached view goes stale.
    rec.view = null;
    return rec;
  }

  /** Ages the minute windows; true when anything left them. */
  private prune(rec: KeyRecord, now: number): boolean {
    const cutoff = now - MINUTE_MS;
    const requests = rec.minuteRequests.expire(cutoff);
    const tokens = rec.minuteTokens.expire(cutoff);
    return requests || tokens;
  }
}

/** A later cooldown extends an earlier one, never shortens it; the later kind wins when it extends. */
export function mergeCooldown(current: Cooldown | null, next: Cooldown): Cooldown {
  if (!current || next.until >= current.until) {
    return next;
  }
  return current;
}

function toView(rec: KeyRecord): KeyStateView {
  const oldest = rec.minuteRequests.oldest();
  return {
    cooldown: rec.cooldown,
    modelCooldowns: rec.modelCooldowns,
    breaker: rec.breaker,
    probeInFlight: rec.probeInFlight,
    consecutiveFailures: rec.consecutiveFailures,
    inFlight: rec.inFlight,
    lastUsedAt: rec.lastUsedAt,
    useOrder: rec.useOrder,
    requestsLastMinute: rec.minuteRequests.count,
    tokensLastMinute: rec.minuteTokens.sum,
    minuteWindowFreesAt: oldest !== null ? oldest + MINUTE_MS : null,
    requestsToday: rec.requestsToday,
    dayStart: rec.dayStart,
    budget: rec.budget,
    latencyEwmaMs: rec.latencyEwmaMs,
    latencySamples: rec.latencySamples,
    lastLatencyAt: rec.lastLatencyAt,
    served: rec.served,
    invalid: rec.invalid,
  };
}
