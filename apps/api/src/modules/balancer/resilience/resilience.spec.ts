import { BreakerState } from '@keypool/shared';
import { describe, expect, it } from 'vitest';
import { mergeCooldown } from '../key-state/memory-key-state.store';
import { someSettings } from '../testing/balancer-fixtures';
import {
  breakerAfterFailure,
  breakerAfterSuccess,
  CLOSED,
  effectiveBreakerState,
  openPeriodMs,
} from './breaker';
import { dayStartOf, nextDayBoundary } from './day-boundary';

const NOW = 1_000_000_000_000;
const s = someSettings({
  maxFailures: 3,
  breakerCooldownMs: 30_000,
  breakerMaxCooldownMs: 100_000,
  failureRateThreshold: 0.5,
});
const counts = (
  consecutiveFailures: number,
  windowFailures = consecutiveFailures,
  windowTotal = consecutiveFailures,
) => ({
  consecutiveFailures,
  windowFailures,
  windowTotal,
});

describe('breaker', () => {
  it.each([
    { name: 'stays closed below maxFailures', counts: counts(2), opens: false },
    { name: 'opens at maxFailures consecutive faults', counts: counts(3), opens: true },
    {
      name: 'opens on a failure rate above the threshold over enough volume',
      counts: counts(1, 6, 10),
      opens: true,
    },
    { name: 'ignores a high rate over too little volume', counts: counts(1, 2, 3), opens: false },
  ])('should $name', ({ counts: c, opens }) => {
    const next = breakerAfterFailure(CLOSED, c, false, true, s, NOW);
    expect(next !== null).toBe(opens);
    if (next) {
      expect(next).toEqual({ state: BreakerState.Open, openUntil: NOW + 30_000, trips: 1 });
    }
  });

  it('should not open when the ejection cap is reached', () => {
    expect(breakerAfterFailure(CLOSED, counts(5), false, false, s, NOW)).toBeNull();
  });

  it('should turn half-open when the open period is over', () => {
    const open = { state: BreakerState.Open, openUntil: NOW + 30_000, trips: 1 };
    expect(effectiveBreakerState(open, NOW + 29_999)).toBe(BreakerState.Open);
    expect(effectiveBreakerState(open, NOW + 30_000)).toBe(BreakerState.HalfOpen);
  });

  it('should re-open for twice as long when the probe fails, capped', () => {
    const halfOpen = { state: BreakerState.HalfOpen, openUntil: NOW, trips: 1 };
    const second = breakerAfterFailure(halfOpen, counts(4), true, true, s, NOW)!;
    expect(second).toEqual({ state: BreakerState.Open, openUntil: NOW + 60_000, trips: 2 });
    const third = breakerAfterFailure(
      { ...second, state: BreakerState.HalfOpen },
      counts(5),
      true,
      true,
      s,
      NOW,
    )!;
    expect(third.openUntil).toBe(NOW + 100_000);
    expect(openPeriodMs(10, s)).toBe(100_000);
  });

  it('should close when the probe succeeds and double on a quick relapse', () => {
    const closed = breakerAfterSuccess(
      { state: BreakerState.HalfOpen, openUntil: NOW, trips: 2 },
      true,
      NOW,
    )!;
    expect(closed.state).toBe(BreakerState.Closed);
    const relapse = breakerAfterFailure(closed, counts(3), false, true, s, NOW + 10_000)!;
    expect(relapse.trips).toBe(3);
    const forgiven = breakerAfterFailure(closed, counts(3), false, true, s, NOW + 500_000)!;
    expect(forgiven.trips).toBe(1);
  });

  it('should ignore faults of attempts still in flight once open', () => {
    const open = { state: BreakerState.Open, openUntil: NOW + 30_000, trips: 1 };
    expect(breakerAfterFailure(open, counts(7), false, true, s, NOW)).toBeNull();
    expect(breakerAfterSuccess(open, false, NOW)).toBeNull();
  });
});

describe('cooldown maths', () => {
  it('should extend but never shorten a cooldown', () => {
    const first = { until: NOW + 10_000, kind: 'rate_limited' as const, explicit: true };
    expect(mergeCooldown(first, { ...first, until: NOW + 2_000 })).toBe(first);
    expect(mergeCooldown(first, { ...first, until: NOW + 20_000 }).until).toBe(NOW + 20_000);
    expect(mergeCooldown(null, first)).toBe(first);
  });

  it.each([
    { offset: 0, now: Date.UTC(2026, 0, 15, 10), start: Date.UTC(2026, 0, 15, 0) },
    { offset: -8, now: Date.UTC(2026, 0, 15, 10), start: Date.UTC(2026, 0, 15, 8) },
    { offset: -8, now: Date.UTC(2026, 0, 15, 7), start: Date.UTC(2026, 0, 14, 8) },
    { offset: 9, now: Date.UTC(2026, 0, 15, 10), start: Date.UTC(2026, 0, 14, 15) },
  ])('should place the quota day for offset $offset', ({ offset, now, start }) => {
    expect(dayStartOf(now, offset)).toBe(start);
    expect(nextDayBoundary(now, offset)).toBe(start + 86_400_000);
  });
});
