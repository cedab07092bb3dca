import { Global, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthChecks } from '../health/health-checks.registry';
import { MetricsService } from '../metrics/metrics.service';
import { ClusterBus } from './cluster-bus.service';
import { registerRedisMetrics } from './cluster-metrics';
import { ClusterSync } from './cluster-sync.service';
import { RedisConnection } from './redis-connection.service';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * Everything that makes several replicas act as one gateway: the Redis link (with degraded mode), the
 * change bus that keeps caches in step, and the Redis-backed stores other modules select by config.
 * Without `REDIS_URL` all of it is inert and each store stays in memory.
 */
@Global()
@Module({
  providers: [RedisConnection, ClusterBus, ClusterSync, RedisThrottlerStorage],
  exports: [RedisConnection, ClusterBus, RedisThrottlerStorage],
})
export class ClusterModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(ClusterModule.name);

  constructor(
    private readonly redis: RedisConnection,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Reports the Redis link in /health and /metrics (looked up, not imported, to keep module edges one-way). */
  onApplicationBootstrap(): void {
    const checks = this.lookup(HealthChecks);
    if (this.redis.isConfigured()) {
      checks?.register('redis', () => this.redis.ping());
    }
    const metrics = this.lookup(MetricsService);
    if (metrics) {
      registerRedisMetrics(this.redis, metrics.registry);
    } else {
      this.logger.warn('no metrics registry found: Redis link gauges are not exported');
    }
  }

  private lookup<T>(token: abstract new (...args: never[]) => T): T | null {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return null;
    }
  }
}
