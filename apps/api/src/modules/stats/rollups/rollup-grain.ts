/**
 * Rollups are kept at three grains. Minute rows answer the last hours precisely, hour rows the last
 * weeks, day rows the long tail; a range query is split into the coarsest rows that fit exactly.
 */
export const Grain = { Minute: 'm', Hour: 'h', Day: 'd' } as const;
export type Grain = (typeof Grain)[keyof typeof Grain];

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const GRAIN_MS: Record<Grain, number> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };

/** How long rows of each grain are kept. Day rows outlive any sensible log retention. */
export const GRAIN_RETENTION_MS: Record<Grain, number> = {
  m: 2 * DAY_MS,
  h: 35 * DAY_MS,
  d: 400 * DAY_MS,
};

export function floorTo(t: number, unit: number): number {
  return Math.floor(t / unit) * unit;
}

export function ceilTo(t: number, unit: number): number {
  return Math.ceil(t / unit) * unit;
}

/** Start of the oldest bucket still present for each fine grain (aligned to the next coarser grain). */
export interface GrainAvailability {
  minuteFrom: number;
  hourFrom: number;
}

export function availabilityAt(now: number, hourRetentionMs = GRAIN_RETENTION_MS.h): GrainAvailability {
  return {
    minuteFrom: ceilTo(now - GRAIN_RETENTION_MS.m, HOUR_MS),
    hourFrom: ceilTo(now - hourRetentionMs, DAY_MS),
  };
}
