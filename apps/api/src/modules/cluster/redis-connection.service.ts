import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

export type RedisLinkState = 'disabled' | 'up' | 'down';

/**
 * The replica's link to Redis, shared by every Redis-backed store.
 *
 * Commands never queue while Redis is away (`enableOfflineQueue: false`): they fail at once and the
 * caller falls back to local state, so a dead Redis costs a request nothing but consistency. The
 * client reconnects forever in the background; `state()` says which mode we are in and every
 * transition is logged exactly once.
 */
@Injectable()
export class RedisConnection implements OnModuleDestroy {
  private readonly logger = new Logger('Redis');
  private readonly listeners = new Set<(state: RedisLinkState) => void>();
  private linkState: RedisLinkState;
  private transitions = 0;
  private announced = false;
  private closing = false;
  private everUp = false;
  /** Commands (never blocked by a subscription). Null when Redis is not configured. */
  readonly client: Redis | null;
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.redisPrefix;
    if (!config.redisUrl) {
      this.client = null;
      this.linkState = 'disabled';
      return;
    }
    // Starts "down" until the first ready event so nothing trusts Redis before it answered.
    this.linkState = 'down';
    this.client = RedisConnection.open(config.redisUrl, 'keypool');
    this.client.on('ready', () => this.transition('up'));
    this.client.on('end', () => this.transition('down'));
    this.client.on('close', () => this.transition('down'));
    this.client.on('error', (error: Error) => {
      // ioredis emits one error per failed reconnect; the transition log already said we are degraded.
      this.logger.debug(`redis error: ${error.message}`);
      if (this.client?.status !== 'ready') {
        this.transition('down');
      }
    });
  }

  /** Connection options every keypool Redis client uses. */
  static options(name: string): RedisOptions {
    return {
      connectionName: name,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
      // Reconnect forever, quickly at first, then at most every 2 s so shared state resumes soon.
      retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
      enableReadyCheck: true,
    };
  }

  static open(url: string, name: string): Redis {
    return new Redis(url, RedisConnection.options(name));
  }

  /** A second connection (pub/sub needs its own); it follows the same options. */
  duplicate(name: string): Redis | null {
    return this.client ? this.client.duplicate(RedisConnection.options(name)) : null;
  }

  /** Prefixes a key or channel with this deployment's namespace. */
  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  isConfigured(): boolean {
    return this.client !== null;
  }

  /** True when shared state can be used right now. */
  isUp(): boolean {
    return this.linkState === 'up';
  }

  state(): RedisLinkState {
    return this.linkState;
  }

  /** How often the link went down since start (for /metrics). */
  degradedTransitions(): number {
    return this.transitions;
  }

  /** Called on every up/down transition (not on repeats). Returns an unsubscribe function. */
  onStateChange(listener: (state: RedisLinkState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Round-trip check for /health; never throws. */
  async ping(): Promise<boolean> {
    if (!this.client || this.client.status !== 'ready') {
      return false;
    }
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  onModuleDestroy(): void {
    this.closing = true;
    this.listeners.clear();
    this.client?.disconnect();
  }

  private transition(next: 'up' | 'down'): void {
    // `announced` lets a Redis that is down at boot be logged once too, although the state starts 'down'.
    if (this.closing || this.linkState === 'disabled' || (this.linkState === next && this.announced)) {
      return;
    }
    const changed = this.linkState !== next;
    this.linkState = next;
    this.announced = true;
    if (!changed) {
      this.logger.warn('Redis unreachable at start: degraded mode, using local key state until it answers');
      return;
    }
    if (next === 'down') {
      this.transitions++;
      this.logger.warn(
        'Redis unreachable: degraded mode, each replica uses its own local key state until it returns',
      );
    } else {
      if (this.everUp) {
        // Same level as the outage warning, so whoever saw one sees the other.
        this.logger.warn('Redis reachable again: shared key state resumed');
      } else {
        this.logger.log('Redis connected');
      }
      this.everUp = true;
    }
    for (const listener of this.listeners) {
      listener(next);
    }
  }
}
