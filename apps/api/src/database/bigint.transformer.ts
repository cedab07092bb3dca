import type { ValueTransformer } from 'typeorm';

/**
 * Epoch-millisecond columns are `bigint`: Postgres returns those as strings, SQLite as numbers.
 * This keeps them numbers on both drivers.
 */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};
