import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type {
  BreakerRecord,
  Cooldown,
  HeaderBudget,
  HealthCounts,
  HealthSample,
  KeyStateStore,
  KeyStateView,
  ReleaseInput,
  Reservation,
  ReserveResult,
  StrategyCursor,
  UpstreamBackoff,
  UpstreamStateView,
} from '../balancer/key-state/key-state.store';
import type { MemoryKeyStateStore } from '../balancer/key-state/memory-key-state.store';
import { RedisConnection } from './redis-connection.service';
import { EXTEND_COOLDOWN, NOTE_UPSTREAM_FAILURE, RECORD_RESULT, RELEASE, RESERVE } from './key-state.scripts';

/** How long a half-open probe slot stays claimed if its holder dies without releasing it. */
const PROBE_TTL_MS = 120_000;

/** Key × model pairs kept for writing back after an outage (models come from traffic, so bounded). */
const UNSYNCED_MAX_ENTRIES = 10_000;

/** State changes broadcast to the other replicas so their local views follow within milliseconds. */
type StateEvent =
  | { t: 'cooldown'; key: string; model: string | null; cooldown: Cooldown }
  | { t: 'breaker'; key: string; breaker: BreakerRecord }
  | { t: 'budget'; key: string; budget: HeaderBudget }
  | { t: 'invalid'; key: string; invalid: boolean }
  | { t: 'clear'; key: string }
  | { t: 'backoff'; upstream: string; backoff: UpstreamBackoff };

/**
 * Key state shared by all replicas through Redis.
 *
 * Reads stay synchronous: they come from a local store (the in-memory implementation) that this class
 * keeps in step. Exact decisions go to Redis: `reserve` checks cooldowns, rpm/tpm/daily windows and the
 * probe slot in one Lua script, so replicas cannot over-spend a key together. Cooldowns, breaker,
 * budgets and invalid flags are written to Redis and broadcast on pub/sub, so every replica's local view
 * learns them at once; a refused reservation also teaches the local view the cooldown it hit.
 *
 * Redis unreachable: every call falls through to the local store (degraded but serving); cooldowns
 * learned meanwhile are written to Redis when it is back. Per-replica things stay local by design:
 * strategy cursors (round-robin is even per replica, hence even overall), affinity pins, in-flight
 * counts and the retry budget.
 */
export class RedisKeyStateStore implements KeyStateStore, OnModuleDestroy {
  private readonly logger = new Logger('RedisKeyState');
  private readonly origin = randomUUID();
  private readonly channel: string;
  private readonly probeTokens = new Map<string, string>();
  private subscriber: Redis | null = null;
  private sequence = 0;
  /**
   * Cooldowns this replica learned while Redis was unreachable, by key and model: written to Redis (and
   * broadcast) once it is back, so the other replicas stop sending to those keys too.
   */
  private readonly unsynced = new Map<string, { keyId: string; model: string | null; cooldown: Cooldown }>();
  private offStateChange: (() => void) | null = null;

  constructor(
    private readonly redis: RedisConnection,
    private readonly local: MemoryKeyStateStore,
    private readonly unsyncedMax = UNSYNCED_MAX_ENTRIES,
  ) {
    this.channel = redis.key('keystate');
  }

  /** Starts listening to the other replicas' state events, and to Redis coming back. */
  start(): void {
    this.offStateChange = this.redis.onStateChange((state) => {
      if (state === 'up') {
        void this.syncCooldowns();
      }
    });
    this.subscriber = this.redis.duplicate('keypool-keystate');
    if (!this.subscriber) {
      return;
    }
    this.subscriber.on('ready', () => {
      this.subscriber?.subscribe(this.channel).catch(() => undefined);
    });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, raw: string) => this.receive(raw));
  }

  stop(): void {
    this.offStateChange?.();
    this.offStateChange = null;
    this.subscriber?.disconnect();
    this.subscriber = null;
  }

  onModuleDestroy(): void {
    this.stop();
  }

  // ---- reads: local view ----

  view(keyId: string, now: number): KeyStateView {
    return this.local.view(keyId, now);
  }

  upstreamView(upstreamId: string, now: number): UpstreamStateView {
    return this.local.upstreamView(upstreamId, now);
  }

  cursor(scope: string): StrategyCursor {
    return this.local.cursor(scope);
  }

  affinityKey(value: string): string | null {
    return this.local.affinityKey(value);
  }

  totalInFlight(): number {
    return this.local.totalInFlight();
  }

  retriesInFlight(): number {
    return this.local.retriesInFlight();
  }

  // ---- exact check-and-act: Redis first, local as fallback ----

  async reserve(keyId: string, r: Reservation): Promise<ReserveResult> {
    const client = this.client();
    if (!client) {
      return this.local.reserve(keyId, r);
    }
    const token = `${this.origin}:${++this.sequence}`;
    let reply: Array<string | number>;
    // Least-busy and least-recently-used picks made while Redis answers must see this attempt.
    this.local.hold(keyId, r.now);
    try {
      reply = (await client.eval(
        RESERVE,
        7,
        this.k(keyId, 'invalid'),
        this.k(keyId, 'cd'),
        r.model === null ? this.k(keyId, 'cd', '-') : this.k(keyId, 'cd', 'm', r.model),
        this.k(keyId, 'rpm'),
        this.k(keyId, 'tpm'),
        this.k(keyId, 'day'),
        this.k(keyId, 'probe'),
        r.now,
        r.dayStart,
        r.rpmLimit ?? -1,
        r.tpmLimit ?? -1,
        r.dailyLimit ?? -1,
        r.probe ? 1 : 0,
        token,
        PROBE_TTL_MS,
      )) as Array<string | number>;
    } catch {
      return this.local.reserve(keyId, r);
    } finally {
      this.local.dropHold(keyId);
    }
    if (reply[0] === 1) {
      if (r.probe) {
        this.probeTokens.set(keyId, token);
      }
      // Bookkeeping only (in-flight, last used, local counters): Redis already decided.
      this.local.book(keyId, r);
      return { ok: true };
    }
    const reason = reply[1] as 'limit' | 'cooldown' | 'probe_taken' | 'invalid';
    const retryAt = Number(reply[2]);
    if (reason === 'cooldown') {
      this.learnCooldown(keyId, null, reply[3]);
      this.learnCooldown(keyId, r.model, reply[4]);
    } else if (reason === 'invalid') {
      this.local.setInvalid(keyId, true);
    }
    return { ok: false, reason, retryAt: retryAt >= 0 ? retryAt : null };
  }

  async release(keyId: string, input: ReleaseInput): Promise<void> {
    this.local.release(keyId, input);
    const token = this.probeTokens.get(keyId);
    this.probeTokens.delete(keyId);
    const client = this.client();
    if (!client || (!token && input.tokens <= 0)) {
      return;
    }
    await client
      .eval(
        RELEASE,
        2,
        this.k(keyId, 'probe'),
        this.k(keyId, 'tpm'),
        token ?? '',
        input.now,
        Math.round(input.tokens),
        `${this.origin}:${++this.sequence}`,
      )
      .catch(() => undefined);
  }

  async recordResult(keyId: string, sample: HealthSample): Promise<HealthCounts> {
    const localCounts = this.local.recordResult(keyId, sample);
    const client = this.client();
    if (!client) {
      return localCounts;
    }
    try {
      const [consecutiveFailures, windowFailures, windowTotal] = (await client.eval(
        RECORD_RESULT,
        1,
        this.k(keyId, 'health'),
        sample.now,
        sample.failure ? 1 : 0,
        sample.windowMs,
      )) as [number, number, number];
      return { consecutiveFailures, windowFailures, windowTotal };
    } catch {
      return localCounts;
    }
  }

  async extendCooldown(keyId: string, model: string | null, cooldown: Cooldown): Promise<Cooldown> {
    const merged = this.local.extendCooldown(keyId, model, cooldown);
    const client = this.client();
    if (!client) {
      this.keepUnsynced(keyId, model, merged);
      return merged;
    }
    try {
      const stored = (await client.eval(
        EXTEND_COOLDOWN,
        1,
        model === null ? this.k(keyId, 'cd') : this.k(keyId, 'cd', 'm', model),
        Date.now(),
        cooldown.until,
        encodeCooldown(cooldown),
      )) as string;
      const effective = decodeCooldown(stored) ?? merged;
      if (effective.until > merged.until) {
        this.local.extendCooldown(keyId, model, effective);
      }
      this.broadcast({ t: 'cooldown', key: keyId, model, cooldown: effective });
      return effective.until >= merged.until ? effective : merged;
    } catch {
      this.keepUnsynced(keyId, model, merged);
      return merged;
    }
  }

  private keepUnsynced(keyId: string, model: string | null, cooldown: Cooldown): void {
    const id = `${keyId}\u0000${model ?? ''}`;
    // Re-inserted so Map order is recency order: a long outage keeps the newest cooldowns within the bound.
    this.unsynced.delete(id);
    this.unsynced.set(id, { keyId, model, cooldown });
    if (this.unsynced.size > this.unsyncedMax) {
      const now = Date.now();
      for (const [entry, { cooldown: held }] of this.unsynced) {
        if (held.until <= now || this.unsynced.size > this.unsyncedMax) {
          this.unsynced.delete(entry);
        }
      }
    }
  }

  /** Writes the cooldowns learned during an outage that still run; one that fails again waits for the next. */
  private async syncCooldowns(): Promise<void> {
    const pending = [...this.unsynced.values()];
    this.unsynced.clear();
    const now = Date.now();
    for (const { keyId, model, cooldown } of pending) {
      if (cooldown.until > now) {
        await this.extendCooldown(keyId, model, cooldown);
      }
    }
  }

  setBreaker(keyId: string, breaker: BreakerRecord): void {
    this.local.setBreaker(keyId, breaker);
    this.broadcast({ t: 'breaker', key: keyId, breaker });
  }

  setBudget(keyId: string, budget: HeaderBudget): void {
    this.local.setBudget(keyId, budget);
    this.broadcast({ t: 'budget', key: keyId, budget });
  }

  async setInvalid(keyId: string, invalid: boolean): Promise<void> {
    this.local.setInvalid(keyId, invalid);
    const client = this.client();
    if (client) {
      const key = this.k(keyId, 'invalid');
      await (invalid ? client.set(key, '1') : client.del(key)).catch(() => undefined);
    }
    this.broadcast({ t: 'invalid', key: keyId, invalid });
  }

  async clearKey(keyId: string): Promise<void> {
    this.local.clearKey(keyId);
    const client = this.client();
    if (client) {
      const parts = ['invalid', 'cd', 'rpm', 'tpm', 'day', 'probe', 'health'];
      await client.del(...parts.map((p) => this.k(keyId, p))).catch(() => undefined);
      await this.deleteMatching(this.k(keyId, 'cd', 'm', '*'));
    }
    this.broadcast({ t: 'clear', key: keyId });
  }

  async noteUpstreamFailure(
    upstreamId: string,
    reason: UpstreamBackoff['reason'],
    keyId: string,
    now: number,
    windowMs: number,
  ): Promise<number> {
    const localCount = this.local.noteUpstreamFailure(upstreamId, reason, keyId, now, windowMs);
    const client = this.client();
    if (!client) {
      return localCount;
    }
    try {
      const count = (await client.eval(
        NOTE_UPSTREAM_FAILURE,
        1,
        this.redis.key('ks', 'up', upstreamId, 'fail', reason),
        now,
        keyId,
        windowMs,
      )) as number;
      return Math.max(count, localCount);
    } catch {
      return localCount;
    }
  }

  setUpstreamBackoff(upstreamId: string, backoff: UpstreamBackoff): void {
    this.local.setUpstreamBackoff(upstreamId, backoff);
    this.broadcast({ t: 'backoff', upstream: upstreamId, backoff });
  }

  setCursor(scope: string, cursor: StrategyCursor) {
    return this.local.setCursor(scope, cursor);
  }

  setAffinity(value: string, keyId: string) {
    return this.local.setAffinity(value, keyId);
  }

  tryStartRetry(limit: number) {
    return this.local.tryStartRetry(limit);
  }

  endRetry() {
    return this.local.endRetry();
  }

  onCapacity(listener: () => void): () => void {
    return this.local.onCapacity(listener);
  }

  // ---- internals ----

  private client(): Redis | null {
    return this.redis.isUp() ? this.redis.client : null;
  }

  private k(keyId: string, ...parts: string[]): string {
    // Hash tag keeps all of a key's state in one slot, should the Redis be a cluster.
    return this.redis.key('ks', `{${keyId}}`, ...parts);
  }

  private learnCooldown(keyId: string, model: string | null, raw: string | number | undefined): void {
    const cooldown = typeof raw === 'string' ? decodeCooldown(raw) : null;
    if (cooldown) {
      void this.local.extendCooldown(keyId, model, cooldown);
    }
  }

  private broadcast(event: StateEvent): void {
    const client = this.client();
    if (!client) {
      return;
    }
    client.publish(this.channel, JSON.stringify({ o: this.origin, e: event })).catch(() => undefined);
  }

  private receive(raw: string): void {
    let message: { o: string; e: StateEvent };
    try {
      message = JSON.parse(raw) as { o: string; e: StateEvent };
    } catch {
      return;
    }
    if (message.o === this.origin) {
      return;
    }
    try {
      this.apply(message.e);
    } catch (error) {
      this.logger.warn(`could not apply a key-state event: ${(error as Error).message}`);
    }
  }

  private apply(event: StateEvent): void {
    switch (event.t) {
      case 'cooldown':
        this.local.extendCooldown(event.key, event.model, event.cooldown);
        return;
      case 'breaker':
        this.local.setBreaker(event.key, event.breaker);
        return;
      case 'budget':
        this.local.setBudget(event.key, event.budget);
        return;
      case 'invalid':
        this.local.setInvalid(event.key, event.invalid);
        return;
      case 'clear':
        this.local.clearKey(event.key);
        return;
      case 'backoff':
        this.local.setUpstreamBackoff(event.upstream, event.backoff);
        return;
    }
  }

  private async deleteMatching(pattern: string): Promise<void> {
    const client = this.client();
    if (!client) {
      return;
    }
    try {
      let cursor = '0';
      for (let i = 0; i < 1000; i++) {
        const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
        if (keys.length > 0) {
          await client.del(...keys);
        }
        cursor = next;
        if (cursor === '0') {
          return;
        }
      }
    } catch {
      // Leftover per-model cooldowns expire on their own.
    }
  }
}

function encodeCooldown(c: Cooldown): string {
  return `${c.until}|${c.kind}|${c.explicit ? 1 : 0}`;
}

function decodeCooldown(raw: string): Cooldown | null {
  const [until, kind, explicit] = raw.split('|');
  if (!until || (kind !== 'rate_limited' && kind !== 'quota_exhausted')) {
    return null;
  }
  return { until: Number(until), kind, explicit: explicit === '1' };
}
