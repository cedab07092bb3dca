import { InitialSchema1763700000000 } from './1763700000000-initial-schema';
import { StatsRollups1763700000300 } from './1763700000300-stats-rollups';
import { DimensionRollupsAndLogSearch1763700000310 } from './1763700000310-dimension-rollups-and-log-search';
import { ErrorOnlyLogSearch1763700000400 } from './1763700000400-error-only-log-search';

/** Applied in order at startup. Add new migrations at the end; never edit a released one. */
export const POSTGRES_MIGRATIONS = [
  InitialSchema1763700000000,
  StatsRollups1763700000300,
  DimensionRollupsAndLogSearch1763700000310,
  ErrorOnlyLogSearch1763700000400,
];
