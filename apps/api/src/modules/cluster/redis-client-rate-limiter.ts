import { ClientRateLimiter, type RateDecision } from '../client-keys/client-rate-limiter';
import { RedisConnection } from './redis-connection.service';
import { RedisSlidingWindow } from './redis-sliding-window';

const WINDOW_MS = 60_000;

/**
 * Client-key requests-per-minute counted across all replicas: an exact sliding window per client in
 * Redis, checked and taken atomically. While Redis is unreachable each replica counts locally (the
 * inherited in-memory window), so a client is limited per replica rather than refused or let through.
 */
export class RedisClientRateLimiter extends ClientRateLimiter {
  private readonly window: RedisSlidingWindow;

  constructor(private readonly redis: RedisConnection) {
    super();
    this.window = new RedisSlidingWindow(redis, 'client');
  }

  override async hit(id: string, limit: number): Promise<RateDecision> {
    if (this.redis.isUp()) {
      try {
        const result = await this.window.take([{ key: windowKey(id), limit, windowMs: WINDOW_MS }]);
        return {
          allowed: result.allowed,
          retryAfterSeconds: result.allowed ? 0 : Math.max(1, Math.ceil(result.retryAfterMs / 1000)),
        };
      } catch {
        // Redis went away mid-call: count this hit locally.
      }
    }
    return super.hit(id, limit);
  }

  override reset(id: string): void {
    super.reset(id);
    if (this.redis.isUp()) {
      this.window.clear(windowKey(id)).catch(() => undefined);
    }
  }
}

function windowKey(clientKeyId: string): string {
  return `client-rpm:${clientKeyId}`;
}
