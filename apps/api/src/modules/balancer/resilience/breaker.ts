import { BreakerState, type Settings } from '@keypool/shared';
import type { BreakerRecord, HealthCounts } from '../key-state/key-state.store';

export type BreakerSettings = Pick<
  Settings,
  'maxFailures' | 'failureRateThreshold' | 'breakerCooldownMs' | 'breakerMaxCooldownMs'
>;

/** Attempts in the window before the failure rate is trusted (one failure out of one is not 100%). */
export const FAILURE_RATE_MIN_VOLUME = 10;

export const CLOSED: BreakerRecord = Object.freeze({ state: BreakerState.Closed, openUntil: 0, trips: 0 });

/** The breaker as it stands at `now`: an open breaker whose time is up is due for its half-open probe. */
export function effectiveBreakerState(breaker: BreakerRecord, now: number): BreakerState {
  if (breaker.state === BreakerState.Open && now >= breaker.openUntil) {
    return BreakerState.HalfOpen;
  }
  return breaker.state;
}

/** Open period for the n-th trip in a row: doubles each time, capped. */
export function openPeriodMs(trips: number, settings: BreakerSettings): number {
  const doubled = settings.breakerCooldownMs * 2 ** Math.max(0, trips - 1);
  return Math.min(doubled, Math.max(settings.breakerMaxCooldownMs, settings.breakerCooldownMs));
}

/**
 * After an upstream fault: the next breaker record, or null when it stays as it is.
 * - a failed half-open probe re-opens at once, for longer;
 * - a closed breaker opens at `maxFailures` consecutive faults or a failure rate over the threshold,
 *   unless `mayEject` is false (the pool's ejection cap is reached);
 * - faults of attempts still in flight when the breaker opened change nothing.
 */
export function breakerAfterFailure(
  breaker: BreakerRecord,
  counts: HealthCounts,
  wasProbe: boolean,
  mayEject: boolean,
  settings: BreakerSettings,
  now: number,
): BreakerRecord | null {
  if (wasProbe) {
    const trips = breaker.trips + 1;
    return { state: BreakerState.Open, openUntil: now + openPeriodMs(trips, settings), trips };
  }
  if (breaker.state !== BreakerState.Closed || !mayEject) {
    return null;
  }
  const tooMany = counts.consecutiveFailures >= Math.max(1, settings.maxFailures);
  const tooOften =
    counts.windowTotal >= FAILURE_RATE_MIN_VOLUME &&
    counts.windowFailures / counts.windowTotal > settings.failureRateThreshold;
  if (!tooMany && !tooOften) {
    return null;
  }
  // A repeat offence (tripping again soon after it closed) doubles the open period; a long good spell forgives.
  const repeat = breaker.trips > 0 && now - breaker.openUntil <= settings.breakerMaxCooldownMs;
  const trips = repeat ? breaker.trips + 1 : 1;
  return { state: BreakerState.Open, openUntil: now + openPeriodMs(trips, settings), trips };
}

/** After a success: a successful probe closes the breaker; anything else leaves it. */
export function breakerAfterSuccess(
  breaker: BreakerRecord,
  wasProbe: boolean,
  now: number,
): BreakerRecord | null {
  if (wasProbe || breaker.state === BreakerState.HalfOpen) {
    // Closed keeps its trip count, with `openUntil` marking when it closed, so a relapse doubles.
    return { state: BreakerState.Closed, openUntil: now, trips: breaker.trips };
  }
  return null;
}
