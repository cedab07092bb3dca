const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Start (epoch ms) of the quota day containing `now`. `offsetHours` is the zone of the boundary as an
 * offset from UTC: -8 puts it at Pacific midnight (08:00 UTC), 9 at Tokyo midnight (15:00 UTC).
 */
export function dayStartOf(now: number, offsetHours: number): number {
  const offset = -offsetHours * HOUR_MS;
  return Math.floor((now - offset) / DAY_MS) * DAY_MS + offset;
}

/** The next quota-day boundary after `now`. */
export function nextDayBoundary(now: number, offsetHours: number): number {
  return dayStartOf(now, offsetHours) + DAY_MS;
}
