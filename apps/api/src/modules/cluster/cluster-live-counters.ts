import { Logger, type FactoryProvider, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { LiveCounters, type LiveTotals, type SecondSlot } from '../logs/live-counters';
import { ClusterBus } from './cluster-bus.service';
import { RedisConnection } from './redis-connection.service';

/** What one replica shares of its live counters, once per second. */
interface ReplicaSnapshot {
  at: number;
  totals: LiveTotals;
  requestsLastMinute: number;
  lastSecond: SecondSlot;
}

/** Snapshots older than this belong to replicas that stopped; they no longer count. */
const STALE_MS = 5000;
/** Publish shortly after each second boundary, so the snapshot's "last second" is the one readers want. */
const PHASE_MS = 150;

/**
 * Live counters (the dashboard's per-second figures and totals) summed over every replica.
 *
 * Each replica keeps counting locally (the parent class, no I/O on the request path) and, once a second,
 * writes its snapshot to a Redis hash and reads the others'. Reads stay synchronous: they add the peers'
 * latest snapshots (at most ~1 s old) to the local counts. A reset on one replica resets them all.
 * While Redis is unreachable the figures are this replica's own.
 */
export class ClusterLiveCounters extends LiveCounters implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClusterLiveCounters.name);
  private readonly instanceId = randomUUID();
  private peers = new Map<string, ReplicaSnapshot>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly redis: RedisConnection,
    private readonly bus: ClusterBus,
  ) {
    super();
  }

  onModuleInit(): void {
    this.unsubscribe = this.bus.on('stats-reset', () => super.reset());
    this.schedule();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.redis.client?.hdel(this.hashKey(), this.instanceId).catch(() => undefined);
  }

  override reset(): void {
    super.reset();
    this.peers.clear();
    this.bus.publish('stats-reset');
  }

  override currentTotals(): LiveTotals {
    const totals = super.currentTotals();
    for (const peer of this.livePeers()) {
      totals.requests += peer.totals.requests;
      totals.success += peer.totals.success;
      totals.failures += peer.totals.failures;
      totals.since = Math.min(totals.since, peer.totals.since);
    }
    return totals;
  }

  override requestsLastMinute(): number {
    let total = super.requestsLastMinute();
    for (const peer of this.livePeers()) {
      total += peer.requestsLastMinute;
    }
    return total;
  }

  override lastSecond(): SecondSlot {
    const slot = super.lastSecond();
    for (const peer of this.livePeers()) {
      if (peer.lastSecond.second === slot.second) {
        slot.requests += peer.lastSecond.requests;
        slot.success += peer.lastSecond.success;
        slot.errors += peer.lastSecond.errors;
        slot.tokens += peer.lastSecond.tokens;
        slot.latencySum += peer.lastSecond.latencySum;
      }
    }
    return slot;
  }

  /** Publishes this replica's snapshot and reads the others'. Exposed for tests. */
  async exchange(): Promise<void> {
    const client = this.redis.client;
    if (!client || !this.redis.isUp()) {
      this.peers.clear();
      return;
    }
    const own: ReplicaSnapshot = {
      at: this.now(),
      totals: super.currentTotals(),
      requestsLastMinute: super.requestsLastMinute(),
      lastSecond: super.lastSecond(),
    };
    const key = this.hashKey();
    const [, all] = await Promise.all([
      client.hset(key, this.instanceId, JSON.stringify(own)),
      client.hgetall(key),
    ]);
    const peers = new Map<string, ReplicaSnapshot>();
    const stale: string[] = [];
    for (const [id, raw] of Object.entries(all)) {
      if (id === this.instanceId) {
        continue;
      }
      const snapshot = JSON.parse(raw) as ReplicaSnapshot;
      if (own.at - snapshot.at > STALE_MS) {
        stale.push(id);
      } else {
        peers.set(id, snapshot);
      }
    }
    this.peers = peers;
    if (stale.length > 0) {
      await client.hdel(key, ...stale);
    }
  }

  private livePeers(): ReplicaSnapshot[] {
    const now = this.now();
    return [...this.peers.values()].filter((p) => now - p.at <= STALE_MS);
  }

  private hashKey(): string {
    return this.redis.key('live-counters');
  }

  private schedule(): void {
    if (this.stopped) {
      return;
    }
    const now = Date.now();
    const delay = 1000 - (now % 1000) + PHASE_MS;
    this.timer = setTimeout(() => {
      this.exchange()
        .catch((error: unknown) =>
          this.logger.debug(`live counter exchange failed: ${(error as Error).message}`),
        )
        .finally(() => this.schedule());
    }, delay);
    this.timer.unref();
  }
}

/** Binds `LiveCounters`: summed over replicas through Redis when `REDIS_URL` is set, local otherwise. */
export const liveCountersByConfig: FactoryProvider<LiveCounters> = {
  provide: LiveCounters,
  inject: [APP_CONFIG, RedisConnection, ClusterBus],
  useFactory: (config: AppConfig, redis: RedisConnection, bus: ClusterBus) =>
    config.redisUrl ? new ClusterLiveCounters(redis, bus) : new LiveCounters(),
};
