import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { InitialSchema1763700000000 } from './1763700000000-initial-schema';
import { StatsRollups1763700000300 } from './1763700000300-stats-rollups';
import { DimensionRollupsAndLogSearch1763700000310 } from './1763700000310-dimension-rollups-and-log-search';

describe(DimensionRollupsAndLogSearch1763700000310.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'keypool-migration-310-'));
  const open = (migrations: Array<new () => unknown>) =>
    new DataSource({
      type: 'sqlite',
      database: join(dir, 'db.sqlite'),
      migrations: migrations as never,
    }).initialize();

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should carry combined rollups over into one row per dimension value, and index existing logs', async () => {
    const before = await open([InitialSchema1763700000000, StatsRollups1763700000300]);
    await before.runMigrations();
    const insert = `INSERT INTO stats_rollups (grain, bucket, upstream_id, key_id, model, client_key_id, status_class, requests, success, total_tokens, latency_max, lat_b03)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    await before.query(insert, ['h', 3_600_000, 'up-1', 'key-1', 'gpt-4o', '', '2xx', 3, 3, 30, 90, 3]);
    await before.query(insert, [
      'h',
      3_600_000,
      'up-1',
      'key-2',
      'gpt-4o',
      'client-a',
      '429',
      2,
      0,
      0,
      50,
      2,
    ]);
    await before.query(insert, ['d', 0, 'up-1', 'key-2', 'gpt-4o', 'client-a', '429', 2, 0, 0, 50, 2]);
    await before.query(
      `INSERT INTO request_logs (ts, request_id, method, path, format, attempts, status, outcome, latency_ms, error)
       VALUES (1, 'r1', 'POST', '/v1/chat/completions', 'openai', '[]', 502, 'upstream_error', 10, 'Upstream Exploded')`,
    );
    await before.destroy();

    const after = await open([
      InitialSchema1763700000000,
      StatsRollups1763700000300,
      DimensionRollupsAndLogSearch1763700000310,
    ]);
    await after.runMigrations({ transaction: 'each' });
    const dims = await after.query<
      Array<{
        grain: string;
        dim: string;
        value: string;
        requests: number;
        latency_max: number;
        lat_b03: number;
      }>
    >(
      `SELECT grain, dim, value, requests, latency_max, lat_b03 FROM stats_dim_rollups WHERE grain = 'h' ORDER BY dim, value`,
    );
    expect(dims.map((d) => [d.dim, d.value, d.requests])).toEqual([
      ['all', '', 5],
      ['client', '', 3],
      ['client', 'client-a', 2],
      ['key', 'key-1', 3],
      ['key', 'key-2', 2],
      ['model', 'gpt-4o', 5],
      ['status', '2xx', 3],
      ['status', '429', 2],
      ['upstream', 'up-1', 5],
    ]);
    expect(dims.find((d) => d.dim === 'all')).toMatchObject({ latency_max: 90, lat_b03: 5 });
    expect(
      await after.query(`SELECT rowid FROM request_logs_search WHERE request_logs_search MATCH '"exploded"'`),
    ).toEqual([{ rowid: 1 }]);
    await after.destroy();
  });
});
