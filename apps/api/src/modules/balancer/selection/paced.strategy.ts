import { dayStartOf, DAY_MS } from '../resilience/day-boundary';
import { pickOf, type Candidate, type Strategy, type StrategyInput } from './strategy.types';

/**
 * Spreads each key's daily quota over what is left of its day: a key may serve again once
 * (time left in the day) / (requests left today) has passed since its last use. A 100/day key at the
 * start of the day serves once every 14.4 minutes, so a free-tier pool lasts until the reset.
 * Keys without a daily limit are unpaced and serve only when no paced key is due.
 */
export const paced: Strategy = (input) => {
  let best: Candidate | null = null;
  let bestOverdue = -Infinity;
  for (const c of input.candidates) {
    const due = pacedDueAt(c, input);
    if (due === null || due > input.now) {
      continue;
    }
    const overdue = c.key.dailyLimit === null ? -1e15 - c.view.inFlight : input.now - due;
    if (overdue > bestOverdue) {
      best = c;
      bestOverdue = overdue;
    }
  }
  return best ? pickOf(best) : null;
};

/** When a key may next serve under pacing; null when its daily quota is spent. */
export function pacedDueAt(
  c: Candidate,
  { settings, now }: Pick<StrategyInput, 'settings' | 'now'>,
): number | null {
  const limit = c.key.dailyLimit;
  if (limit === null) {
    return now;
  }
  const dayStart = dayStartOf(now, settings.dayBoundaryUtcOffsetHours);
  const usedToday = c.view.dayStart >= dayStart ? c.view.requestsToday : 0;
  const left = limit - usedToday;
  if (left <= 0) {
    return null;
  }
  const lastUsed = c.view.lastUsedAt;
  if (lastUsed === null || lastUsed < dayStart) {
    return now;
  }
  const interval = (dayStart + DAY_MS - lastUsed) / left;
  return lastUsed + interval;
}
