import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterBus, type ClusterTopic } from './cluster-bus.service';
import { OutcomeClass } from '@keypool/shared';
import { ClusterLiveCounters } from './cluster-live-counters';
import { RedisClientRateLimiter } from './redis-client-rate-limiter';
import { RedisConnection } from './redis-connection.service';
import { RedisSlidingWindow } from './redis-sliding-window';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import {
  REDIS_SKIP_NOTE,
  TEST_REDIS_URL,
  dropPrefix,
  eventually,
  openTestConnection,
} from './cluster.test-support';

describe.skipIf(!TEST_REDIS_URL)(`shared limits and the change bus on a real Redis${REDIS_SKIP_NOTE}`, () => {
  const prefix = `kp-spec:${randomUUID()}:`;
  let connA: RedisConnection;
  let connB: RedisConnection;

  beforeAll(async () => {
    connA = openTestConnection(prefix);
    connB = openTestConnection(prefix);
    await eventually(() => connA.isUp() && connB.isUp());
  });

  afterAll(async () => {
    await dropPrefix(connA);
    connA.onModuleDestroy();
    connB.onModuleDestroy();
  });

  describe(RedisSlidingWindow.name, () => {
    it('should refuse the 11th hit of a 10 rpm client whichever replica counts it', async () => {
      const windows = [new RedisSlidingWindow(connA, 'a'), new RedisSlidingWindow(connB, 'b')];
      const limit = [{ key: 'client:c1', limit: 10, windowMs: 60_000 }];
      const results = [];
      for (let i = 0; i < 11; i++) {
        results.push(await windows[i % 2].take(limit));
      }
      expect(results.filter((r) => r.allowed)).toHaveLength(10);
      expect(results[10].allowed).toBe(false);
      expect(results[10].retryAfterMs).toBeGreaterThan(59_000);
      expect(await windows[0].count('client:c1', 60_000)).toBe(10);
    });

    it('should take from every window or from none', async () => {
      const window = new RedisSlidingWindow(connA, 'a');
      const limits = [
        { key: 'multi:minute', limit: 5, windowMs: 60_000 },
        { key: 'multi:day', limit: 2, windowMs: 86_400_000 },
      ];
      const allowed = [];
      for (let i = 0; i < 4; i++) {
        allowed.push((await window.take(limits)).allowed);
      }
      expect(allowed).toEqual([true, true, false, false]);
      expect(await window.count('multi:minute', 60_000)).toBe(2);
    });
  });

  describe(RedisThrottlerStorage.name, () => {
    it('should block the 6th login attempt of an IP across replicas, with a retry time', async () => {
      const storages = [new RedisThrottlerStorage(connA), new RedisThrottlerStorage(connB)];
      const records = [];
      for (let i = 0; i < 6; i++) {
        records.push(await storages[i % 2].increment('ip-1', 60_000, 5, 60_000, 'login'));
      }
      expect(records.slice(0, 5).every((r) => !r.isBlocked)).toBe(true);
      expect(records[5]).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
      expect((await storages[0].increment('ip-2', 60_000, 5, 60_000, 'login')).isBlocked).toBe(false);
    });
  });

  describe(ClusterBus.name, () => {
    it('should deliver a change to the other replica only, not back to its sender', async () => {
      const busA = new ClusterBus(connA);
      const busB = new ClusterBus(connB);
      busA.onModuleInit();
      busB.onModuleInit();
      const seen: Array<[string, ClusterTopic]> = [];
      busA.on('pool', () => void seen.push(['a', 'pool']));
      busB.on('pool', () => void seen.push(['b', 'pool']));
      busB.on('settings', () => void seen.push(['b', 'settings']));
      await new Promise((resolve) => setTimeout(resolve, 200));
      busA.publish('pool');
      await eventually(() => seen.length > 0, 1000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual([['b', 'pool']]);
      busA.onModuleDestroy();
      busB.onModuleDestroy();
    });
  });
});

describe.skipIf(!TEST_REDIS_URL)(`${RedisClientRateLimiter.name} on a real Redis${REDIS_SKIP_NOTE}`, () => {
  it('should refuse the 11th request of a 10 rpm client across two replicas and forget on reset', async () => {
    const prefix = `kp-spec:${randomUUID()}:`;
    const [connA, connB] = [openTestConnection(prefix), openTestConnection(prefix)];
    await eventually(() => connA.isUp() && connB.isUp());
    const limiters = [new RedisClientRateLimiter(connA), new RedisClientRateLimiter(connB)];
    const decisions = [];
    for (let i = 0; i < 11; i++) {
      decisions.push(await limiters[i % 2].hit('client-1', 10));
    }
    expect(decisions.slice(0, 10).every((d) => d.allowed)).toBe(true);
    expect(decisions[10]).toEqual({ allowed: false, retryAfterSeconds: 60 });
    limiters[0].reset('client-1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await limiters[1].hit('client-1', 10)).allowed).toBe(true);
    await dropPrefix(connA);
    connA.onModuleDestroy();
    connB.onModuleDestroy();
  });
});

describe.skipIf(!TEST_REDIS_URL)(`${ClusterLiveCounters.name} on a real Redis${REDIS_SKIP_NOTE}`, () => {
  it('should add the other replicas live figures to this replica', async () => {
    const prefix = `kp-spec:${randomUUID()}:`;
    const [connA, connB] = [openTestConnection(prefix), openTestConnection(prefix)];
    await eventually(() => connA.isUp() && connB.isUp());
    const [busA, busB] = [new ClusterBus(connA), new ClusterBus(connB)];
    const [a, b] = [new ClusterLiveCounters(connA, busA), new ClusterLiveCounters(connB, busB)];
    let clock = 1_700_000_000_500;
    for (const counters of [a, b]) {
      counters.now = () => clock;
    }
    a.recordFinished(OutcomeClass.Success, 10, 100);
    b.recordFinished(OutcomeClass.Success, 5, 50);
    b.recordFinished(OutcomeClass.UpstreamError, 0, 30);
    clock += 1000;
    await a.exchange();
    await b.exchange();
    await a.exchange();
    expect(a.currentTotals()).toMatchObject({ requests: 3, success: 2, failures: 1 });
    expect(a.requestsLastMinute()).toBe(3);
    expect(a.lastSecond()).toMatchObject({ requests: 3, success: 2, errors: 1, tokens: 15, latencySum: 180 });
    expect(b.lastSecond()).toMatchObject({ requests: 3 });
    await dropPrefix(connA);
    connA.onModuleDestroy();
    connB.onModuleDestroy();
  });
});
