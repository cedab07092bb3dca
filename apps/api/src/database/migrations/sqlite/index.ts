import { InitialSchema1763700000000 } from './1763700000000-initial-schema';

/** Applied in order at startup. Add new migrations at the end; never edit a released one. */
export const SQLITE_MIGRATIONS = [InitialSchema1763700000000];
