import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { ENTITIES } from './entities';
import { POSTGRES_MIGRATIONS } from './migrations/postgres';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';
import { runMigrations } from './run-migrations';

const ADMIN_URL = process.env.E2E_DATABASE_URL;
const SKIP_NOTE = ADMIN_URL ? '' : ' [skipped: set E2E_DATABASE_URL to run against a real Postgres]';

describe('migration sets', () => {
  it('should mirror every SQLite migration with a Postgres one of the same name', () => {
    const names = (list: ReadonlyArray<new () => { name?: string }>) =>
      list.map((m) => new m().name ?? m.name);
    expect(names(POSTGRES_MIGRATIONS)).toEqual(names(SQLITE_MIGRATIONS));
  });
});

describe.skipIf(!ADMIN_URL)(`${runMigrations.name} on a real Postgres${SKIP_NOTE}`, () => {
  const database = `keypool_spec_migrations_${randomBytes(4).toString('hex')}`;
  let admin: DataSource;

  beforeAll(async () => {
    admin = await new DataSource({ type: 'postgres', url: ADMIN_URL, extra: { max: 1 } }).initialize();
    await admin.query(`CREATE DATABASE "${database}"`);
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.destroy();
  });

  it('should migrate exactly once when several replicas start at the same time', async () => {
    const url = new URL(ADMIN_URL!);
    url.pathname = `/${database}`;
    const config = { database: { driver: 'postgres', url: url.toString() } } as AppConfig;
    const replicas = await Promise.all(
      Array.from({ length: 4 }, () => new DataSource(dataSourceOptions(config)).initialize()),
    );
    try {
      await Promise.all(replicas.map((ds) => runMigrations(ds)));
      const applied: Array<{ name: string }> = await replicas[0].query(
        'SELECT name FROM migrations ORDER BY id',
      );
      expect(applied.map((row) => row.name)).toEqual(POSTGRES_MIGRATIONS.map((m) => new m().name ?? m.name));
      // A restart finds nothing to do.
      await runMigrations(replicas[1]);
      const again: Array<{ count: string }> = await replicas[0].query(
        'SELECT count(*) AS count FROM migrations',
      );
      expect(Number(again[0].count)).toBe(POSTGRES_MIGRATIONS.length);
      // Every entity maps onto the migrated schema (a column the migrations forgot fails here).
      for (const entity of ENTITIES) {
        await expect(replicas[0].getRepository(entity).find({ take: 1 })).resolves.toEqual([]);
      }
    } finally {
      await Promise.all(replicas.map((ds) => ds.destroy()));
    }
  });
});
