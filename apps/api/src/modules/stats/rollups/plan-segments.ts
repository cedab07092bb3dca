import {
  DAY_MS,
  GRAIN_MS,
  Grain,
  HOUR_MS,
  MINUTE_MS,
  ceilTo,
  floorTo,
  type GrainAvailability,
} from './rollup-grain';

/** A half-open time span [from, to) answered by rollup rows of one grain. */
export interface Segment {
  grain: Grain;
  from: number;
  to: number;
}

export interface SegmentPlan {
  segments: Segment[];
  /** The range the plan really covers: the request widened to the finest rows still kept. */
  from: number;
  to: number;
}

/**
 * Splits [from, to) into the fewest rollup segments: minute rows at the ragged edges, hour rows up to day
 * boundaries, day rows in the middle. Where fine rows are already pruned, the edge is widened to the
 * next coarser boundary (and the returned range says so).
 */
export function planSegments(from: number, to: number, available: GrainAvailability): SegmentPlan {
  let start = floorTo(from, MINUTE_MS);
  let end = ceilTo(to, MINUTE_MS);
  if (start < available.minuteFrom) {
    start = floorTo(start, HOUR_MS);
  }
  if (start < available.hourFrom) {
    start = floorTo(start, DAY_MS);
  }
  if (end < available.minuteFrom) {
    end = ceilTo(end, HOUR_MS);
  }
  if (end < available.hourFrom) {
    end = ceilTo(end, DAY_MS);
  }
  const segments: Segment[] = [];
  let t = start;
  while (t < end) {
    const grain = largestFittingGrain(t, end, available);
    const step = GRAIN_MS[grain];
    const last = segments[segments.length - 1];
    if (last && last.grain === grain && last.to === t) {
      last.to = t + step;
    } else {
      segments.push({ grain, from: t, to: t + step });
    }
    t += step;
  }
  return { segments, from: start, to: Math.max(t, end) };
}

function largestFittingGrain(t: number, end: number, available: GrainAvailability): Grain {
  if (t % DAY_MS === 0 && t + DAY_MS <= end) {
    return Grain.Day;
  }
  if (t % HOUR_MS === 0 && (t + HOUR_MS <= end || t < available.minuteFrom) && t >= available.hourFrom) {
    return Grain.Hour;
  }
  if (t >= available.minuteFrom) {
    return Grain.Minute;
  }
  // Fine rows are gone here: fall back to the coarsest row covering t (the plan's end grows accordingly).
  return t >= available.hourFrom ? Grain.Hour : Grain.Day;
}
