/**
 * Fixed latency bucket upper bounds (ms). Rollup rows store one integer column per bucket so that
 * merging two rows is plain addition; the last bucket (index = bounds.length) is open-ended.
 * The Prometheus histograms use the same bounds (in seconds).
 */
export const LATENCY_BOUNDS_MS = [
  10, 25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 15_000, 30_000, 60_000,
  120_000,
] as const;

export const HISTOGRAM_SIZE = LATENCY_BOUNDS_MS.length + 1;

/** Index of the bucket a value falls into (value <= bound). */
export function bucketIndex(valueMs: number): number {
  for (let i = 0; i < LATENCY_BOUNDS_MS.length; i++) {
    if (valueMs <= LATENCY_BOUNDS_MS[i]) {
      return i;
    }
  }
  return LATENCY_BOUNDS_MS.length;
}

export function emptyHistogram(): number[] {
  return new Array<number>(HISTOGRAM_SIZE).fill(0);
}

/**
 * Estimates the q-quantile (0..1) from bucket counts by linear interpolation inside the bucket.
 * `maxMs` caps the open-ended last bucket (and any estimate) at the largest value seen.
 */
export function estimateQuantile(counts: readonly number[], q: number, maxMs: number | null): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) {
    return null;
  }
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i];
    if (count === 0) {
      continue;
    }
    if (seen + count >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1];
      const upper = i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i] : (maxMs ?? lower);
      const value = lower + ((rank - seen) / count) * (upper - lower);
      const capped = maxMs !== null ? Math.min(value, maxMs) : value;
      return Math.round(capped);
    }
    seen += count;
  }
  return maxMs;
}
