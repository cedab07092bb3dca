import { mkdirSync } from 'node:fs';
import sqlite3 from 'sqlite3';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { POSTGRES_MIGRATIONS } from './migrations/postgres';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';

/** TypeORM options for the configured driver. Schema comes from migrations only (`synchronize` off). */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  if (config.database.driver === 'postgres') {
    return {
      type: 'postgres',
      url: config.database.url,
      entities: ENTITIES,
      migrations: POSTGRES_MIGRATIONS,
      migrationsRun: false,
      synchronize: false,
      extra: { max: 10 },
    };
  }
  mkdirSync(dirname(config.database.path), { recursive: true });
  return {
    type: 'sqlite',
    database: config.database.path,
    // TypeORM calls `verbose()` on the driver, which wraps every statement of every sqlite3 connection in
    // the process (the log writer's too) with stack-trace capture. Hand it the module with that switched off.
    driver: { ...sqlite3, verbose: () => sqlite3 },
    entities: ENTITIES,
    migrations: SQLITE_MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    // WAL lets readers (stats, log pages) run while the log writer commits; the busy timeout
    // makes a second writer wait instead of failing with SQLITE_BUSY.
    enableWAL: true,
    busyTimeout: 5000,
  };
}
