import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { HealthResponse } from '@keypool/shared';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { KeyStateReader } from '../balancer/key-state.reader';
import { ClientAuthService } from '../client-keys/client-auth.service';
import { PoolCatalog } from '../keys/pool-catalog.service';
import { emptyStatusCounts } from '../stats/live-status.service';
import { HealthChecks, type HealthCheck } from './health-checks.registry';

const CHECK_TIMEOUT_MS = 1500;

export interface HealthReport {
  ready: boolean;
  body: HealthResponse;
}

@Injectable()
export class HealthService {
  private readonly startedAt = Date.now();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly checks: HealthChecks,
    private readonly catalog: PoolCatalog,
    private readonly keyState: KeyStateReader,
    private readonly clientAuth: ClientAuthService,
  ) {}

  /** Ready = database reachable; Redis unreachable (when configured) only degrades. Keys are counted, never shown. */
  async report(): Promise<HealthReport> {
    const redisCheck = this.checks.get('redis');
    const [databaseOk, redisOk] = await Promise.all([
      withTimeout(() => this.dataSource.query('SELECT 1').then(() => true)),
      this.config.redisUrl && redisCheck ? withTimeout(redisCheck) : Promise.resolve(null),
    ]);
    const redisConfigured = Boolean(this.config.redisUrl);
    const keys = emptyStatusCounts();
    const upstreams = this.catalog.snapshot().upstreams.map((upstream) => {
      const counts = emptyStatusCounts();
      for (const key of upstream.keys) {
        const status = this.keyState.liveState(key).status;
        counts[status] += 1;
        keys[status] += 1;
      }
      return { id: upstream.id, name: upstream.name, format: upstream.format, keys: counts };
    });
    const redisDown = redisConfigured && redisOk !== true;
    // Without Redis, requests keep flowing on local state: degraded, yet ready. Answering 503 then would make
    // a load balancer take every replica out at once over an outage that does not stop any of them.
    const ready = databaseOk;
    return {
      ready,
      body: {
        status: !databaseOk ? 'down' : redisDown ? 'degraded' : 'ok',
        version: this.config.version,
        uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
        database: { ok: databaseOk, driver: this.config.database.driver },
        redis: { configured: redisConfigured, ok: redisConfigured ? redisOk === true : null },
        proxyOpen: this.clientAuth.isProxyOpen(),
        keys,
        upstreams,
      },
    };
  }
}

async function withTimeout(check: HealthCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
