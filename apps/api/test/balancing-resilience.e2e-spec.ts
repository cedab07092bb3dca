import type {
  CursorPage,
  KeyEventResponse,
  KeyResponse,
  RequestLogResponse,
  UpstreamResponse,
} from '@keypool/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpJson, replyText, setupPool, waitFor, type Pool } from './support';
import { freePort } from './support/free-port';

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('balancing and resilience over real HTTP', () => {
  let pool: Pool;

  beforeAll(async () => {
    pool = await setupPool({
      format: 'openai',
      keys: 3,
      settings: {
        strategy: 'round-robin',
        queueTimeoutMs: 1_500,
        maxFailures: 3,
        breakerCooldownMs: 1_500,
        maxAttempts: 3,
        defaultCooldownMs: 5_000,
      },
    });
  });
  afterAll(() => pool?.close());
  beforeEach(() => pool.mock.reset());

  async function keyState(index: number): Promise<KeyResponse> {
    const res = await pool.admin.request<KeyResponse>('GET', `/api/keys/${pool.keys[index].id}`);
    return res.body;
  }

  it('should rest a key for its Retry-After: 2 without failing any client request', async () => {
    const limited = pool.secrets[1];
    pool.mock.setBehavior(limited, { mode: 'rate_limit', retryAfterSeconds: 2 });
    const failures: unknown[] = [];
    const start = Date.now();
    let switched = false;
    while (Date.now() - start < 3_500) {
      if (!switched && pool.mock.requests(limited).length > 0) {
        pool.mock.setBehavior(limited, null); // it answers normally once its rest is over
        switched = true;
      }
      await pool.openai.chat.completions.create(chat).catch((e: unknown) => failures.push(e));
      await sleep(50);
    }
    expect(failures).toEqual([]);
    const seen = pool.mock.requests(limited);
    expect(seen[0].status).toBe(429);
    expect(seen.length).toBeGreaterThan(1);
    const gap = seen[1].time - seen[0].time;
    console.log(`429 Retry-After 2: key idle for ${gap} ms, then ${seen.length - 1} requests after`);
    expect(gap).toBeGreaterThanOrEqual(1_900);
    expect(gap).toBeLessThan(2_800);
  });

  it('should rest a key whose x-ratelimit budget is spent before it ever answers 429', async () => {
    const budgeted = pool.secrets[0];
    pool.mock.setBehavior(budgeted, { budget: { requests: 2, windowMs: 3_000 } });
    const failures: unknown[] = [];
    for (let i = 0; i < 30; i++) {
      await pool.openai.chat.completions.create(chat).catch((e: unknown) => failures.push(e));
      await sleep(30);
    }
    const seen = pool.mock.requests(budgeted);
    console.log(
      `budget 2/3s: key served ${seen.length} requests, statuses ${seen.map((r) => r.status).join(',')}`,
    );
    expect(failures).toEqual([]);
    expect(seen.every((r) => r.status === 200)).toBe(true);
  });

  it('should disable a key answering 401, record an event, and fail no client request', async () => {
    const revoked = pool.secrets[2];
    pool.mock.setBehavior(revoked, { mode: 'unauthorized' });
    for (let i = 0; i < 9; i++) {
      const completion = await pool.openai.chat.completions.create(chat);
      expect(completion.choices[0]?.message.content).toBe(replyText());
    }
    expect(pool.mock.requests(revoked).length).toBe(1);
    await waitFor(async () => (await keyState(2)).disabledReason === 'invalid', 5_000);
    const invalidated = async () =>
      (
        await pool.admin.request<{ items: KeyEventResponse[] }>(
          'GET',
          `/api/logs/events?keyId=${pool.keys[2].id}&type=invalidated`,
        )
      ).body.items;
    // The log writer flushes about every second.
    await waitFor(async () => (await invalidated()).length > 0, 5_000);
    const events = await invalidated();
    console.log(`401: ${events.length} invalidated event(s): ${events.map((e) => e.message).join('; ')}`);
    expect(events).toHaveLength(1);
    // Back in service for the next tests.
    await pool.admin.request('PATCH', `/api/keys/${pool.keys[2].id}`, { enabled: true });
    await waitFor(async () => (await keyState(2)).enabled, 5_000);
  });

  it("should hand a client's 400 back unchanged and blame no key", async () => {
    const body = {
      error: {
        message: 'messages must not be empty',
        type: 'invalid_request_error',
        param: 'messages',
        code: null,
      },
    };
    pool.mock.setBehavior('*', { mode: 'error', status: 400, body });
    const res = await httpJson('POST', `${pool.keypool.url}/v1/chat/completions`, chat, {
      authorization: `Bearer ${pool.masterKey}`,
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(body);
    expect(pool.mock.requests().length).toBe(1);
    for (const i of [0, 1, 2]) {
      const state = (await keyState(i)).state;
      expect(state.consecutiveFailures).toBe(0);
      expect(state.breaker).toBe('closed');
    }
  });

  it('should open the breaker after maxFailures, admit exactly one probe, and close it on success', async () => {
    const broken = pool.secrets[1];
    pool.mock.setBehavior(broken, { mode: 'server_error' });
    for (let i = 0; i < 12; i++) {
      await pool.openai.chat.completions.create(chat);
    }
    const failed = pool.mock.requests(broken).length;
    expect(failed).toBe(3);
    expect((await keyState(1)).state.breaker).toBe('open');
    pool.mock.setBehavior(broken, { mode: 'ok', latencyMs: 300 });
    await sleep(1_600);
    // Concurrent traffic when the breaker turns half-open: only one request may probe.
    await Promise.all(Array.from({ length: 10 }, () => pool.openai.chat.completions.create(chat)));
    const probes = pool.mock.requests(broken).length - failed;
    console.log(`breaker: ${failed} failures opened it; ${probes} probe(s) while half-open`);
    expect(probes).toBe(1);
    expect((await keyState(1)).state.breaker).toBe('closed');
    for (let i = 0; i < 6; i++) {
      await pool.openai.chat.completions.create(chat);
    }
    expect(pool.mock.requests(broken).length).toBeGreaterThan(failed + 1);
  });

  it('should answer 429 with Retry-After when every key is rate-limited, and serve a waiting request once one frees up', async () => {
    pool.mock.setBehavior('*', { mode: 'rate_limit', retryAfterSeconds: 30 });
    const started = Date.now();
    const res = await httpJson('POST', `${pool.keypool.url}/v1/chat/completions`, chat, {
      authorization: `Bearer ${pool.masterKey}`,
    });
    const took = Date.now() - started;
    console.log(
      `all 429: client got ${res.status} retry-after=${res.headers.get('retry-after')} in ${took} ms: ${JSON.stringify(res.body)}`,
    );
    expect(res.status).toBe(429);
    expect((res.body as { error: { message: string } }).error.message).toBeTruthy();
    // Every key is cooling now: keypool answers by itself after the queue timeout, with Retry-After.
    const waitedFrom = Date.now();
    const own = await httpJson('POST', `${pool.keypool.url}/v1/chat/completions`, chat, {
      authorization: `Bearer ${pool.masterKey}`,
    });
    const waited = Date.now() - waitedFrom;
    console.log(
      `all cooling: ${own.status} retry-after=${own.headers.get('retry-after')} after ${waited} ms`,
    );
    expect(own.status).toBe(429);
    expect(Number(own.headers.get('retry-after'))).toBeGreaterThan(20);
    expect((own.body as { error: { type: string } }).error.type).toBeTruthy();
    expect(took).toBeLessThan(1_500 + 1_000);
    expect(waited).toBeLessThan(1_500 + 1_000);
    for (const i of [0, 1, 2]) {
      expect((await keyState(i)).enabled).toBe(true);
    }
  });

  it('should answer 502 when the upstream cannot be reached, and log why without telling the client', async () => {
    const port = await freePort();
    const upstream = (
      await pool.admin.request<UpstreamResponse>('POST', '/api/upstreams', {
        name: 'gone',
        baseUrl: `http://127.0.0.1:${port}/v1`,
        // The only Anthropic upstream: nothing else can answer for it.
        format: 'anthropic',
        modelPatterns: ['gone-model'],
      })
    ).body;
    // One key: once it has failed no other is left, and none is cooling, so the client gets the
    // upstream failure (502) rather than keypool's "no key available" (503).
    await pool.admin.request('POST', '/api/keys/bulk', { upstreamId: upstream.id, secrets: 'gone-key-1' });
    const answer = await waitFor(async () => {
      const res = await httpJson<{ type: string; error: { message: string } }>(
        'POST',
        `${pool.keypool.url}/v1/messages`,
        { model: 'gone-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
        { 'x-api-key': pool.masterKey },
      );
      return res.status === 502 ? res : null;
    }, 5_000);
    expect(answer?.body).toMatchObject({
      type: 'error',
      error: { message: 'The upstream could not be reached.' },
    });
    const logged = await waitFor(async () => {
      const page = (
        await pool.admin.request<CursorPage<RequestLogResponse>>('GET', '/api/logs?model=gone-model')
      ).body;
      return page.items[0] ?? null;
    }, 10_000);
    expect(logged.status).toBe(502);
    expect(logged.error).toMatch(/^The upstream could not be reached\. .*ECONNREFUSED/);
  });
});

describe('a key freeing up inside the queue timeout', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = await setupPool({ keys: 2, settings: { queueTimeoutMs: 4_000, maxAttempts: 2 } });
  });
  afterAll(() => pool?.close());

  it('should let the waiting request succeed', async () => {
    pool.mock.setBehavior('*', { mode: 'rate_limit', retryAfterSeconds: 2 });
    // Both keys answer 429 once and cool for 2 s; after that they answer normally.
    const first = await httpJson('POST', `${pool.keypool.url}/v1/chat/completions`, chat, {
      authorization: `Bearer ${pool.masterKey}`,
    });
    pool.mock.setBehavior('*', null);
    const started = Date.now();
    const completion = await pool.openai.chat.completions.create(chat);
    console.log(`queue: first call ${first.status}; waiting call served after ${Date.now() - started} ms`);
    expect(completion.choices[0]?.message.content).toBe(replyText());
  });

  it('should send a waiting streaming client SSE keep-alive comments at once, then the stream', async () => {
    pool.mock.setBehavior('*', { mode: 'rate_limit', retryAfterSeconds: 2 });
    await httpJson('POST', `${pool.keypool.url}/v1/chat/completions`, chat, {
      authorization: `Bearer ${pool.masterKey}`,
    });
    pool.mock.setBehavior('*', null);
    const started = Date.now();
    const res = await fetch(`${pool.keypool.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pool.masterKey}` },
      body: JSON.stringify({ ...chat, stream: true }),
    });
    const headersAfter = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const decoder = new TextDecoder();
    const first = decoder.decode((await reader.read()).value);
    const firstAfter = Date.now() - started;
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += decoder.decode(chunk.value, { stream: true });
    }
    const doneAfter = Date.now() - started;
    console.log(
      `waiting stream: headers after ${headersAfter} ms, keep-alive after ${firstAfter} ms, done after ${doneAfter} ms`,
    );
    // The keys cool for 2 s: the client hears from keypool long before that, then gets the whole stream.
    expect(first.startsWith(': keep-alive')).toBe(true);
    expect(firstAfter).toBeLessThan(1_000);
    expect(doneAfter).toBeGreaterThan(1_000);
    expect(rest).toContain('"content"');
    expect(rest.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });
});

describe('weighted distribution over real HTTP', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = await setupPool({ keys: 3, settings: { strategy: 'weighted' } });
    for (const [i, key] of pool.keys.entries()) {
      await pool.admin.request('PATCH', `/api/keys/${key.id}`, { weight: i + 1 });
    }
  });
  afterAll(() => pool?.close());

  it('should split 300 requests 1:2:3 as 50/100/150 (±5%)', async () => {
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(Array.from({ length: 10 }, () => pool.openai.chat.completions.create(chat)));
    }
    const counts = pool.secrets.map((s) => pool.mock.requests(s).length);
    console.log(`weighted 1:2:3 over 300: ${counts.join('/')}`);
    expect(Math.abs(counts[0] - 50)).toBeLessThanOrEqual(2.5);
    expect(Math.abs(counts[1] - 100)).toBeLessThanOrEqual(5);
    expect(Math.abs(counts[2] - 150)).toBeLessThanOrEqual(7.5);
  });
});
