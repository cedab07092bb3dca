import { describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import type { KeyStateReader } from '../balancer/key-state.reader';
import type { ClientAuthService } from '../client-keys/client-auth.service';
import type { PoolCatalog } from '../keys/pool-catalog.service';
import { HealthChecks } from './health-checks.registry';
import { HealthService } from './health.service';

interface Scenario {
  name: string;
  database: boolean;
  /** undefined = no REDIS_URL. */
  redis?: boolean | 'hangs';
  ready: boolean;
  status: 'ok' | 'degraded' | 'down';
  redisOk: boolean | null;
}

const SCENARIOS: Scenario[] = [
  { name: 'database up, no Redis', database: true, ready: true, status: 'ok', redisOk: null },
  { name: 'database and Redis up', database: true, redis: true, ready: true, status: 'ok', redisOk: true },
  {
    name: 'only Redis down: still ready',
    database: true,
    redis: false,
    ready: true,
    status: 'degraded',
    redisOk: false,
  },
  {
    name: 'Redis not answering in time: still ready',
    database: true,
    redis: 'hangs',
    ready: true,
    status: 'degraded',
    redisOk: false,
  },
  { name: 'database down', database: false, ready: false, status: 'down', redisOk: null },
  {
    name: 'database and Redis down',
    database: false,
    redis: false,
    ready: false,
    status: 'down',
    redisOk: false,
  },
];

function serviceFor(scenario: Scenario): HealthService {
  const dataSource = {
    query: () =>
      scenario.database ? Promise.resolve([{ 1: 1 }]) : Promise.reject(new Error('ECONNREFUSED')),
  } as unknown as DataSource;
  const config = {
    version: '1.2.3',
    database: { driver: 'postgres', url: 'postgres://db' },
    redisUrl: scenario.redis === undefined ? undefined : 'redis://cache:6379',
  } as AppConfig;
  const checks = new HealthChecks();
  if (scenario.redis !== undefined) {
    const redis = scenario.redis;
    checks.register('redis', () =>
      redis === 'hangs'
        ? new Promise<boolean>(() => undefined)
        : redis
          ? Promise.resolve(true)
          : Promise.reject(new Error('down')),
    );
  }
  const catalog = { snapshot: () => ({ upstreams: [] }) } as unknown as PoolCatalog;
  const clientAuth = { isProxyOpen: () => false } as unknown as ClientAuthService;
  return new HealthService(dataSource, config, checks, catalog, {} as KeyStateReader, clientAuth);
}

describe(HealthService.name, () => {
  it.each(SCENARIOS)('should report $name', async (scenario) => {
    const report = await serviceFor(scenario).report();
    expect(report.ready).toBe(scenario.ready);
    expect(report.body.status).toBe(scenario.status);
    expect(report.body.database.ok).toBe(scenario.database);
    expect(report.body.redis).toEqual({ configured: scenario.redis !== undefined, ok: scenario.redisOk });
  });
});
