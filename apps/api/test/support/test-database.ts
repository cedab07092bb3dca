import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../src/database/entities';
import { POSTGRES_MIGRATIONS } from '../../src/database/migrations/postgres';
import { SQLITE_MIGRATIONS } from '../../src/database/migrations/sqlite';

/** Postgres runs too when E2E_DATABASE_URL points at a server (a throwaway database per run). */
const POSTGRES_URL = process.env.E2E_DATABASE_URL;
export const TEST_DRIVERS = POSTGRES_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

/** A real, migrated database for integration specs: a temp-dir SQLite file or a fresh Postgres database. */
export async function openTestDatabase(
  driver: 'sqlite' | 'postgres',
): Promise<{ dataSource: DataSource; drop: () => Promise<void> }> {
  if (driver === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'keypool-spec-'));
    const dataSource = await new DataSource({
      type: 'sqlite',
      database: join(dir, 'test.sqlite'),
      entities: ENTITIES,
      migrations: SQLITE_MIGRATIONS,
      enableWAL: true,
      busyTimeout: 5000,
    }).initialize();
    await dataSource.runMigrations();
    return {
      dataSource,
      drop: async () => {
        await dataSource.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `keypool_spec_${randomBytes(4).toString('hex')}`;
  const admin = await new DataSource({ type: 'postgres', url: POSTGRES_URL, extra: { max: 1 } }).initialize();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_URL!);
  url.pathname = `/${name}`;
  const dataSource = await new DataSource({
    type: 'postgres',
    url: url.toString(),
    entities: ENTITIES,
    migrations: POSTGRES_MIGRATIONS,
  }).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
