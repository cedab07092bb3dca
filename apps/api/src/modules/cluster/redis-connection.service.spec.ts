import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryKeyStateStore } from '../balancer/key-state/memory-key-state.store';
import { ClusterBus } from './cluster-bus.service';
import { RedisKeyStateStore } from './redis-key-state.store';
import {
  REDIS_SKIP_NOTE,
  TEST_REDIS_URL,
  eventually,
  hasRedisServerBinary,
  openTestConnection,
} from './cluster.test-support';
import { freePort } from '../../../test/support/free-port';

const CAN_RUN = Boolean(TEST_REDIS_URL) && hasRedisServerBinary();
const SKIP_NOTE =
  REDIS_SKIP_NOTE || (CAN_RUN ? '' : ' [skipped: no redis-server binary to start a throwaway Redis]');

/** A private, throwaway Redis this spec may stop and start (the shared one serves other suites). */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return child;
}

describe.skipIf(!CAN_RUN)(`Redis outage and recovery${SKIP_NOTE}`, () => {
  let server: ChildProcess | null = null;

  afterAll(() => {
    server?.kill('SIGKILL');
  });

  it('should serve locally while Redis is down and share state again once it is back', async () => {
    const port = await freePort();
    server = await startRedis(port);
    const conn = openTestConnection('kp-spec-outage:', `redis://127.0.0.1:${port}`);
    const peer = openTestConnection('kp-spec-outage:', `redis://127.0.0.1:${port}`);
    const states: string[] = [];
    conn.onStateChange((s) => states.push(s));
    await eventually(() => conn.isUp() && peer.isUp(), 3000);
    const bus = new ClusterBus(conn);
    bus.onModuleInit();
    let resyncs = 0;
    bus.on('pool', () => void resyncs++);
    // At most 3 cooldowns kept for writing back (10,000 in production).
    const store = new RedisKeyStateStore(conn, new MemoryKeyStateStore(), 3);
    const other = new RedisKeyStateStore(peer, new MemoryKeyStateStore());
    const base = { dayStart: 0, rpmLimit: null, tpmLimit: null, dailyLimit: null, model: null, probe: false };

    store.start();

    server.kill('SIGKILL');
    await eventually(() => !conn.isUp(), 3000);
    // Degraded: requests keep getting keys from local state.
    expect(await store.reserve('k', { ...base, now: Date.now() })).toEqual({ ok: true });
    // What an outage keeps for writing back is bounded: the oldest cooldown gives way to newer ones
    // ('oldest', two model cooldowns and 'hot' below are one more than the bound).
    const running = { until: Date.now() + 30_000, kind: 'rate_limited', explicit: true } as const;
    await store.extendCooldown('oldest', null, running);
    await store.extendCooldown('flood', 'model-0', running);
    await store.extendCooldown('flood', 'model-1', running);
    // A cooldown learned meanwhile reaches the shared state once Redis is back.
    await store.extendCooldown('hot', null, {
      until: Date.now() + 5000,
      kind: 'rate_limited',
      explicit: true,
    });

    server = await startRedis(port);
    await eventually(() => conn.isUp() && peer.isUp(), 5000);
    let refused: unknown = null;
    for (let i = 0; i < 40 && refused === null; i++) {
      const answer = await other.reserve('hot', { ...base, now: Date.now() });
      refused = answer.ok ? null : answer;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(refused).toMatchObject({ ok: false, reason: 'cooldown' });
    expect(await other.reserve('flood', { ...base, model: 'model-0', now: Date.now() })).toMatchObject({
      ok: false,
      reason: 'cooldown',
    });
    expect(await other.reserve('oldest', { ...base, now: Date.now() })).toEqual({ ok: true });
    await store.extendCooldown('k', null, { until: Date.now() + 3000, kind: 'rate_limited', explicit: true });
    expect(await other.reserve('k', { ...base, now: Date.now() })).toMatchObject({
      ok: false,
      reason: 'cooldown',
    });
    expect(states).toEqual(['up', 'down', 'up']);
    expect(conn.degradedTransitions()).toBe(1);
    // Messages published during the outage are lost, so the bus reloads every cache once on recovery.
    expect(resyncs).toBe(1);
    store.stop();
    bus.onModuleDestroy();
    conn.onModuleDestroy();
    peer.onModuleDestroy();
  });
});
