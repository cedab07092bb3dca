import type {
  CreatedClientKeyResponse,
  KeyResponse,
  LiveStatus,
  StatsSummary,
  UpstreamResponse,
} from '@keypool/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiClient, startMock, waitFor, type MockUpstream } from './support';
import { disposeBackendEnvs } from './support/backend-env';
import { startReplicas, untilServes, type Replica } from './support/cluster';

const HAS_BACKENDS = Boolean(process.env.E2E_DATABASE_URL && process.env.E2E_REDIS_URL);
const SKIP_NOTE = HAS_BACKENDS
  ? ''
  : ' [skipped: needs E2E_DATABASE_URL and E2E_REDIS_URL (Postgres and Redis shared by two replicas)]';

const MODEL = 'gpt-4o-mini';
const LIMITED_MODEL = 'limited-model';
const SECRETS = ['cluster-key-1', 'cluster-key-2', 'cluster-key-3'];
const LIMITED_SECRET = 'cluster-limited-key';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!HAS_BACKENDS)(`two replicas sharing Postgres and Redis${SKIP_NOTE}`, () => {
  let mock: MockUpstream;
  let a: Replica;
  let b: Replica;
  let upstream: UpstreamResponse;
  let keys: KeyResponse[];
  /** Proxied requests that succeeded through either replica; stats on both must count all of them. */
  let succeeded = 0;

  const chat = async (replica: Replica, model = MODEL) => {
    const completion = await replica.openai.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hi' }],
    });
    succeeded++;
    return completion;
  };

  beforeAll(async () => {
    mock = await startMock();
    // Started together: the second must wait for the first's migrations, not run them again.
    [a, b] = await startReplicas(2, 'cluster-replicas');
    // Fail fast when no key is usable, so limit tests see the refusal instead of a queue wait.
    await a.admin.updateSettings({ strategy: 'round-robin', queueTimeoutMs: 0 });
    upstream = await a.admin.createUpstream({
      name: 'cluster-mock',
      baseUrl: `${mock.url}/v1`,
      format: 'openai',
      modelPatterns: ['gpt-*'],
    });
    keys = [];
    for (const [i, secret] of SECRETS.entries()) {
      keys.push(await a.admin.addKey({ upstreamId: upstream.id, secret, name: `cluster ${i + 1}` }));
    }
    // B learns about A's changes over pub/sub; wait until it serves from the new upstream.
    await untilServes(b, MODEL);
    succeeded++;
  }, 120_000);

  afterAll(async () => {
    await a?.process.stop();
    await b?.process.stop();
    await mock?.close();
    await disposeBackendEnvs();
  });

  it('should spread round-robin evenly over 3 keys across both replicas', async () => {
    mock.clearRequests();
    for (let i = 0; i < 150; i++) {
      await chat(i % 2 ? a : b);
    }
    const perKey = SECRETS.map((s) => mock.requests(s).length);
    expect(perKey.reduce((x, y) => x + y, 0)).toBe(150);
    for (const count of perKey) {
      expect(count).toBeGreaterThanOrEqual(45);
      expect(count).toBeLessThanOrEqual(55);
    }
  });

  it('should keep a key that got 429 + Retry-After: 3 on replica A out of replica B for 3 s', async () => {
    const [limited] = SECRETS;
    mock.setBehavior(limited, { mode: 'rate_limit', retryAfterSeconds: 3 });
    mock.clearRequests();
    // Round-robin reaches the limited key within 3 requests; A fails over, the client never sees the 429.
    for (let i = 0; i < 3 && mock.requests(limited).length === 0; i++) {
      await chat(a);
    }
    const hit = mock.requests(limited)[0];
    expect(hit?.status).toBe(429);
    mock.setBehavior(limited, null);
    const cooledUntil = hit.time + 3000;
    while (Date.now() < cooledUntil - 300) {
      await chat(b);
    }
    const duringCooldown = mock
      .requests(limited)
      .filter((r) => r.time > hit.time && r.time < cooledUntil - 300);
    expect(duringCooldown).toEqual([]);
    await sleep(Math.max(0, cooledUntil + 300 - Date.now()));
    for (let i = 0; i < 6; i++) {
      await chat(b);
    }
    expect(mock.requests(limited).filter((r) => r.time > cooledUntil).length).toBeGreaterThan(0);
  });

  it('should serve at most 60 requests a minute from a 60 rpm key across both replicas', async () => {
    const limitedUpstream = await a.admin.createUpstream({
      name: 'cluster-limited',
      baseUrl: `${mock.url}/v1`,
      format: 'openai',
      modelPatterns: ['limited-*'],
    });
    await a.admin.addKey({
      upstreamId: limitedUpstream.id,
      secret: LIMITED_SECRET,
      name: 'limited',
      rpmLimit: 60,
    });
    await untilServes(b, LIMITED_MODEL);
    succeeded++;
    const outcomes = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        chat(i % 2 ? a : b, LIMITED_MODEL).then(
          () => 'ok',
          (error: { status?: number }) => error.status ?? 0,
        ),
      ),
    );
    // One request of the minute went to the readiness probe above.
    expect(mock.requests(LIMITED_SECRET).length).toBe(60);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(59);
    expect(outcomes.filter((o) => o !== 'ok').every((o) => o === 429)).toBe(true);
  });

  it('should refuse the 11th request of a 10 rpm client key whichever replica it hits', async () => {
    const created = await a.admin.request<CreatedClientKeyResponse>('POST', '/api/client-keys', {
      name: 'cluster client',
      rpmLimit: 10,
    });
    expect(created.status).toBe(201);
    const clients = [
      openaiClient(a.process.url, created.body.secret),
      openaiClient(b.process.url, created.body.secret),
    ];
    // Give replica B the moment it needs to hear about the new client key.
    await sleep(1000);
    const statuses: Array<number | 'ok'> = [];
    for (let i = 0; i < 11; i++) {
      statuses.push(
        await clients[i % 2].chat.completions
          .create({
            model: MODEL,
            messages: [{ role: 'user', content: 'hi' }],
          })
          .then(
            () => {
              succeeded++;
              return 'ok' as const;
            },
            (error: { status?: number }) => error.status ?? 0,
          ),
      );
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill('ok'));
    expect(statuses[10]).toBe(429);
  });

  it('should stop using a key on replica B within 1 s of disabling it on replica A', async () => {
    const target = keys[1];
    const patched = await a.admin.request('PATCH', `/api/keys/${target.id}`, { enabled: false });
    expect(patched.status).toBe(200);
    await sleep(1000);
    mock.clearRequests();
    for (let i = 0; i < 12; i++) {
      await chat(b);
    }
    expect(mock.requests(SECRETS[1]).length).toBe(0);
    await a.admin.request('PATCH', `/api/keys/${target.id}`, { enabled: true });
  });

  it('should include the other replica requests in either replica stats', async () => {
    const successes = (replica: Replica) =>
      replica.admin.request<StatsSummary>('GET', '/api/stats/summary?range=1h').then((r) => r.body.success);
    // Log rows are written in batches about every second.
    await waitFor(
      async () => (await successes(a)) === succeeded && (await successes(b)) === succeeded,
      10_000,
    );
    // Live figures (dashboard) are summed over replicas too, about once a second.
    const liveTotal = (replica: Replica) =>
      replica.admin.request<LiveStatus>('GET', '/api/stats/status').then((r) => r.body.totals.requests);
    await waitFor(async () => {
      const [onA, onB] = await Promise.all([liveTotal(a), liveTotal(b)]);
      return onA === onB && onA >= succeeded;
    }, 5000);
  });

  // Last: it blocks logins from this host for a minute.
  it('should count login attempts across replicas and refuse the 6th within a minute', async () => {
    // Each replica saw one login at start-up. Counted per replica, 3 more each would still pass (4 < 5);
    // counted across both, the 6th attempt overall is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const replica = i % 2 ? a : b;
      const result = await replica.admin.request('POST', '/api/auth/login', { password: 'not-the-password' });
      statuses.push(result.status);
    }
    const firstRefused = statuses.indexOf(429);
    expect(firstRefused).toBeGreaterThan(0);
    expect(statuses.slice(0, firstRefused).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(firstRefused).every((status) => status === 429)).toBe(true);
  });
});
