import { Gauge, type Registry } from 'prom-client';
import type { RedisConnection } from './redis-connection.service';

/**
 * Redis link gauges on the registry `/metrics` serves. Values are read at scrape time, so nothing is
 * updated on the request path.
 */
export function registerRedisMetrics(redis: RedisConnection, registry: Registry): void {
  for (const name of ['keypool_redis_up', 'keypool_redis_outages']) {
    if (registry.getSingleMetric(name)) {
      registry.removeSingleMetric(name);
    }
  }
  new Gauge({
    registers: [registry],
    name: 'keypool_redis_up',
    help: '1 when shared state in Redis is in use, 0 when degraded to local state, -1 when Redis is not configured',
    collect() {
      this.set(redis.isConfigured() ? (redis.isUp() ? 1 : 0) : -1);
    },
  });
  new Gauge({
    registers: [registry],
    name: 'keypool_redis_outages',
    help: 'Times the Redis link went down since this replica started',
    collect() {
      this.set(redis.degradedTransitions());
    },
  });
}
