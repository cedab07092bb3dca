const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Start (epoch ms) of the quota day containing `now`, whose boundary is UTC midnight + `offsetHours`. */
export function dayStartOf(now: number, offsetHours: number): number {
  const offset = offsetHours * HOUR_MS;
  return Math.floor((now - offset) / DAY_MS) * DAY_MS + offset;
}

/** The next quota-day boundary after `now`. */
export function nextDayBoundary(now: number, offsetHours: number): number {
  return dayStartOf(now, offsetHours) + DAY_MS;
}
