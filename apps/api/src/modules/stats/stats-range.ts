import type { StatsBucket, StatsQuery } from '@keypool/shared';
import { ValidationError } from '../../common/errors/app-error';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './rollups/rollup-grain';

const RANGE_MS = { '1h': HOUR_MS, '24h': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS } as const;

/** Resolves `range` (default 24h) or a custom from/to into epoch ms [from, to). */
export function resolveRange(query: StatsQuery, now: number): { from: number; to: number } {
  const range = query.range ?? '24h';
  if (range !== 'custom') {
    return { from: now - RANGE_MS[range], to: now };
  }
  if (!query.from || !query.to) {
    throw new ValidationError('A custom range needs from and to', {
      ...(query.from ? {} : { from: ['from is required when range is custom'] }),
      ...(query.to ? {} : { to: ['to is required when range is custom'] }),
    });
  }
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  if (!(from < to)) {
    throw new ValidationError('from must be before to', { from: ['from must be before to'] });
  }
  return { from, to };
}

export const BUCKET_MS: Record<StatsBucket, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

/** Buckets a chart of the range reads well with (~24–720 points). */
export function defaultBucket(from: number, to: number): StatsBucket {
  const span = to - from;
  if (span <= 2 * HOUR_MS) {
    return 'minute';
  }
  if (span <= 8 * DAY_MS) {
    return 'hour';
  }
  return 'day';
}

/** Most points one timeseries may return (per group). */
export const MAX_POINTS = 1500;
