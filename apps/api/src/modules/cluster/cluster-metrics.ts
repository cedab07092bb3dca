import { Gauge, register } from 'prom-client';
import type { RedisConnection } from './redis-connection.service';

/**
 * Redis link gauges on the default prom-client registry (the one `/metrics` serves). Values are read at
 * scrape time, so nothing is updated on the request path.
 */
export function registerRedisMetrics(redis: RedisConnection): void {
  const existingUp = register.getSingleMetric('keypool_redis_up');
  const existingDown = register.getSingleMetric('keypool_redis_outages');
  if (existingUp) {
    register.removeSingleMetric('keypool_redis_up');
  }
  if (existingDown) {
    register.removeSingleMetric('keypool_redis_outages');
  }
  new Gauge({
    name: 'keypool_redis_up',
    help: '1 when shared state in Redis is in use, 0 when degraded to local state, -1 when Redis is not configured',
    collect() {
      this.set(redis.isConfigured() ? (redis.isUp() ? 1 : 0) : -1);
    },
  });
  new Gauge({
    name: 'keypool_redis_outages',
    help: 'Times the Redis link went down since this replica started',
    collect() {
      this.set(redis.degradedTransitions());
    },
  });
}
