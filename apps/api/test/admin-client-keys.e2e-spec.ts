import type {
  ClientKeyResponse,
  CreatedClientKeyResponse,
  CursorPage,
  KeyEventResponse,
  RequestLogResponse,
} from '@keypool/shared';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiClient, setupPool, waitFor, type Pool } from './support';

const ask = (client: OpenAI, model = 'gpt-4o-mini') =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

/** The HTTP status an SDK call ended with (200 when it succeeded). */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
      return error.status;
    }
    throw error;
  }
}

describe('client keys at the proxy', () => {
  let pool: Pool;

  beforeAll(async () => {
    pool = await setupPool({ keys: 3 });
  });
  afterAll(() => pool?.close());

  const createClientKey = async (body: Record<string, unknown>) => {
    const res = await pool.admin.request<CreatedClientKeyResponse>('POST', '/api/client-keys', body);
    expect(res.status).toBe(201);
    return res.body;
  };

  it('should show the secret once, store only a mask, and accept it at the proxy', async () => {
    const created = await createClientKey({ name: 'app' });
    expect(created.secret).toMatch(/^kp-[\w-]{43}$/);
    expect(created.maskedKey).toBe(`kp-…${created.secret.slice(-4)}`);
    const listed = (await pool.admin.request<ClientKeyResponse[]>('GET', '/api/client-keys')).body;
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    await expect(ask(openaiClient(pool.keypool.url, created.secret))).resolves.toBeTruthy();
    expect(await statusOf(ask(openaiClient(pool.keypool.url, `${created.secret}x`)))).toBe(401);
    expect(pool.keypool.output()).not.toContain(created.secret);
  });

  it('should answer 429 on the 11th request within a minute for a 10 rpm client key', async () => {
    const created = await createClientKey({ name: 'limited', rpmLimit: 10 });
    const client = openaiClient(pool.keypool.url, created.secret);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push(await statusOf(ask(client)));
    }
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
    // The master key is not affected by a client's limit.
    expect(await statusOf(ask(pool.openai))).toBe(200);
  });

  it('should answer 401 for a disabled or expired client key and 403 for a model it may not use', async () => {
    const disabled = await createClientKey({ name: 'off' });
    await pool.admin.request('PATCH', `/api/client-keys/${disabled.id}`, { enabled: false });
    expect(await statusOf(ask(openaiClient(pool.keypool.url, disabled.secret)))).toBe(401);

    const expired = await createClientKey({
      name: 'old',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect(await statusOf(ask(openaiClient(pool.keypool.url, expired.secret)))).toBe(401);

    const narrow = await createClientKey({ name: 'narrow', allowedModels: ['gpt-4o*'] });
    const client = openaiClient(pool.keypool.url, narrow.secret);
    expect(await statusOf(ask(client, 'gpt-4o-mini'))).toBe(200);
    expect(await statusOf(ask(client, 'claude-3-5-sonnet'))).toBe(403);

    const deleted = await createClientKey({ name: 'gone' });
    await pool.admin.request('DELETE', `/api/client-keys/${deleted.id}`);
    expect(await statusOf(ask(openaiClient(pool.keypool.url, deleted.secret)))).toBe(401);
  });

  it('should attribute request logs to the client key', async () => {
    const created = await createClientKey({ name: 'attributed' });
    await ask(openaiClient(pool.keypool.url, created.secret));
    const logs = await waitFor(async () => {
      const page = (
        await pool.admin.request<CursorPage<RequestLogResponse>>('GET', `/api/logs?clientKeyId=${created.id}`)
      ).body;
      return page.items.length > 0 ? page.items : null;
    }, 10_000);
    const items = logs ?? [];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((log) => log.clientKeyId === created.id)).toBe(true);
    const listed = (await pool.admin.request<ClientKeyResponse>('GET', `/api/client-keys/${created.id}`))
      .body;
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it('should apply a settings change to the next proxied request without restart', async () => {
    await pool.admin.updateSettings({ strategy: 'sequential' });
    pool.mock.clearRequests();
    for (let i = 0; i < 4; i++) {
      await ask(pool.openai);
    }
    const firstKeyOnly = pool.secrets.map((s) => pool.mock.requests(s).length);
    expect(firstKeyOnly.filter((n) => n > 0)).toHaveLength(1);

    await pool.admin.updateSettings({ strategy: 'round-robin' });
    pool.mock.clearRequests();
    for (let i = 0; i < 6; i++) {
      await ask(pool.openai);
    }
    expect(pool.secrets.map((s) => pool.mock.requests(s).length)).toEqual([2, 2, 2]);
  });

  it('should write key events for admin changes', async () => {
    const key = pool.keys[2];
    await pool.admin.request('PATCH', `/api/keys/${key.id}`, { enabled: false });
    await pool.admin.request('PATCH', `/api/keys/${key.id}`, { enabled: true });
    const events = await waitFor(async () => {
      const page = (
        await pool.admin.request<CursorPage<KeyEventResponse>>('GET', `/api/logs/events?keyId=${key.id}`)
      ).body;
      const types = page.items.map((e) => e.type);
      return types.includes('disabled') && types.includes('enabled') ? types : null;
    }, 10_000);
    expect(events).toEqual(expect.arrayContaining(['added', 'disabled', 'enabled']));
  });
});
