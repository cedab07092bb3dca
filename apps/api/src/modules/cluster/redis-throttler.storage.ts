import { Injectable } from '@nestjs/common';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { RedisConnection } from './redis-connection.service';
import { THROTTLE_HIT } from './redis-scripts';

/**
 * `@nestjs/throttler` storage shared by all replicas (login attempts per IP count cluster-wide).
 * While Redis is unreachable the replica counts locally, so throttling weakens but never fails a request.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly local = new ThrottlerStorageService();

  constructor(private readonly redis: RedisConnection) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const client = this.redis.client;
    if (client && this.redis.isUp()) {
      try {
        const base = this.redis.key('throttle', throttlerName, key);
        const [hits, ttlLeft, blocked, blockLeft] = (await client.eval(
          THROTTLE_HIT,
          2,
          `${base}:hits`,
          `${base}:block`,
          ttl,
          limit,
          blockDuration,
        )) as [number, number, number, number];
        return {
          totalHits: hits,
          timeToExpire: Math.ceil(ttlLeft / 1000),
          isBlocked: blocked === 1,
          timeToBlockExpire: blocked === 1 ? Math.ceil(blockLeft / 1000) : 0,
        };
      } catch {
        // Fall through to local counting for this hit.
      }
    }
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }
}
