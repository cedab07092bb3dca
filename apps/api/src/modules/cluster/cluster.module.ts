import { Global, Module, type OnModuleInit } from '@nestjs/common';
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
export class ClusterModule implements OnModuleInit {
  constructor(private readonly redis: RedisConnection) {}

  onModuleInit(): void {
    registerRedisMetrics(this.redis);
  }
}
