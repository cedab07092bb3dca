import { randomUUID } from 'node:crypto';
import { RedisConnection } from './redis-connection.service';
import { SLIDING_WINDOW_COUNT, SLIDING_WINDOW_TAKE } from './redis-scripts';

/** One limit to check: at most `limit` hits per `windowMs` under `key`. */
export interface WindowLimit {
  key: string;
  limit: number;
  windowMs: number;
}

export interface TakeResult {
  allowed: boolean;
  /** When refused: how long until one unit frees up in the tightest window. */
  retryAfterMs: number;
}

/** Makes hit members unique across replicas (pids repeat across containers). */
const INSTANCE = randomUUID();
let sequence = 0;

/**
 * Shared sliding-window counters on Redis. `take` is atomic over all given windows, so the limit holds
 * across every replica. Throws when Redis is unreachable: callers fall back to their local counters.
 */
export class RedisSlidingWindow {
  constructor(
    private readonly redis: RedisConnection,
    private readonly memberPrefix: string,
  ) {}

  async take(limits: readonly WindowLimit[]): Promise<TakeResult> {
    const client = this.requireClient();
    const args: Array<string | number> = [`${this.memberPrefix}:${INSTANCE}:${++sequence}`];
    for (const l of limits) {
      args.push(l.limit, l.windowMs);
    }
    const [allowed, wait] = (await client.eval(
      SLIDING_WINDOW_TAKE,
      limits.length,
      ...limits.map((l) => this.redis.key(l.key)),
      ...args,
    )) as [number, number, number];
    return { allowed: allowed === 1, retryAfterMs: Math.max(0, Math.ceil(wait)) };
  }

  async count(key: string, windowMs: number): Promise<number> {
    const client = this.requireClient();
    const [count] = (await client.eval(SLIDING_WINDOW_COUNT, 1, this.redis.key(key), windowMs)) as [
      number,
      number,
    ];
    return count;
  }

  /** Forgets a window (e.g. a client key was deleted). */
  async clear(key: string): Promise<void> {
    await this.requireClient().del(this.redis.key(key));
  }

  private requireClient() {
    if (!this.redis.client || !this.redis.isUp()) {
      throw new RedisUnavailableError();
    }
    return this.redis.client;
  }
}

/** Redis is configured but not reachable right now. */
export class RedisUnavailableError extends Error {
  constructor() {
    super('Redis is unreachable');
  }
}
