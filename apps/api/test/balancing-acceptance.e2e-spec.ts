import { APIError as AnthropicApiError } from '@anthropic-ai/sdk';
import type {
  CursorPage,
  KeyEventResponse,
  KeyResponse,
  RequestLogResponse,
  SelectionStrategy,
} from '@keypool/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replyText, setupPool, waitFor, type Pool, type RecordedRequest } from './support';

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every request log row whose requestId is in `ids`, polling until all are written (the writer batches). */
async function logsFor(
  pool: Pool,
  ids: ReadonlySet<string>,
  timeoutMs = 15_000,
): Promise<RequestLogResponse[]> {
  const found = new Map<string, RequestLogResponse>();
  await waitFor(async () => {
    found.clear();
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const query: string = cursor ? `?limit=200&cursor=${cursor}` : '?limit=200';
      const res = await pool.admin.request<CursorPage<RequestLogResponse>>('GET', `/api/logs${query}`);
      for (const row of res.body.items) {
        if (ids.has(row.requestId)) {
          found.set(row.requestId, row);
        }
      }
      cursor = res.body.nextCursor;
      if (!cursor) {
        break;
      }
    }
    return found.size === ids.size;
  }, timeoutMs);
  return [...found.values()];
}

async function keyEvents(pool: Pool, keyId: string, type: string): Promise<KeyEventResponse[]> {
  const res = await pool.admin.request<CursorPage<KeyEventResponse>>(
    'GET',
    `/api/logs/events?keyId=${keyId}&type=${type}&limit=200`,
  );
  return res.body.items;
}

async function keyState(pool: Pool, index: number): Promise<KeyResponse> {
  return (await pool.admin.request<KeyResponse>('GET', `/api/keys/${pool.keys[index].id}`)).body;
}

/** Runs `total` chat requests through `workers` concurrent loops; returns the failures. */
async function drive(pool: Pool, total: number, workers: number, model = chat.model): Promise<unknown[]> {
  let next = 0;
  const failures: unknown[] = [];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        next += 1;
        await pool.openai.chat.completions
          .create({ ...chat, model })
          .catch((error: unknown) => failures.push(error));
      }
    }),
  );
  return failures;
}

/** Lengths of the runs of consecutive requests on the same key, in the mock's arrival order. */
function runsOf(records: readonly RecordedRequest[]): { key: string; length: number }[] {
  const runs: { key: string; length: number }[] = [];
  for (const r of records) {
    const last = runs[runs.length - 1];
    if (last && last.key === r.key) {
      last.length += 1;
    } else {
      runs.push({ key: r.key ?? '', length: 1 });
    }
  }
  return runs;
}

describe('attribution under 200 concurrent requests with two flaky keys', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = await setupPool({
      keys: 4,
      settings: { strategy: 'round-robin', maxAttempts: 3, queueTimeoutMs: 5_000 },
    });
  });
  afterAll(() => pool?.close());

  it('should charge every failure to the key that produced it and never try a key twice in one request', async () => {
    const [flaky5xx, flaky429] = pool.secrets;
    pool.mock.setBehavior(flaky5xx, { flaky: { probability: 0.35, seed: 11 } });
    pool.mock.setBehavior(flaky429, {
      flaky: { probability: 0.35, seed: 23, failWith: { mode: 'rate_limit', retryAfterSeconds: 1 } },
    });
    // `user-agent` travels upstream, so every mock record names the client request it belongs to.
    const ids = Array.from({ length: 200 }, (_, i) => `attr-${i}`);
    const results = await Promise.all(
      ids.map((id) =>
        pool.openai.chat.completions.create(chat, { headers: { 'x-request-id': id, 'user-agent': id } }).then(
          () => 'ok' as const,
          (error: unknown) => error,
        ),
      ),
    );
    const clientFailures = results
      .filter((r) => r !== 'ok')
      .map((e) => `${(e as { status?: number }).status ?? '?'} ${(e as Error).message}`);

    const rows = await logsFor(pool, new Set(ids));
    const byRequest = new Map<string, RecordedRequest[]>();
    for (const record of pool.mock.requests()) {
      const id = String(record.headers['user-agent']);
      byRequest.set(id, [...(byRequest.get(id) ?? []), record]);
    }
    const secretOf = new Map(pool.keys.map((k, i) => [k.id, pool.secrets[i]]));

    let retried = 0;
    for (const row of rows) {
      const tried = row.attempts.map((a) => a.keyId);
      expect(new Set(tried).size, `${row.requestId} tried a key twice`).toBe(tried.length);
      // The log's attempts and what the mock saw for this request: same keys, same statuses, same order.
      const logged = row.attempts.map((a) => [secretOf.get(a.keyId), a.status]);
      const seen = (byRequest.get(row.requestId) ?? []).map((r) => [r.key, r.status]);
      expect(logged, row.requestId).toEqual(seen);
      retried += row.attempts.length > 1 ? 1 : 0;
    }

    const perKey = pool.secrets.map((secret, i) => {
      const seen = pool.mock.requests(secret);
      const attempts = rows.flatMap((r) => r.attempts).filter((a) => a.keyId === pool.keys[i].id);
      return {
        secret,
        mockRequests: seen.length,
        mockFailures: seen.filter((r) => r.status !== 200).length,
        loggedAttempts: attempts.length,
        loggedFailures: attempts.filter((a) => a.outcome !== 'success').length,
      };
    });
    console.log(
      `200 concurrent, 2 flaky keys: ${clientFailures.length} client failures ${JSON.stringify(clientFailures)}, ${retried} requests retried; per key ${JSON.stringify(perKey)}`,
    );
    for (const k of perKey) {
      expect(k.loggedAttempts).toBe(k.mockRequests);
      expect(k.loggedFailures).toBe(k.mockFailures);
    }
    expect(perKey[0].mockFailures).toBeGreaterThan(0);
    expect(perKey[1].mockFailures).toBeGreaterThan(0);
    expect(perKey[2].mockFailures + perKey[3].mockFailures).toBe(0);
    // Key state counts the same attempts as the mock. With Redis the replica's local view of the shared
    // counters follows the script results a moment later, so allow it to settle before comparing.
    for (const [i, k] of perKey.entries()) {
      const settled = await waitFor(
        async () => ((await keyState(pool, i)).state.requestsToday === k.mockRequests ? true : null),
        3_000,
      ).catch(() => false);
      if (!settled) {
        expect((await keyState(pool, i)).state.requestsToday).toBe(k.mockRequests);
      }
    }
  });
});

describe('a two-tier alias fallback chain', () => {
  let pool: Pool;
  const tier2 = ['fallback-key-1', 'fallback-key-2'];
  beforeAll(async () => {
    pool = await setupPool({
      keys: ['primary-key-1', 'primary-key-2'],
      upstream: { name: 'primary', aliases: [{ name: 'fast', model: 'primary-model', tier: 1 }] },
      settings: { strategy: 'round-robin', maxAttempts: 3, queueTimeoutMs: 1_000 },
    });
    const fallback = await pool.admin.createUpstream({
      name: 'fallback',
      baseUrl: `${pool.mock.url}/v1`,
      format: 'openai',
      modelPatterns: [],
      aliases: [{ name: 'fast', model: 'fallback-model', tier: 2 }],
    });
    for (const secret of tier2) {
      await pool.admin.addKey({ upstreamId: fallback.id, secret });
    }
  });
  afterAll(() => pool?.close());

  it('should serve from tier 2 while every tier-1 key cools, then return to tier 1', async () => {
    const ask = () => pool.openai.chat.completions.create({ ...chat, model: 'fast' });
    for (let i = 0; i < 4; i++) {
      await ask();
    }
    expect(pool.mock.requests().every((r) => r.model === 'primary-model')).toBe(true);
    expect(tier2.flatMap((s) => pool.mock.requests(s))).toHaveLength(0);

    pool.mock.clearRequests();
    pool.mock.setBehavior('primary-key-1', { mode: 'rate_limit', retryAfterSeconds: 2 });
    pool.mock.setBehavior('primary-key-2', { mode: 'rate_limit', retryAfterSeconds: 2 });
    const first = await ask();
    expect(first.choices[0]?.message.content).toBe(replyText());
    // Both tier-1 keys said 429 once; they answer normally when their rest is over.
    expect(pool.mock.requests('primary-key-1').map((r) => r.status)).toEqual([429]);
    expect(pool.mock.requests('primary-key-2').map((r) => r.status)).toEqual([429]);
    const cooledAt = Math.max(...pool.mock.requests().map((r) => r.time));
    pool.mock.setBehavior('primary-key-1', null);
    pool.mock.setBehavior('primary-key-2', null);

    while (Date.now() - cooledAt < 3_200) {
      const completion = await ask();
      expect(completion.choices[0]?.message.content).toBe(replyText());
      await sleep(50);
    }
    const all = pool.mock.requests().filter((r) => r.status === 200);
    const backOnTier1 = all.find((r) => r.key!.startsWith('primary'));
    expect(backOnTier1).toBeDefined();
    const onTier2 = all.filter((r) => tier2.includes(r.key!));
    const lastOnTier2 = Math.max(...onTier2.map((r) => r.time));
    console.log(
      `alias tiers: ${onTier2.length} served by tier 2 (model ${onTier2[0]?.model}), ` +
        `tier 1 back ${backOnTier1!.time - cooledAt} ms after its 429s, last tier-2 use at +${lastOnTier2 - cooledAt} ms; ` +
        `${all.filter((r) => r.key!.startsWith('primary')).length} tier-1 requests after`,
    );
    expect(onTier2.length).toBeGreaterThan(5);
    expect(onTier2.every((r) => r.model === 'fallback-model')).toBe(true);
    expect(backOnTier1!.time - cooledAt).toBeGreaterThanOrEqual(1_900);
    expect(backOnTier1!.model).toBe('primary-model');
    // Once tier 1 is back, tier 2 gets nothing more.
    expect(all.filter((r) => r.time > backOnTier1!.time && tier2.includes(r.key!))).toHaveLength(0);
    expect(all.filter((r) => r.time > backOnTier1!.time).length).toBeGreaterThan(3);
  });
});

describe('every key of an anthropic upstream answering 429', () => {
  let pool: Pool;
  const queueTimeoutMs = 1_500;
  beforeAll(async () => {
    pool = await setupPool({ format: 'anthropic', keys: 2, settings: { queueTimeoutMs, maxAttempts: 3 } });
  });
  afterAll(() => pool?.close());

  async function askAnthropic(): Promise<{
    status: number | undefined;
    headers: Headers | undefined;
    body: unknown;
    ms: number;
  }> {
    const started = Date.now();
    try {
      await pool.anthropic.messages.create({
        model: 'claude-3-5-haiku-latest',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hi' }],
      });
    } catch (error) {
      if (error instanceof AnthropicApiError) {
        const { status, headers } = error as AnthropicApiError;
        return { status, headers, body: (error as AnthropicApiError).error, ms: Date.now() - started };
      }
      throw error;
    }
    throw new Error('expected a 429');
  }

  it('should answer 429 with Retry-After in Anthropic format within queueTimeout and disable no key', async () => {
    pool.mock.setBehavior('*', { mode: 'rate_limit', retryAfterSeconds: 30 });
    const upstream429 = await askAnthropic();
    const cooling429 = await askAnthropic();
    for (const [what, { status, headers, body, ms }] of Object.entries({ upstream429, cooling429 })) {
      console.log(
        `anthropic all-429 (${what}): ${status} retry-after=${headers?.get('retry-after')} in ${ms} ms: ${JSON.stringify(body)}`,
      );
      expect(status).toBe(429);
      expect(Number(headers?.get('retry-after'))).toBeGreaterThan(20);
      expect(body).toEqual({
        type: 'error',
        error: { type: 'rate_limit_error', message: expect.any(String) as string },
      });
      expect(ms).toBeLessThan(queueTimeoutMs + 1_000);
    }
    expect(pool.mock.requests()).toHaveLength(2);
    for (const i of [0, 1]) {
      const key = await keyState(pool, i);
      expect(key.enabled).toBe(true);
      expect(key.state.status).toBe('cooling_down');
    }
  });
});

describe('strategy distributions over real HTTP', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = await setupPool({ keys: 3, settings: { strategy: 'round-robin', queueTimeoutMs: 2_000 } });
  });
  afterAll(() => pool?.close());
  beforeEach(() => pool.mock.reset());

  async function useStrategy(strategy: SelectionStrategy, extra: { rotationN?: number } = {}): Promise<void> {
    await pool.admin.updateSettings({ strategy, ...extra });
  }
  const counts = () => pool.secrets.map((s) => pool.mock.requests(s).length);

  it('should split round-robin evenly: 100/100/100 over 300 in strict turn', async () => {
    await useStrategy('round-robin');
    expect(await drive(pool, 300, 1)).toEqual([]);
    console.log(`round-robin over 300: ${counts().join('/')}`);
    expect(counts()).toEqual([100, 100, 100]);
    expect(runsOf(pool.mock.requests()).every((r) => r.length === 1)).toBe(true);
  });

  it('should rotate every N=5 requests: runs of 5 in the mock order', async () => {
    await useStrategy('rotate-every-n', { rotationN: 5 });
    expect(await drive(pool, 300, 1)).toEqual([]);
    const runs = runsOf(pool.mock.requests());
    console.log(
      `rotate-every-n N=5 over 300: ${counts().join('/')}, run lengths ${[...new Set(runs.map((r) => r.length))].join(',')} (${runs.length} runs)`,
    );
    // The first run continues the previous strategy's streak, so it may be shorter.
    expect(runs[0].length).toBeLessThanOrEqual(5);
    expect(runs.slice(1, -1).every((r) => r.length === 5)).toBe(true);
    expect(runs[runs.length - 1].length).toBeLessThanOrEqual(5);
    // Runs move through the keys in turn.
    for (let i = 3; i < runs.length; i++) {
      expect(runs[i].key).toBe(runs[i - 3].key);
    }
  });

  it('should pick the least-recently-used key: each key in turn, 100/100/100', async () => {
    await useStrategy('least-recently-used');
    expect(await drive(pool, 300, 1)).toEqual([]);
    const runs = runsOf(pool.mock.requests());
    console.log(`least-recently-used over 300: ${counts().join('/')}`);
    expect(counts()).toEqual([100, 100, 100]);
    // The key idle longest is always the one used three requests ago.
    const keys = pool.mock.requests().map((r) => r.key);
    expect(keys.slice(3).every((k, i) => k === keys[i])).toBe(true);
    expect(runs.every((r) => r.length === 1)).toBe(true);
  });

  it('should send a slow key fewer requests under least-busy', async () => {
    await useStrategy('least-busy');
    const slow = pool.secrets[2];
    pool.mock.setBehavior(slow, { latencyMs: 300 });
    expect(await drive(pool, 300, 10)).toEqual([]);
    const [a, b, c] = counts();
    console.log(`least-busy over 300, 10 concurrent, key 3 slow (300 ms): ${a}/${b}/${c}`);
    expect(a + b + c).toBe(300);
    // Fast keys answer in a few ms on an idle machine, tens on a busy one: assert the direction with margin.
    expect(c).toBeLessThan(Math.min(a, b) / 2);
  });

  it('should apply a strategy change to the very next proxied request', async () => {
    await useStrategy('sequential');
    await drive(pool, 4, 1);
    expect(new Set(pool.mock.requests().map((r) => r.key)).size).toBe(1);
    pool.mock.clearRequests();

    await useStrategy('round-robin');
    await drive(pool, 3, 1);
    const afterRoundRobin = pool.mock.requests().map((r) => r.key);
    expect(new Set(afterRoundRobin).size).toBe(3);
    pool.mock.clearRequests();

    await useStrategy('sequential');
    await drive(pool, 4, 1);
    const afterSequential = pool.mock.requests().map((r) => r.key);
    console.log(
      `settings: round-robin → ${afterRoundRobin.join(',')}; sequential → ${afterSequential.join(',')}`,
    );
    expect(new Set(afterSequential).size).toBe(1);
  });
});

describe('paced keys over real HTTP', () => {
  let pool: Pool;
  beforeAll(async () => {
    // The quota day starts at the top of the current UTC hour, so > 23 h of it are left.
    const hour = new Date().getUTCHours();
    const offset = -hour < -12 ? 24 - hour : -hour;
    pool = await setupPool({
      keys: 3,
      settings: { strategy: 'paced', dayBoundaryUtcOffsetHours: offset, queueTimeoutMs: 500 },
    });
    for (const key of pool.keys.slice(0, 2)) {
      await pool.admin.request('PATCH', `/api/keys/${key.id}`, { dailyLimit: 100 });
    }
  });
  afterAll(() => pool?.close());

  it('should hand a 100/day key one request per slice of its day and the rest to the unpaced key', async () => {
    expect(await drive(pool, 30, 1)).toEqual([]);
    const counts = pool.secrets.map((s) => pool.mock.requests(s).length);
    console.log(`paced (keys 1 and 2 at 100/day, key 3 unlimited) over 30 requests: ${counts.join('/')}`);
    // A 100/day key with > 23 h left may serve again only after > 13.8 min.
    expect(counts).toEqual([1, 1, 28]);
  });
});

describe('a key answering 401 under concurrent traffic', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = await setupPool({ keys: 3, settings: { strategy: 'round-robin', maxAttempts: 3 } });
  });
  afterAll(() => pool?.close());

  it('should disable it, write exactly one invalidated event, and fail no client request', async () => {
    const revoked = pool.secrets[2];
    // A fresh process answers its first requests slowly; warm it up so the 12 below arrive together.
    for (let i = 0; i < 3; i++) {
      await pool.openai.chat.completions.create(chat);
    }
    const before = pool.mock.requests(revoked).length;
    // Slow 401s: several requests hold the key before the first answer comes back.
    pool.mock.setBehavior(revoked, { mode: 'unauthorized', latencyMs: 600 });
    const completions = await Promise.all(
      Array.from({ length: 12 }, () => pool.openai.chat.completions.create(chat)),
    );
    expect(completions.every((c) => c.choices[0]?.message.content === replyText())).toBe(true);
    const hits = pool.mock.requests(revoked).length - before;
    await waitFor(async () => (await keyState(pool, 2)).disabledReason === 'invalid', 5_000);
    await waitFor(async () => (await keyEvents(pool, pool.keys[2].id, 'invalidated')).length > 0, 5_000);
    await sleep(2_500); // two more writer flushes: anything duplicated would be in by now
    const events = await keyEvents(pool, pool.keys[2].id, 'invalidated');
    console.log(`401 under 12 concurrent: key hit ${hits} times, ${events.length} invalidated event(s)`);
    expect(hits).toBeGreaterThan(1);
    expect(events).toHaveLength(1);
    for (let i = 0; i < 6; i++) {
      await pool.openai.chat.completions.create(chat);
    }
    expect(pool.mock.requests(revoked)).toHaveLength(before + hits);
  });
});
