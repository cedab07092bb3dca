import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKeyStateStore } from '../balancer/key-state/memory-key-state.store';
import type { Reservation } from '../balancer/key-state/key-state.store';
import { RedisConnection } from './redis-connection.service';
import { RedisKeyStateStore } from './redis-key-state.store';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import {
  REDIS_SKIP_NOTE,
  TEST_REDIS_URL,
  dropPrefix,
  eventually,
  openTestConnection,
} from './cluster.test-support';

const reservation = (now: number, extra: Partial<Reservation> = {}): Reservation => ({
  now,
  dayStart: 0,
  rpmLimit: null,
  tpmLimit: null,
  dailyLimit: null,
  model: null,
  probe: false,
  ...extra,
});

describe.skipIf(!TEST_REDIS_URL)(`${RedisKeyStateStore.name} on a real Redis${REDIS_SKIP_NOTE}`, () => {
  const prefix = `kp-spec:${randomUUID()}:`;
  let connA: RedisConnection;
  let connB: RedisConnection;
  let a: RedisKeyStateStore;
  let b: RedisKeyStateStore;

  beforeAll(async () => {
    connA = openTestConnection(prefix);
    connB = openTestConnection(prefix);
    await eventually(() => connA.isUp() && connB.isUp());
    a = new RedisKeyStateStore(connA, new MemoryKeyStateStore());
    b = new RedisKeyStateStore(connB, new MemoryKeyStateStore());
    a.start();
    b.start();
    // Let both subscribers attach before events are published.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  afterAll(async () => {
    a.stop();
    b.stop();
    await dropPrefix(connA);
    connA.onModuleDestroy();
    connB.onModuleDestroy();
  });

  it('should never let two replicas together exceed a key rpm limit', async () => {
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        (i % 2 ? a : b).reserve('rpm-key', reservation(now, { rpmLimit: 60 })),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(60);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, reason: 'limit' });
  });

  it('should count a reservation in flight while Redis decides on it, and once after', async () => {
    const now = Date.now();
    const pending = a.reserve('held-key', reservation(now, { rpmLimit: 1 }));
    expect(a.view('held-key', now).inFlight).toBe(1);
    expect(await pending).toMatchObject({ ok: true });
    expect(a.view('held-key', now).inFlight).toBe(1);
    const refused = a.reserve('held-key', reservation(now, { rpmLimit: 1 }));
    expect(a.view('held-key', now).inFlight).toBe(2);
    expect(await refused).toMatchObject({ ok: false, reason: 'limit' });
    expect(a.view('held-key', now).inFlight).toBe(1);
  });

  it('should count an attempt Redis granted even when the local store has learned a cooldown since', async () => {
    const now = Date.now();
    const local = new MemoryKeyStateStore();
    const store = new RedisKeyStateStore(connA, local);
    // Only this replica's memory knows the cooldown (a 429 it saw a moment ago); Redis has none.
    local.extendCooldown('raced-key', null, { until: now + 3000, kind: 'rate_limited', explicit: true });
    expect(await store.reserve('raced-key', reservation(now))).toEqual({ ok: true });
    const view = store.view('raced-key', now);
    expect(view.requestsToday).toBe(1);
    expect(view.inFlight).toBe(1);
  });

  it('should keep a key cooled by one replica out of the other replica', async () => {
    const now = Date.now();
    await a.extendCooldown('cool-key', null, { until: now + 3000, kind: 'rate_limited', explicit: true });
    await eventually(() => (b.view('cool-key', Date.now()).cooldown?.until ?? 0) >= now + 3000, 1000);
    expect(await b.reserve('cool-key', reservation(Date.now()))).toMatchObject({
      ok: false,
      reason: 'cooldown',
    });
  });

  it('should teach a replica that missed the broadcast the cooldown it hit', async () => {
    const now = Date.now();
    const connC = openTestConnection(prefix);
    await eventually(() => connC.isUp());
    const c = new RedisKeyStateStore(connC, new MemoryKeyStateStore());
    await a.extendCooldown('late-key', 'gpt-x', {
      until: now + 5000,
      kind: 'quota_exhausted',
      explicit: false,
    });
    const result = await c.reserve('late-key', reservation(now, { model: 'gpt-x' }));
    expect(result).toEqual({ ok: false, reason: 'cooldown', retryAt: now + 5000 });
    expect(c.view('late-key', now).modelCooldowns.get('gpt-x')).toEqual({
      until: now + 5000,
      kind: 'quota_exhausted',
      explicit: false,
    });
    connC.onModuleDestroy();
  });

  it('should never shorten a cooldown another replica set', async () => {
    const now = Date.now();
    await a.extendCooldown('long-key', null, { until: now + 10_000, kind: 'rate_limited', explicit: true });
    const merged = await b.extendCooldown('long-key', null, {
      until: now + 1000,
      kind: 'rate_limited',
      explicit: true,
    });
    expect(merged.until).toBe(now + 10_000);
  });

  it('should admit exactly one half-open probe across replicas until it is released', async () => {
    const now = Date.now();
    const [first, second] = await Promise.all([
      a.reserve('probe-key', reservation(now, { probe: true })),
      b.reserve('probe-key', reservation(now, { probe: true })),
    ]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    const holder = first.ok ? a : b;
    const other = first.ok ? b : a;
    await holder.release('probe-key', { now, tokens: 0, latencyMs: null });
    expect(await other.reserve('probe-key', reservation(now, { probe: true }))).toEqual({ ok: true });
  });

  it('should count a daily limit across replicas and reset it on a new day', async () => {
    const now = Date.now();
    const day = { dailyLimit: 3, dayStart: now - 1000 };
    const taken = [];
    for (let i = 0; i < 5; i++) {
      taken.push((await (i % 2 ? a : b).reserve('day-key', reservation(now, day))).ok);
    }
    expect(taken).toEqual([true, true, true, false, false]);
    expect(await a.reserve('day-key', reservation(now, { dailyLimit: 3, dayStart: now }))).toEqual({
      ok: true,
    });
  });

  it('should refuse a key over its tokens-per-minute limit from either replica', async () => {
    const now = Date.now();
    expect(await a.reserve('tpm-key', reservation(now, { tpmLimit: 100 }))).toEqual({ ok: true });
    await a.release('tpm-key', { now, tokens: 150, latencyMs: 20 });
    expect(await b.reserve('tpm-key', reservation(now, { tpmLimit: 100 }))).toMatchObject({
      ok: false,
      reason: 'limit',
    });
  });

  it('should share health counters so a breaker sees failures from every replica', async () => {
    const now = Date.now();
    await a.recordResult('flaky-key', { now, failure: true, windowMs: 60_000 });
    const counts = await b.recordResult('flaky-key', { now, failure: true, windowMs: 60_000 });
    expect(counts).toEqual({ consecutiveFailures: 2, windowFailures: 2, windowTotal: 2 });
  });

  it('should propagate invalid flags and clears to the other replica', async () => {
    await a.setInvalid('bad-key', true);
    expect(await b.reserve('bad-key', reservation(Date.now()))).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    await a.clearKey('bad-key');
    await eventually(() => !b.view('bad-key', Date.now()).invalid, 1000);
    expect(await b.reserve('bad-key', reservation(Date.now()))).toEqual({ ok: true });
  });
});

describe(`${RedisKeyStateStore.name} without a reachable Redis`, () => {
  it('should serve from local state', async () => {
    // Port 1 refuses connections at once: the store must fall back, never throw.
    const conn = openTestConnection('kp-spec-dead:', 'redis://127.0.0.1:1');
    const store = new RedisKeyStateStore(conn, new MemoryKeyStateStore());
    const now = Date.now();
    expect(await store.reserve('k', reservation(now, { rpmLimit: 1 }))).toEqual({ ok: true });
    expect(await store.reserve('k', reservation(now, { rpmLimit: 1 }))).toMatchObject({
      ok: false,
      reason: 'limit',
    });
    await store.extendCooldown('k', null, { until: now + 1000, kind: 'rate_limited', explicit: true });
    expect(store.view('k', now).cooldown?.until).toBe(now + 1000);
    conn.onModuleDestroy();
  });
});

describe(`${RedisThrottlerStorage.name} without a reachable Redis`, () => {
  it('should keep throttling with local counts', async () => {
    const conn = openTestConnection('kp-spec-dead:', 'redis://127.0.0.1:1');
    const storage = new RedisThrottlerStorage(conn);
    const records = [];
    for (let i = 0; i < 3; i++) {
      records.push(await storage.increment('ip', 60_000, 2, 60_000, 'login'));
    }
    expect(records.map((r) => r.isBlocked)).toEqual([false, false, true]);
    storage.onApplicationShutdown();
    conn.onModuleDestroy();
  });
});
