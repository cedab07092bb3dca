import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '.';

describe('ErrorOnlyLogSearch1763700000400', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keypool-migration-400-'));
  const open = (migrations: ReadonlyArray<unknown>) =>
    new DataSource({
      type: 'sqlite',
      database: join(dir, 'db.sqlite'),
      migrations: migrations as never,
    }).initialize();
  const insertLog = (db: DataSource, ts: number, path: string, model: string | null, error: string | null) =>
    db.query(
      `INSERT INTO request_logs (ts, request_id, method, path, format, model_requested, attempts, status, outcome, latency_ms, error)
       VALUES (?, 'r', 'POST', ?, 'openai', ?, '[]', 200, 'success', 10, ?)`,
      [ts, path, model, error],
    );
  const matches = async (db: DataSource, phrase: string) =>
    (
      await db.query<Array<{ rowid: number }>>(
        `SELECT rowid FROM request_logs_error_search WHERE request_logs_error_search MATCH ? ORDER BY rowid`,
        [phrase],
      )
    ).map((r) => r.rowid);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should index only errors, keep the paths and models seen as terms, and follow inserts and deletes', async () => {
    const before = await open(SQLITE_MIGRATIONS.slice(0, -1));
    await before.runMigrations();
    await insertLog(before, 10, '/v1/chat/completions', 'gpt-4o', null);
    await insertLog(before, 20, '/v1/embeddings', 'text-embedding-3-small', 'Upstream Exploded');
    await insertLog(before, 30, '/v1/chat/completions', null, null);
    await before.destroy();

    const after = await open(SQLITE_MIGRATIONS);
    await after.runMigrations({ transaction: 'each' });
    expect(await matches(after, '"exploded"')).toEqual([2]);
    // Paths and models are no longer in the trigram index.
    expect(await matches(after, '"chat/compl"')).toEqual([]);
    expect(
      await after.query(`SELECT kind, value, last_seen FROM request_log_terms ORDER BY kind, value`),
    ).toEqual([
      { kind: 'model', value: 'gpt-4o', last_seen: 10 },
      { kind: 'model', value: 'text-embedding-3-small', last_seen: 20 },
      { kind: 'path', value: '/v1/chat/completions', last_seen: 30 },
      { kind: 'path', value: '/v1/embeddings', last_seen: 20 },
    ]);
    expect(
      await after.query(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'idx_request_logs_path'`,
      ),
    ).toHaveLength(1);

    await insertLog(after, 40, '/v1/chat/completions', 'gpt-4o', 'Key revoked upstream');
    await insertLog(after, 50, '/v1/chat/completions', 'gpt-4o', null);
    expect(await matches(after, '"revoked"')).toEqual([4]);
    await after.query(`DELETE FROM request_logs WHERE id IN (2, 4, 5)`);
    expect(await matches(after, '"exploded"')).toEqual([]);
    expect(await matches(after, '"revoked"')).toEqual([]);
    // The index stays consistent with its content after the deletes.
    await after.query(
      `INSERT INTO request_logs_error_search (request_logs_error_search) VALUES ('integrity-check')`,
    );

    await after.undoLastMigration({ transaction: 'each' });
    expect(
      await after.query(
        `SELECT rowid FROM request_logs_search WHERE request_logs_search MATCH '"chat/compl"'`,
      ),
    ).toEqual([{ rowid: 1 }, { rowid: 3 }]);
    await after.destroy();
  });
});
