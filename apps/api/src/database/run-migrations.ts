import type { DataSource } from 'typeorm';

/** Brings the schema up to date. Several replicas may start at once on Postgres, hence the lock. */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // A session-level advisory lock: the first replica migrates, the others wait, then find nothing to do.
    await runner.query('SELECT pg_advisory_lock(427001)');
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock(427001)').catch(() => undefined);
    await runner.release();
  }
}
