import { OutcomeClass, type Settings } from '@keypool/shared';
import { SchedulerRegistry, ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import type { HttpAdapterHost } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVERS, openTestDatabase } from '../../../test/support/test-database';
import type { AppConfig } from '../../config/app-config';
import type { KeyStateReader } from '../balancer/key-state.reader';
import type { PoolCatalog } from '../keys/pool-catalog.service';
import type { SettingsService } from '../settings/settings.service';
import { DEFAULT_SETTINGS } from '../settings/settings.defaults';
import { StatsRepository } from '../stats/stats.repository';
import { StatsService } from '../stats/stats.service';
import { LiveCounters } from './live-counters';
import { LogWriter } from './log-writer.service';
import { LogsRepository } from './logs.repository';
import { LogsScheduler, RETENTION_JOB } from './logs.scheduler';
import { LogsService } from './logs.service';
import type { RequestOutcome } from './request-outcome';
import { createLogSqlExecutor } from './store/log-sql-executor';
import { LogStore } from './store/log-store';

const OUTCOMES = [
  { outcome: OutcomeClass.Success, status: 200 },
  { outcome: OutcomeClass.RateLimited, status: 429 },
  { outcome: OutcomeClass.KeyInvalid, status: 401 },
  { outcome: OutcomeClass.UpstreamError, status: 502 },
  { outcome: OutcomeClass.ClientCancel, status: 499 },
] as const;

function outcomeFor(i: number, now: number): RequestOutcome {
  const kind = OUTCOMES[i % OUTCOMES.length];
  const success = kind.outcome === OutcomeClass.Success;
  return {
    startedAt: now - (i % 50) * 60_000 - 1000,
    requestId: `req-${i}`,
    clientKeyId: i % 3 === 0 ? 'client-a' : null,
    method: 'POST',
    path: '/v1/chat/completions',
    format: 'openai',
    modelRequested: i % 2 === 0 ? 'gpt-4o-mini' : 'gpt-4o',
    modelResolved: null,
    upstreamId: 'up-1',
    keyId: `key-${i % 4}`,
    attempts: [
      {
        keyId: `key-${i % 4}`,
        upstreamId: 'up-1',
        outcome: kind.outcome,
        status: kind.status,
        durationMs: 10,
      },
    ],
    status: kind.status,
    outcome: kind.outcome,
    stream: i % 2 === 1,
    latencyMs: 20 + (i % 300),
    ttfbMs: success ? 10 + (i % 100) : null,
    promptTokens: success ? 10 : null,
    completionTokens: success ? 5 : null,
    totalTokens: success ? 15 : null,
    cachedTokens: null,
    reasoningTokens: null,
    error: success ? null : `upstream said ${kind.status} 100%_done`,
    clientIp: '127.0.0.1',
    requestBody: '{"x":"' + 'y'.repeat(100) + '"}',
    responseBody: null,
  };
}

describe.each(TEST_DRIVERS)(`${LogWriter.name} on %s`, (driver) => {
  let drop: () => Promise<void>;
  let dataSource: DataSource;
  let store: LogStore;
  let writer: LogWriter;
  let logs: LogsService;
  let stats: StatsService;
  const settings: Settings = { ...DEFAULT_SETTINGS, bodyLogging: 'errors', bodyLogMaxBytes: 32 };
  const now = Date.now();
  /** Raw SQL written with `?` placeholders, numbered for Postgres. */
  const rows = <T>(sql: string, params: unknown[] = []) => {
    let n = 0;
    const text = driver === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql;
    return dataSource.query<T[]>(text, params);
  };
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await rows<{ n: number }>(sql, params))[0]?.n);

  beforeAll(async () => {
    ({ dataSource, drop } = await openTestDatabase(driver));
    store = new LogStore(createLogSqlExecutor(dataSource));
    const settingsService = {
      current: () => settings,
      onChange: () => () => undefined,
    } as unknown as SettingsService;
    writer = new LogWriter(
      store,
      settingsService,
      new LiveCounters(),
      { log: { format: 'text' } } as AppConfig,
      { httpAdapter: undefined } as unknown as HttpAdapterHost,
    );
    logs = new LogsService(new LogsRepository(dataSource), store, settingsService);
    const catalog = { snapshot: () => ({ upstreams: [], keysById: new Map(), upstreamsById: new Map() }) };
    stats = new StatsService(
      new StatsRepository(dataSource),
      catalog as unknown as PoolCatalog,
      {} as KeyStateReader,
    );
    stats.now = () => now;
  });

  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('should write every recorded request exactly once, in batches, with truncated bodies', async () => {
    for (let i = 0; i < 2500; i++) {
      writer.record(outcomeFor(i, now));
    }
    writer.recordKeyEvent({
      keyId: 'key-1',
      upstreamId: 'up-1',
      type: 'cooldown_started',
      message: 'rate limited',
    });
    expect(writer.state().bufferedRows).toBe(2500);
    await writer.flush();
    expect(writer.state()).toMatchObject({
      bufferedRows: 0,
      bufferedEvents: 0,
      writtenRows: 2500,
      droppedRows: 0,
    });
    expect(await count('SELECT COUNT(*) AS n FROM request_logs')).toBe(2500);
    const failed = await logs.get(2);
    expect(Buffer.byteLength(failed.requestBody ?? '')).toBeLessThanOrEqual(32);
    const ok = await logs.get(1);
    expect(ok.requestBody).toBeNull();
  });

  it('should page newest first with filters and treat search text literally', async () => {
    const first = await logs.list({ limit: 10, statusClass: '429' });
    expect(first.items).toHaveLength(10);
    expect(first.items.every((r) => r.status === 429)).toBe(true);
    const second = await logs.list({ limit: 10, statusClass: '429', cursor: first.nextCursor! });
    expect(Number(second.items[0].id)).toBeLessThan(Number(first.items[9].id));
    const literal = await logs.list({ search: '100%_done', limit: 200 });
    expect(literal.items.length).toBeGreaterThan(0);
    expect((await logs.list({ search: '100%x' })).items).toHaveLength(0);
    const cancelled = await logs.list({ statusClass: 'cancelled', limit: 200 });
    expect(cancelled.items.every((r) => r.outcome === OutcomeClass.ClientCancel)).toBe(true);
  });

  it('should search path, model and error case-insensitively, as a substring, like a scan would', async () => {
    const scan = (pattern: string) =>
      count(
        `SELECT COUNT(*) AS n FROM request_logs WHERE LOWER(path) LIKE ? OR LOWER(model_requested) LIKE ? OR LOWER(error) LIKE ?`,
        [pattern, pattern, pattern],
      );
    const found = async (search: string) => (await logs.list({ search, limit: 200 })).items;
    for (const [search, pattern] of [
      ['UPSTREAM SAID 429', '%upstream said 429%'],
      ['4o-mini', '%4o-mini%'],
      ['chat/compl', '%chat/compl%'],
      ['id 50', '%id 50%'],
      // Under three characters: a scan of the newest rows, still case-insensitive.
      ['SA', '%sa%'],
      ['4O', '%4o%'],
    ] as const) {
      const expected = Math.min(await scan(pattern), 200);
      expect(expected, search).toBeGreaterThan(0);
      expect((await found(search)).length, search).toBe(expected);
    }
    // Query syntax in the text is just text; two characters fall back to a scan.
    expect(await found('say "hi" OR *')).toHaveLength(0);
    expect(await found('x" OR "y')).toHaveLength(0);
    expect((await found('4o')).length).toBe(200);
    const page = await found('said 502');
    expect(page.every((r) => r.error?.includes('said 502'))).toBe(true);
  });

  it('should answer stats from rollups that agree with the raw rows', async () => {
    const summary = await stats.summary({ range: '24h' });
    const [counted] = await rows<Record<string, string | number>>(
      `SELECT COUNT(*) AS requests, SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS success,
              SUM(CASE WHEN outcome = 'client_cancel' THEN 1 ELSE 0 END) AS cancelled,
              SUM(COALESCE(total_tokens, 0)) AS tokens FROM request_logs WHERE ts >= ? AND ts < ?`,
      [Date.parse(summary.from), Date.parse(summary.to)],
    );
    const raw = Object.fromEntries(Object.entries(counted).map(([k, v]) => [k, Number(v)]));
    expect(summary.requests).toBe(raw.requests);
    expect(summary.success).toBe(raw.success);
    expect(summary.cancelled).toBe(raw.cancelled);
    expect(summary.totalTokens).toBe(raw.tokens);
    expect(summary.errorRate).toBeCloseTo(
      (raw.requests - raw.cancelled - raw.success) / (raw.requests - raw.cancelled),
    );
    const series = await stats.timeseries({ range: '1h', groupBy: 'status' });
    const rawHour = await count('SELECT COUNT(*) AS n FROM request_logs WHERE ts >= ? AND ts < ?', [
      Date.parse(series.from),
      Date.parse(series.to),
    ]);
    expect(series.points.reduce((sum, p) => sum + p.requests, 0)).toBe(rawHour);
  });

  it('should delete exactly the rows older than the retention limit', async () => {
    const old = now - 40 * 86_400_000;
    for (let i = 0; i < 120; i++) {
      writer.record({
        ...outcomeFor(i, now),
        startedAt: old - i,
        error: i % 2 ? 'ancient-marker' : null,
        path: '/v1/ancient-path',
        modelRequested: 'ancient-model',
      });
    }
    writer.recordKeyEvent({ keyId: 'key-1', upstreamId: 'up-1', type: 'recovered', message: 'ok', at: old });
    await writer.flush();
    expect((await logs.list({ search: 'ancient-marker', limit: 200 })).items).toHaveLength(60);
    expect((await logs.list({ search: 'ANCIENT-PATH', limit: 200 })).items).toHaveLength(120);
    expect((await logs.list({ search: 'ent-mod', limit: 200 })).items).toHaveLength(120);
    const result = await logs.pruneExpired(now);
    expect(result).toEqual({ deletedLogs: 120, deletedEvents: 1 });
    // The search index forgets deleted rows with them, and the paths and models no row has any more.
    expect((await logs.list({ search: 'ancient' })).items).toHaveLength(0);
    if (driver === 'sqlite') {
      expect(await count(`SELECT COUNT(*) AS n FROM request_log_terms WHERE value LIKE 'ancient%'`)).toBe(0);
      expect(await count(`SELECT COUNT(*) AS n FROM request_log_terms`)).toBe(3);
    }
    expect(await count('SELECT COUNT(*) AS n FROM request_logs')).toBe(2500);
  });

  it('should store awkward text and values exactly, and make NUL and lone surrogates storable', async () => {
    const model = `it's "quoted" \\ back\\slash, 日本語, emoji 🚀, tab\tnewline\n`;
    writer.record({
      ...outcomeFor(0, now),
      requestId: 'awkward-1',
      modelRequested: model,
      error: `nul\u0000here, lone \ud800 surrogate`,
      latencyMs: 2_000_000_000,
      ttfbMs: null,
      stream: true,
    });
    writer.recordKeyEvent({
      keyId: 'key-awkward',
      upstreamId: null,
      type: 'invalidated',
      message: `quote ' and 🚀`,
      details: { status: 401, text: 'a "b"' },
    });
    await writer.flush();
    const [row] = await rows<{ id: number }>('SELECT id FROM request_logs WHERE request_id = ?', [
      'awkward-1',
    ]);
    const stored = await logs.get(Number(row.id));
    expect(stored).toMatchObject({
      modelRequested: model,
      error: 'nulhere, lone \uFFFD surrogate',
      latencyMs: 2_000_000_000,
      ttfbMs: null,
      stream: true,
      upstreamId: 'up-1',
      clientKeyId: 'client-a',
    });
    const events = await logs.listEvents({ keyId: 'key-awkward' });
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({
      upstreamId: null,
      type: 'invalidated',
      message: `quote ' and 🚀`,
      details: { status: 401, text: 'a "b"' },
    });
  });

  it('should find text shared by more distinct paths than a search looks up by value', async () => {
    for (let i = 0; i < 600; i++) {
      writer.record({ ...outcomeFor(i, now), path: `/v1/files/file-${i}`, error: null });
    }
    await writer.flush();
    const found = await logs.list({ search: 'V1/FILES/', limit: 200 });
    expect(found.items).toHaveLength(200);
    expect(found.items.every((r) => r.path.startsWith('/v1/files/'))).toBe(true);
    expect((await logs.list({ search: 'file-599' })).items.map((r) => r.path)).toEqual([
      '/v1/files/file-599',
    ]);
  });

  it('should register the daily retention job', async () => {
    const module = await Test.createTestingModule({
      imports: [ScheduleModule.forRoot()],
      providers: [
        LogsScheduler,
        { provide: LogsService, useValue: { pruneExpired: () => Promise.resolve() } },
      ],
    }).compile();
    await module.init();
    expect(module.get(SchedulerRegistry).getCronJob(RETENTION_JOB)).toBeDefined();
    await module.close();
  });
});
