import { BreakerState } from '@keypool/shared';
import type { CatalogKey } from '../../keys/pool-catalog.types';
import type { KeyStateView, UpstreamStateView } from '../key-state/key-state.store';
import { dayStartOf } from '../resilience/day-boundary';
import { effectiveBreakerState } from '../resilience/breaker';

export type BlockReason =
  | 'disabled'
  | 'invalid'
  | 'rate_limited'
  | 'quota_exhausted'
  | 'limit'
  | 'budget'
  | 'upstream_backoff'
  | 'breaker_open'
  | 'probe_taken';

export type Availability =
  | { usable: true; probe: boolean }
  | {
      usable: false;
      reason: BlockReason;
      /** When it may come back by itself; null = not by itself (disabled) or unknown (probe in flight). */
      until: number | null;
      /** Out for faults only: may still be tried when nothing else is left. */
      lastResort: boolean;
      /** Out for a rate limit or quota (decides 429 vs 503 when nothing is left). */
      rateLimited: boolean;
    };

const MINUTE_MS = 60_000;
// Shared answers for the common cases, so assessing a healthy pool allocates nothing.
const USABLE: Availability = Object.freeze({ usable: true, probe: false });
const USABLE_PROBE: Availability = Object.freeze({ usable: true, probe: true });
const DISABLED: Availability = Object.freeze({
  usable: false,
  reason: 'disabled',
  until: null,
  lastResort: false,
  rateLimited: false,
});
const INVALID: Availability = Object.freeze({
  usable: false,
  reason: 'invalid',
  until: null,
  lastResort: false,
  rateLimited: false,
});

/** Can this key serve `model` now, and if not, why and until when. Pure; O(1). */
export function assessKey(
  key: CatalogKey,
  view: KeyStateView,
  upstream: UpstreamStateView,
  model: string | null,
  dayBoundaryUtcOffsetHours: number,
  now: number,
): Availability {
  if (!key.enabled) {
    return key.disabledReason === 'invalid' ? INVALID : DISABLED;
  }
  if (view.invalid) {
    return INVALID;
  }
  const keyCooldown = view.cooldown && view.cooldown.until > now ? view.cooldown : null;
  const modelCooldown = model !== null ? view.modelCooldowns.get(model) : undefined;
  const cooldown =
    modelCooldown && modelCooldown.until > now && modelCooldown.until > (keyCooldown?.until ?? 0)
      ? modelCooldown
      : keyCooldown;
  if (cooldown) {
    return blocked(cooldown.kind, cooldown.until, false, true);
  }
  const limitUntil = limitReachedUntil(key, view, dayBoundaryUtcOffsetHours, now);
  if (limitUntil !== null) {
    return blocked('limit', limitUntil, false, true);
  }
  const budgetUntil = budgetRestUntil(view, now);
  if (budgetUntil !== null) {
    return blocked('budget', budgetUntil, false, true);
  }
  if (upstream.backoff) {
    const fault = upstream.backoff.reason === 'fault';
    return blocked('upstream_backoff', upstream.backoff.until, fault, !fault);
  }
  const breaker = effectiveBreakerState(view.breaker, now);
  if (breaker === BreakerState.Open) {
    return blocked('breaker_open', view.breaker.openUntil, true, false);
  }
  if (breaker === BreakerState.HalfOpen) {
    return view.probeInFlight ? blocked('probe_taken', null, false, false) : USABLE_PROBE;
  }
  return USABLE;
}

/** When a key's own rpm/tpm/daily limit frees up, or null while under all of them. */
export function limitReachedUntil(
  key: CatalogKey,
  view: KeyStateView,
  dayBoundaryUtcOffsetHours: number,
  now: number,
): number | null {
  const minuteFree = view.minuteWindowFreesAt ?? now + MINUTE_MS;
  if (key.rpmLimit !== null && view.requestsLastMinute >= key.rpmLimit) {
    return minuteFree;
  }
  if (key.tpmLimit !== null && view.tokensLastMinute >= key.tpmLimit) {
    return minuteFree;
  }
  if (key.dailyLimit !== null) {
    const dayStart = dayStartOf(now, dayBoundaryUtcOffsetHours);
    if (view.dayStart >= dayStart && view.requestsToday >= key.dailyLimit) {
      return dayStart + 24 * 3_600_000;
    }
  }
  return null;
}

/** Rest a key whose upstream-reported budget is spent until the reported reset. */
export function budgetRestUntil(view: KeyStateView, now: number): number | null {
  const b = view.budget;
  if (!b) {
    return null;
  }
  let until: number | null = null;
  if (
    b.remainingRequests !== null &&
    b.remainingRequests <= 0 &&
    b.requestsResetAt !== null &&
    b.requestsResetAt > now
  ) {
    until = b.requestsResetAt;
  }
  if (
    b.remainingTokens !== null &&
    b.remainingTokens <= 0 &&
    b.tokensResetAt !== null &&
    b.tokensResetAt > now
  ) {
    until = Math.max(until ?? 0, b.tokensResetAt);
  }
  return until;
}

function blocked(
  reason: BlockReason,
  until: number | null,
  lastResort: boolean,
  rateLimited: boolean,
): Availability {
  return { usable: false, reason, until, lastResort, rateLimited };
}
