import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { RedisConnection } from './redis-connection.service';

/** What changed on some replica; receivers reload the matching cache. */
export type ClusterTopic = 'pool' | 'settings' | 'client-keys' | 'stats-reset';

interface BusMessage {
  origin: string;
  topic: ClusterTopic;
}

type Handler = () => void | Promise<void>;

/**
 * Cross-replica change notifications over Redis pub/sub. Messages carry only a topic, never data: the
 * receiver reloads from the database, which stays the source of truth. A replica ignores its own
 * messages (no echo loops). When the link comes back after an outage every handler runs once, because
 * messages published meanwhile were lost.
 */
@Injectable()
export class ClusterBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClusterBus.name);
  /** Identifies this process on the bus. */
  readonly instanceId = randomUUID();
  private readonly handlers = new Map<ClusterTopic, Set<Handler>>();
  private subscriber: Redis | null = null;
  private readonly channel: string;
  private wasDown = false;

  constructor(private readonly redis: RedisConnection) {
    this.channel = redis.key('changes');
  }

  onModuleInit(): void {
    this.subscriber = this.redis.duplicate('keypool-bus');
    if (!this.subscriber) {
      return;
    }
    this.subscriber.on('message', (_channel: string, raw: string) => this.receive(raw));
    // Offline commands are refused (see RedisConnection), so subscribe on every ready, not once up front.
    this.subscriber.on('ready', () => {
      this.subscriber?.subscribe(this.channel).catch(() => undefined);
    });
    this.subscriber.on('error', () => undefined);
    // Not connected yet (or Redis down at boot): resync once when the link comes up, since anything
    // published before that was missed.
    this.wasDown = !this.redis.isUp();
    this.redis.onStateChange((state) => {
      if (state === 'down') {
        this.wasDown = true;
      } else if (this.wasDown) {
        this.wasDown = false;
        this.runAll();
      }
    });
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
    this.handlers.clear();
  }

  /** Runs `handler` when another replica publishes `topic`. Returns an unsubscribe function. */
  on(topic: ClusterTopic, handler: Handler): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Tells the other replicas that `topic` changed. Fire and forget: a lost message only delays them. */
  publish(topic: ClusterTopic): void {
    const client = this.redis.client;
    if (!client || !this.redis.isUp()) {
      return;
    }
    const message: BusMessage = { origin: this.instanceId, topic };
    client.publish(this.channel, JSON.stringify(message)).catch(() => undefined);
  }

  private receive(raw: string): void {
    let message: BusMessage;
    try {
      message = JSON.parse(raw) as BusMessage;
    } catch {
      return;
    }
    if (message.origin === this.instanceId) {
      return;
    }
    this.run(message.topic);
  }

  private runAll(): void {
    for (const topic of this.handlers.keys()) {
      this.run(topic);
    }
  }

  private run(topic: ClusterTopic): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      Promise.resolve()
        .then(handler)
        .catch((error: unknown) =>
          this.logger.warn(`reload after '${topic}' change failed: ${(error as Error).message}`),
        );
    }
  }
}
