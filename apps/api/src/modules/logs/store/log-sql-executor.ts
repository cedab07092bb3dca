import * as sqlite3 from 'sqlite3';
import type { DataSource } from 'typeorm';
import type { SqlDriver } from '../../stats/rollups/sql-params';

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/**
 * Runs the log module's writes. On SQLite it owns a second connection so that batch transactions never
 * interleave with other modules' queries on TypeORM's single shared connection (WAL lets both coexist;
 * the busy timeout queues writers). On Postgres it borrows a pooled connection per transaction.
 */
export interface LogSqlExecutor {
  readonly driver: SqlDriver;
  /** Runs the statements in one transaction; returns the changed-row count of each. */
  transaction(statements: SqlStatement[]): Promise<number[]>;
  close(): Promise<void>;
}

export function createLogSqlExecutor(dataSource: DataSource): LogSqlExecutor {
  if (dataSource.options.type === 'postgres') {
    return new PostgresExecutor(dataSource);
  }
  return new SqliteExecutor(String(dataSource.options.database));
}

class PostgresExecutor implements LogSqlExecutor {
  readonly driver = 'postgres' as const;

  constructor(private readonly dataSource: DataSource) {}

  async transaction(statements: SqlStatement[]): Promise<number[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const counts: number[] = [];
      for (const s of statements) {
        const result = await runner.query(s.sql, s.params, true);
        counts.push(result.affected ?? 0);
      }
      await runner.commitTransaction();
      return counts;
    } catch (error) {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction().catch(() => undefined);
      }
      throw error;
    } finally {
      await runner.release();
    }
  }

  async close(): Promise<void> {}
}

class SqliteExecutor implements LogSqlExecutor {
  readonly driver = 'sqlite' as const;
  private db: sqlite3.Database | null = null;
  /** One connection runs one transaction at a time. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  transaction(statements: SqlStatement[]): Promise<number[]> {
    const run = this.tail.then(() => this.runTransaction(statements));
    this.tail = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.tail;
    const db = this.db;
    this.db = null;
    if (db) {
      await new Promise<void>((resolve) => db.close(() => resolve()));
    }
  }

  private async runTransaction(statements: SqlStatement[]): Promise<number[]> {
    const db = await this.open();
    await exec(db, 'BEGIN IMMEDIATE');
    try {
      const counts: number[] = [];
      for (const s of statements) {
        counts.push(await run(db, s.sql, s.params));
      }
      await exec(db, 'COMMIT');
      return counts;
    } catch (error) {
      await exec(db, 'ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async open(): Promise<sqlite3.Database> {
    if (this.db) {
      return this.db;
    }
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const handle = new sqlite3.Database(this.path, (error) => (error ? reject(error) : resolve(handle)));
    });
    db.configure('busyTimeout', 5000);
    await exec(db, 'PRAGMA journal_mode = WAL');
    await exec(db, 'PRAGMA synchronous = NORMAL');
    // A batch insert materializes its rows (`json_each`) in a temporary table: kept in memory (at most
    // LOG_ROWS_PER_STATEMENT rows, well under a megabyte) it costs no temp-file writes, ~5% of a row's cost.
    await exec(db, 'PRAGMA temp_store = MEMORY');
    this.db = db;
    return db;
  }
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
}

function run(db: sqlite3.Database, sql: string, params: unknown[]): Promise<number> {
  return new Promise((resolve, reject) =>
    db.run(sql, params, function (this: sqlite3.RunResult, error: Error | null) {
      if (error) {
        reject(error);
      } else {
        resolve(this.changes);
      }
    }),
  );
}
