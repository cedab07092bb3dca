import { HISTOGRAM_SIZE } from './latency-histogram';

/** Key columns of `stats_dim_rollups`; value '' stands for "none" so the key never holds NULL. */
export const DIMENSION_COLUMNS = ['grain', 'dim', 'bucket', 'value'] as const;

const pad = (i: number) => String(i).padStart(2, '0');
export const LATENCY_BUCKET_COLUMNS = Array.from({ length: HISTOGRAM_SIZE }, (_, i) => `lat_b${pad(i)}`);
export const TTFB_BUCKET_COLUMNS = Array.from({ length: HISTOGRAM_SIZE }, (_, i) => `ttfb_b${pad(i)}`);

/** Counters merged by addition. */
export const ADDITIVE_COLUMNS = [
  'requests',
  'success',
  'client_errors',
  'rate_limited',
  'quota_exhausted',
  'key_invalid',
  'upstream_errors',
  'gateway_errors',
  'cancelled',
  'retried',
  'attempts',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'latency_sum',
  'ttfb_sum',
  'ttfb_count',
  ...LATENCY_BUCKET_COLUMNS,
  ...TTFB_BUCKET_COLUMNS,
] as const;

/** Merged by taking the larger value. */
export const MAX_COLUMNS = ['latency_max', 'last_ts'] as const;

export type AdditiveColumn = (typeof ADDITIVE_COLUMNS)[number];
