import type { HealthResponse } from '@keypool/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupPool, waitFor, type Pool } from './support';
import { disposeBackendEnvs } from './support/backend-env';
import { hasRedisServer, throwawayRedis, type ThrowawayRedis } from './support/cluster';

const CAN_RUN = hasRedisServer();
const SKIP_NOTE = CAN_RUN ? '' : ' [skipped: needs a redis-server binary for a private Redis to stop]';

async function health(url: string): Promise<{ status: number; body: HealthResponse }> {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: (await res.json()) as HealthResponse };
}

describe.skipIf(!CAN_RUN)(`GET /health while Redis goes away${SKIP_NOTE}`, () => {
  let redis: ThrowawayRedis;
  let pool: Pool;

  beforeAll(async () => {
    redis = await throwawayRedis();
    pool = await setupPool({ keys: 2, keypool: { env: { REDIS_URL: redis.url } } });
  });

  afterAll(async () => {
    await pool?.close();
    await redis?.stop();
    await disposeBackendEnvs();
  });

  const chat = () =>
    pool.openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });

  it('should stay ready (200, degraded) without Redis and report ok again when it returns', async () => {
    await waitFor(async () => (await health(pool.keypool.url)).body.redis.ok === true, 10_000);
    const up = await health(pool.keypool.url);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({
      status: 'ok',
      database: { ok: true },
      redis: { configured: true, ok: true },
    });

    await redis.stop();
    // A load balancer probing readiness must keep this replica: requests still flow on local state.
    await waitFor(async () => (await health(pool.keypool.url)).body.redis.ok === false, 10_000);
    const down = await health(pool.keypool.url);
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({
      status: 'degraded',
      database: { ok: true },
      redis: { configured: true, ok: false },
    });
    await expect(chat()).resolves.toBeDefined();

    await redis.start();
    await waitFor(async () => (await health(pool.keypool.url)).body.status === 'ok', 15_000);
    const back = await health(pool.keypool.url);
    expect(back.status).toBe(200);
    expect(back.body.redis.ok).toBe(true);
  }, 60_000);
});
