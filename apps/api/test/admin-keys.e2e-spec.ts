import type {
  ImportKeysResponse,
  KeyExportFile,
  KeyResponse,
  KeyTestResponse,
  Settings,
  UpstreamResponse,
} from '@keypool/shared';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  httpJson,
  startKeypool,
  startMock,
  type AdminClient,
  type HttpResult,
  type KeypoolProcess,
  type MockUpstream,
} from './support';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, string[]> };
}

const unique = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

/** Every byte keypool keeps on disk for its SQLite database (main file, WAL, journal). */
function databaseBytes(dataDir: string): string {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('keypool.sqlite'))
    .map((name) => readFileSync(join(dataDir, name)).toString('latin1'))
    .join('\n');
}

describe('admin API: upstreams and keys', () => {
  let mock: MockUpstream;
  let keypool: KeypoolProcess;
  let admin: AdminClient;
  let upstream: UpstreamResponse;
  /** Every response body the tests received, to check no secret ever came back. */
  const seen: string[] = [];
  const call = async <T>(method: string, path: string, body?: unknown): Promise<HttpResult<T>> => {
    const res = await admin.request<T>(method, path, body);
    if (!path.startsWith('/api/keys/export')) {
      seen.push(JSON.stringify(res.body));
    }
    return res;
  };
  /** Sends a text body as text/plain (the admin client sends strings as JSON). */
  const callText = async <T>(path: string, text: string): Promise<HttpResult<T>> => {
    const res = await httpJson<T>('POST', `${keypool.url}${path}`, text, {
      authorization: `Bearer ${admin.token}`,
      'content-type': 'text/plain',
    });
    seen.push(JSON.stringify(res.body));
    return res;
  };
  const keyCount = async () => (await call<KeyResponse[]>('GET', '/api/keys')).body.length;
  const upstreamCount = async () => (await call<UpstreamResponse[]>('GET', '/api/upstreams')).body.length;

  beforeAll(async () => {
    mock = await startMock();
    keypool = await startKeypool();
    admin = adminClient(keypool.url);
    await admin.login();
    upstream = (
      await call<UpstreamResponse>('POST', '/api/upstreams', {
        name: 'mock',
        baseUrl: `${mock.url}/v1/`,
        format: 'openai',
        aliases: [{ name: 'fast', model: 'gpt-4o-mini', tier: 1 }],
      })
    ).body;
  });
  afterAll(async () => {
    await keypool?.stop();
    await mock?.close();
  });

  it('should store upstreams normalised and answer 404 with a specific code for unknown ids', async () => {
    expect(upstream).toMatchObject({ baseUrl: `${mock.url}/v1`, keyCount: 0, modelPatterns: ['*'] });
    const id = randomUUID();
    for (const [path, code] of [
      [`/api/keys/${id}`, 'KEY_NOT_FOUND'],
      [`/api/upstreams/${id}`, 'UPSTREAM_NOT_FOUND'],
      [`/api/client-keys/${id}`, 'CLIENT_KEY_NOT_FOUND'],
      ['/api/keys/not-a-uuid', 'KEY_NOT_FOUND'],
    ] as const) {
      const res = await call<ErrorBody>('GET', path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe(code);
    }
  });

  it('should never return, log or store a secret in the clear', async () => {
    const single = unique('sk-leak-single-');
    const bulk = [unique('sk-leak-bulk-'), unique('sk-leak-bulk-')];
    const imported = unique('sk-leak-import-');
    const created = await call<KeyResponse>('POST', '/api/keys', {
      upstreamId: upstream.id,
      secret: single,
      name: 'leak',
    });
    expect(created.status).toBe(201);
    expect(created.body.maskedSecret).toBe(`sk-…${single.slice(-4)}`);
    const duplicate = await call<ErrorBody>('POST', '/api/keys', { upstreamId: upstream.id, secret: single });
    expect(duplicate.status).toBe(409);
    const bulkRes = await call<{ added: number; skipped: unknown[] }>('POST', '/api/keys/bulk', {
      upstreamId: upstream.id,
      secrets: `${bulk.join('\n')}\n${single}\n`,
    });
    expect(bulkRes.body).toMatchObject({
      added: 2,
      skipped: [{ key: `sk-…${single.slice(-4)}`, reason: 'already in this upstream' }],
    });
    await call('POST', `/api/keys/import?upstreamId=${upstream.id}`, [{ key: imported, name: 'imported' }]);
    await call('POST', '/api/keys', { upstreamId: upstream.id, secret: `${single} with spaces` });
    await call('GET', '/api/keys');
    await call('GET', `/api/keys/${created.body.id}`);
    await call('GET', `/api/keys?search=${encodeURIComponent(single)}`);
    await call('PATCH', `/api/keys/${created.body.id}`, { weight: 3, tags: ['x'] });
    await call('POST', `/api/keys/${created.body.id}/test`);
    await call('GET', '/api/upstreams');

    const secrets = [single, ...bulk, imported];
    const responses = seen.join('\n');
    const output = keypool.output();
    const stored = databaseBytes(keypool.dataDir);
    for (const secret of secrets) {
      expect(responses).not.toContain(secret);
      expect(output).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    // The search by full secret found exactly that key.
    const found = await call<KeyResponse[]>('GET', `/api/keys?search=${encodeURIComponent(single)}`);
    expect(found.body.map((k) => k.id)).toEqual([created.body.id]);
    const exported = await call<KeyExportFile>('GET', '/api/keys/export');
    const exportedSecrets = exported.body.upstreams.flatMap((u) => u.keys.map((k) => k.plaintextSecret));
    expect(exportedSecrets).toEqual(expect.arrayContaining(secrets));
  });

  it.each([
    ['POST', '/api/upstreams', {}, ['name', 'baseUrl', 'format']],
    ['POST', '/api/upstreams', { name: 'bad', baseUrl: 'not a url', format: 'openai' }, ['baseUrl']],
    [
      'POST',
      '/api/upstreams',
      { name: 'meta', baseUrl: 'http://169.254.169.254/v1', format: 'openai' },
      ['baseUrl'],
    ],
    [
      'POST',
      '/api/upstreams',
      { name: 'x', baseUrl: 'https://a.example/v1', format: 'openai', colour: 'red' },
      ['colour'],
    ],
    [
      'POST',
      '/api/upstreams',
      {
        name: 'x',
        baseUrl: 'https://a.example/v1',
        format: 'openai',
        aliases: [{ name: 'f', model: 'm', tier: 0 }],
      },
      ['aliases.0.tier'],
    ],
    [
      'POST',
      '/api/upstreams',
      { name: 42, baseUrl: 'https://a.example/v1', format: 'grpc', timeoutMs: '5' },
      ['name', 'format', 'timeoutMs'],
    ],
    ['POST', '/api/keys', {}, ['upstreamId', 'secret']],
    [
      'POST',
      '/api/keys',
      { upstreamId: '__UPSTREAM__', secret: 'sk-negative-weight-1', weight: -1 },
      ['weight'],
    ],
    [
      'POST',
      '/api/keys',
      { upstreamId: '__UPSTREAM__', secret: 'sk-wrong-types-1', weight: '2', tags: 'a', enabled: 'yes' },
      ['weight', 'tags', 'enabled'],
    ],
    [
      'POST',
      '/api/keys',
      { upstreamId: '__UPSTREAM__', secret: 'sk-unknown-field-1', owner: 'me' },
      ['owner'],
    ],
    ['POST', '/api/keys/bulk', { upstreamId: '__UPSTREAM__' }, ['secrets']],
    ['PUT', '/api/settings', { maxAttempts: '3', strategy: 'random' }, ['maxAttempts', 'strategy']],
    ['POST', '/api/client-keys', { name: '', rpmLimit: 0 }, ['name', 'rpmLimit']],
  ])('should reject %s %s %j with 400 naming %j and write nothing', async (method, path, rawBody, fields) => {
    const body = JSON.parse(JSON.stringify(rawBody).replaceAll('__UPSTREAM__', upstream.id)) as unknown;
    const [keysBefore, upstreamsBefore, settingsBefore] = [
      await keyCount(),
      await upstreamCount(),
      (await call<Settings>('GET', '/api/settings')).body,
    ];
    const res = await call<ErrorBody>(method, path, body);
    expect(res.status).toBe(400);
    expect(['VALIDATION_FAILED', 'UPSTREAM_URL_REFUSED']).toContain(res.body.error.code);
    expect(Object.keys(res.body.error.details ?? {}).sort()).toEqual([...fields].sort());
    expect(await keyCount()).toBe(keysBefore);
    expect(await upstreamCount()).toBe(upstreamsBefore);
    expect((await call<Settings>('GET', '/api/settings')).body).toEqual(settingsBefore);
  });

  it('should answer malformed JSON with a 400 envelope', async () => {
    const res = await call<ErrorBody>('POST', '/api/upstreams', '{"name": "oops",');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('should import a plain list, key:weight pairs and the seed export, each idempotently', async () => {
    const target = (
      await call<UpstreamResponse>('POST', '/api/upstreams', {
        name: 'imports',
        baseUrl: `${mock.url}/v1`,
        format: 'openai',
      })
    ).body;
    const text = [unique('sk-text-'), unique('sk-text-')];
    const weighted = [unique('sk-w-'), unique('sk-w-')];
    const seed = [unique('AIza-seed-'), unique('AIza-seed-')];
    const bodies: unknown[] = [
      `${text.join('\n')}\n\n`,
      `${weighted[0]}:2,${weighted[1]}:5`,
      [
        { _id: 'a', key: seed[0], name: 'seed one', isActive: true, dailyRateLimit: 100 },
        { _id: 'b', key: seed[1], name: 'seed two', isActive: false },
      ],
    ];
    for (const body of bodies) {
      const send = (b: unknown) =>
        typeof b === 'string'
          ? callText<ImportKeysResponse>(`/api/keys/import?upstreamId=${target.id}`, b)
          : call<ImportKeysResponse>('POST', `/api/keys/import?upstreamId=${target.id}`, b);
      const first = await send(body);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ added: 2, skipped: [], invalid: [] });
      const second = await send(body);
      expect(second.body).toMatchObject({ added: 0, invalid: [] });
      expect(second.body.skipped).toHaveLength(2);
    }
    const keys = (await call<KeyResponse[]>('GET', `/api/keys?upstreamId=${target.id}`)).body;
    expect(keys).toHaveLength(6);
    expect(keys.filter((k) => k.weight === 5)).toHaveLength(1);
    expect(keys.find((k) => k.name === 'seed one')).toMatchObject({ dailyLimit: 100, enabled: true });
    expect(keys.find((k) => k.name === 'seed two')).toMatchObject({
      enabled: false,
      disabledReason: 'manual',
    });
    expect((await call<KeyResponse[]>('GET', '/api/keys?status=disabled')).body.map((k) => k.name)).toContain(
      'seed two',
    );

    const noTarget = await callText<ErrorBody>('/api/keys/import', unique('sk-x-'));
    expect(noTarget.status).toBe(400);
    expect(noTarget.body.error.details).toHaveProperty('upstreamId');
    const garbage = await call<ErrorBody>('POST', `/api/keys/import?upstreamId=${target.id}`, {
      hello: 'world',
    });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('IMPORT_INVALID');
    const partlyBad = await callText<ImportKeysResponse>(
      `/api/keys/import?upstreamId=${target.id}`,
      `${unique('sk-ok-')}:1,${unique('sk-bad-')}:0`,
    );
    expect(partlyBad.body.added).toBe(1);
    expect(partlyBad.body.invalid).toEqual([
      {
        key: expect.stringMatching(/^item 2 \(sk-…/) as unknown,
        reason: 'weight must be an integer from 1 to 1000',
      },
    ]);
  });

  it('should restore the same secrets after export, wipe and import, and import its own export idempotently', async () => {
    const tuned = await call('PATCH', `/api/upstreams/${upstream.id}`, {
      aliases: [{ name: 'fast', model: 'gpt-4o-mini', tier: 1 }],
      strategy: 'weighted',
      timeoutMs: 45_000,
    });
    expect(tuned.status).toBe(200);
    const exported = (await call<KeyExportFile>('GET', '/api/keys/export')).body;
    const again = await call<ImportKeysResponse>('POST', '/api/keys/import', exported);
    expect(again.body.added).toBe(0);

    const secretsOf = (file: KeyExportFile) =>
      file.upstreams
        .flatMap((u) => u.keys.map((k) => `${u.name}|${k.plaintextSecret}|${k.weight}|${k.enabled}`))
        .sort();
    const before = secretsOf(exported);
    expect(before.length).toBeGreaterThan(5);
    for (const u of (await call<UpstreamResponse[]>('GET', '/api/upstreams')).body) {
      expect((await call('DELETE', `/api/upstreams/${u.id}?force=true`)).status).toBe(204);
    }
    expect(await keyCount()).toBe(0);
    const restored = await call<ImportKeysResponse>('POST', '/api/keys/import', exported);
    expect(restored.body).toMatchObject({ added: before.length, skipped: [], invalid: [] });
    const after = (await call<KeyExportFile>('GET', '/api/keys/export')).body;
    expect(secretsOf(after)).toEqual(before);
    // The upstreams come back with their whole configuration, not only their keys.
    const configOf = (file: KeyExportFile) =>
      file.upstreams.map(({ keys: _keys, ...config }) => config).sort((a, b) => a.name.localeCompare(b.name));
    expect(configOf(after)).toEqual(configOf(exported));
    expect(configOf(after).find((u) => u.name === 'mock')).toMatchObject({
      aliases: [{ name: 'fast', model: 'gpt-4o-mini', tier: 1 }],
      strategy: 'weighted',
      timeoutMs: 45_000,
    });
    upstream = (await call<UpstreamResponse[]>('GET', '/api/upstreams')).body.find((u) => u.name === 'mock')!;
  });

  it('should name the export file by date and send it as an attachment', async () => {
    const res = await call('GET', '/api/keys/export');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="keypool-export-\d{4}-\d{2}-\d{2}\.json"$/,
    );
  });

  it('should refuse to delete an upstream with keys unless forced', async () => {
    const res = await call<ErrorBody>('DELETE', `/api/upstreams/${upstream.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('UPSTREAM_HAS_KEYS');
    expect(res.body.error.message).toMatch(/force=true/);
  });

  it('should test a key against the upstream and report ok, invalid, rate limited and unreachable', async () => {
    const secret = unique('sk-probe-');
    const key = (await call<KeyResponse>('POST', '/api/keys', { upstreamId: upstream.id, secret })).body;
    const probe = async () => (await call<KeyTestResponse>('POST', `/api/keys/${key.id}/test`)).body;
    expect(await probe()).toMatchObject({ result: 'ok', status: 200, reenabled: false });
    mock.setBehavior(secret, { mode: 'unauthorized' });
    expect(await probe()).toMatchObject({ result: 'invalid', status: 401 });
    mock.setBehavior(secret, { mode: 'rate_limit', retryAfterSeconds: 1 });
    expect(await probe()).toMatchObject({ result: 'rate_limited', status: 429 });
    mock.setBehavior(secret, null);
    const auth = mock.requests(secret).map((r) => r.path);
    expect(auth.every((p) => p.endsWith('/v1/models'))).toBe(true);

    const dead = (
      await call<UpstreamResponse>('POST', '/api/upstreams', {
        name: 'dead',
        baseUrl: 'http://127.0.0.1:1/v1',
        format: 'anthropic',
      })
    ).body;
    const deadKey = (
      await call<KeyResponse>('POST', '/api/keys', { upstreamId: dead.id, secret: unique('sk-ant-') })
    ).body;
    const unreachable = (await call<KeyTestResponse>('POST', `/api/keys/${deadKey.id}/test`)).body;
    expect(unreachable).toMatchObject({ result: 'unreachable', status: null });
  });

  it('should persist settings, validate them, and reset to defaults', async () => {
    const updated = await call<Settings>('PUT', '/api/settings', { strategy: 'least-busy', maxAttempts: 5 });
    expect(updated.body).toMatchObject({ strategy: 'least-busy', maxAttempts: 5 });
    const crossField = await call<ErrorBody>('PUT', '/api/settings', {
      breakerCooldownMs: 60_000,
      breakerMaxCooldownMs: 30_000,
    });
    expect(crossField.status).toBe(400);
    expect(Object.keys(crossField.body.error.details ?? {})).toEqual(['breakerMaxCooldownMs']);
    await keypool.restart();
    await admin.login();
    expect((await call<Settings>('GET', '/api/settings')).body).toMatchObject({
      strategy: 'least-busy',
      maxAttempts: 5,
    });
    const reset = await call<Settings>('POST', '/api/settings/reset');
    expect(reset.body).toMatchObject({ strategy: 'round-robin', maxAttempts: 3 });
  });
});

describe('upstream URL policy and env bootstrap', () => {
  it('should refuse private upstreams when ALLOW_PRIVATE_UPSTREAMS=false', async () => {
    const keypool = await startKeypool({ env: { ALLOW_PRIVATE_UPSTREAMS: 'false' } });
    try {
      const admin = adminClient(keypool.url);
      await admin.login();
      for (const baseUrl of [
        'http://127.0.0.1:11434/v1',
        'http://localhost/v1',
        'http://[::1]/v1',
        'http://10.0.0.1/v1',
      ]) {
        const res = await admin.request<ErrorBody>('POST', '/api/upstreams', {
          name: 'local',
          baseUrl,
          format: 'openai',
        });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('UPSTREAM_URL_REFUSED');
      }
    } finally {
      await keypool.stop();
    }
  });

  it('should create the default upstream and its keys from env, and update weights on restart', async () => {
    const mock = await startMock();
    const [a, b] = [unique('sk-env-'), unique('sk-env-')];
    const keypool = await startKeypool({
      env: { UPSTREAM_URL: `${mock.url}/v1`, UPSTREAM_FORMAT: 'openai', UPSTREAM_KEYS: `${a}:1,${b}:3` },
    });
    try {
      const admin = adminClient(keypool.url);
      await admin.login();
      const upstreams = (await admin.request<UpstreamResponse[]>('GET', '/api/upstreams')).body;
      expect(upstreams).toMatchObject([
        { name: 'default', baseUrl: `${mock.url}/v1`, format: 'openai', keyCount: 2 },
      ]);
      expect(
        (await admin.request<KeyResponse[]>('GET', '/api/keys')).body.map((k) => k.weight).sort(),
      ).toEqual([1, 3]);
      expect(keypool.output()).not.toContain(a);

      (keypool.env as Record<string, string>).UPSTREAM_KEYS = `${a}:2,${b}:3`;
      await keypool.restart();
      await admin.login();
      const keys = (await admin.request<KeyResponse[]>('GET', '/api/keys')).body;
      expect(keys.map((k) => k.weight).sort()).toEqual([2, 3]);
    } finally {
      await keypool.stop();
      await mock.close();
    }
  });
});
