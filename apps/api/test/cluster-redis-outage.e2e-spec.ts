import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, waitFor, type MockUpstream } from './support';
import { disposeBackendEnvs } from './support/backend-env';
import {
  hasRedisServer,
  health,
  startReplicas,
  throwawayRedis,
  untilServes,
  type Replica,
  type ThrowawayRedis,
} from './support/cluster';

const CAN_RUN = Boolean(process.env.E2E_DATABASE_URL && process.env.E2E_REDIS_URL) && hasRedisServer();
const SKIP_NOTE = CAN_RUN
  ? ''
  : ' [skipped: needs E2E_DATABASE_URL, E2E_REDIS_URL and a redis-server binary for a private Redis to stop]';

const MODEL = 'gpt-4o-mini';
const SECRETS = ['outage-key-1', 'outage-key-2', 'outage-key-3'];

describe.skipIf(!CAN_RUN)(`replicas while Redis goes away and comes back${SKIP_NOTE}`, () => {
  let mock: MockUpstream;
  let redis: ThrowawayRedis;
  let replicas: Replica[];

  const chat = (replica: Replica) =>
    replica.openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });

  beforeAll(async () => {
    mock = await startMock();
    redis = await throwawayRedis();
    replicas = await startReplicas(2, 'cluster-outage', { redisUrl: redis.url });
    const [a] = replicas;
    await a.admin.updateSettings({ strategy: 'round-robin' });
    const upstream = await a.admin.createUpstream({
      name: 'outage-mock',
      baseUrl: `${mock.url}/v1`,
      format: 'openai',
      modelPatterns: ['gpt-*'],
    });
    for (const secret of SECRETS) {
      await a.admin.addKey({ upstreamId: upstream.id, secret, name: secret });
    }
    await untilServes(replicas[1], MODEL);
  }, 120_000);

  afterAll(async () => {
    for (const replica of replicas ?? []) {
      await replica.process.stop();
    }
    await redis?.stop();
    await mock?.close();
    await disposeBackendEnvs();
  });

  it('should fail no client request while Redis stops and restarts', async () => {
    const failures: unknown[] = [];
    let done = 0;
    let running = true;
    const loops = replicas.flatMap((replica) =>
      Array.from({ length: 3 }, async () => {
        while (running) {
          await chat(replica).then(
            () => done++,
            (error: unknown) => failures.push(error),
          );
        }
      }),
    );
    await waitFor(() => done >= 30, 10_000);
    await redis.stop();
    const beforeOutage = done;
    // Each replica notices the outage and reports it, while traffic keeps flowing.
    await waitFor(
      async () =>
        (await Promise.all(replicas.map((r) => health(r.process.url)))).every((h) => h.redis.ok === false),
      10_000,
    );
    await waitFor(() => done >= beforeOutage + 60, 20_000);
    expect(await redisUpGauge(replicas[0])).toBe(0);
    await redis.start();
    await waitFor(
      async () =>
        (await Promise.all(replicas.map((r) => health(r.process.url)))).every((h) => h.redis.ok === true),
      15_000,
    );
    expect(await redisUpGauge(replicas[0])).toBe(1);
    const afterRecovery = done;
    await waitFor(() => done >= afterRecovery + 30, 10_000);
    running = false;
    await Promise.all(loops);
    expect(failures).toEqual([]);
    for (const replica of replicas) {
      expect(replica.process.output()).toMatch(/Redis unreachable/);
      expect(replica.process.output()).toMatch(/Redis reachable again/);
    }
  });

  it('should share cooldowns again once Redis is back', async () => {
    const [a, b] = replicas;
    const [limited] = SECRETS;
    mock.setBehavior(limited, { mode: 'rate_limit', retryAfterSeconds: 3 });
    mock.clearRequests();
    for (let i = 0; i < 3 && mock.requests(limited).length === 0; i++) {
      await chat(a);
    }
    const hit = mock.requests(limited)[0];
    expect(hit?.status).toBe(429);
    mock.setBehavior(limited, null);
    const until = hit.time + 2500;
    while (Date.now() < until) {
      await chat(b);
    }
    expect(mock.requests(limited).filter((r) => r.time > hit.time && r.time < until)).toEqual([]);
  });
});

/** `keypool_redis_up` as the replica's /metrics reports it. */
async function redisUpGauge(replica: Replica): Promise<number> {
  const text = await (await fetch(`${replica.process.url}/metrics`)).text();
  return Number(/^keypool_redis_up (\S+)$/m.exec(text)?.[1]);
}
