import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, httpJson, startKeypool, TEST_ADMIN_PASSWORD, type KeypoolProcess } from './support';

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every documented admin route (login and the /api/v1 proxy alias aside), path params filled in. */
async function adminRoutes(url: string): Promise<Array<[string, string]>> {
  const doc = (await httpJson<OpenApiDocument>('GET', `${url}/docs-json`)).body;
  return Object.entries(doc.paths)
    .filter(
      ([path]) => path.startsWith('/api/') && !path.startsWith('/api/v1/') && path !== '/api/auth/login',
    )
    .flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => HTTP_METHODS.includes(method))
        .map((method): [string, string] => [method.toUpperCase(), path.replace(/\{[^}]+\}/g, randomUUID())]),
    );
}

describe('admin authentication', () => {
  let keypool: KeypoolProcess;

  beforeAll(async () => {
    keypool = await startKeypool();
  });
  afterAll(() => keypool?.stop());

  it('should answer 401 in the admin envelope on every admin route without a token', async () => {
    const routes = await adminRoutes(keypool.url);
    expect(routes.length).toBeGreaterThan(20);
    for (const [method, path] of routes) {
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      const res = await httpJson(method, `${keypool.url}${path}`, body);
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({
        route: `${method} ${path}`,
        status: 401,
      });
      expect(res.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('should refuse a forged or malformed token', async () => {
    for (const token of ['garbage', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsInR2IjowfQ.x']) {
      const res = await httpJson('GET', `${keypool.url}/api/keys`, undefined, {
        authorization: `Bearer ${token}`,
      });
      expect(res.status).toBe(401);
    }
  });

  it('should document the admin bearer scheme on admin routes', async () => {
    const doc = (
      await httpJson<OpenApiDocument & { components: { securitySchemes: object } }>(
        'GET',
        `${keypool.url}/docs-json`,
      )
    ).body;
    expect(doc.components.securitySchemes).toHaveProperty('admin');
    const listKeys = doc.paths['/api/keys']?.get as { security?: unknown[] };
    expect(listKeys.security).toEqual([{ admin: [] }]);
    // The proxy routes live outside Nest's router but are documented with the client-key scheme.
    expect(doc.components.securitySchemes).toHaveProperty('client');
    const chat = doc.paths['/v1/chat/completions']?.post as { security?: unknown[] };
    expect(chat.security).toEqual([{ client: [] }]);
    expect(doc.paths).toHaveProperty(['/v1/messages']);
    expect(doc.paths).toHaveProperty(['/v1beta/models/{model}:generateContent']);
  });
});

describe('login throttling', () => {
  let keypool: KeypoolProcess;

  beforeAll(async () => {
    keypool = await startKeypool();
  });
  afterAll(() => keypool?.stop());

  it('should reject a wrong password, then answer 429 with Retry-After on the 6th attempt in a minute', async () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const res = await httpJson('POST', `${keypool.url}/api/auth/login`, { password: `wrong-${attempt}` });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong password' } });
    }
    const sixth = await httpJson('POST', `${keypool.url}/api/auth/login`, { password: TEST_ADMIN_PASSWORD });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    const throttled = sixth.body as { error: { code: string; details: { retryAfterSeconds: number } } };
    expect(throttled.error.code).toBe('TOO_MANY_REQUESTS');
    expect(throttled.error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(keypool.output()).not.toContain('wrong-1');
  });
});

describe('admin password', () => {
  it('should generate a password when ADMIN_PASSWORD is unset, print it once, and revoke tokens when it changes', async () => {
    const keypool = await startKeypool({ env: { ADMIN_PASSWORD: undefined } });
    try {
      const generated = /generated an admin password[^\n]*\n\s+(\S+)/.exec(keypool.output())?.[1];
      expect(generated).toBeTruthy();
      const admin = adminClient(keypool.url);
      const oldToken = await admin.login(generated);
      const me = await admin.request('GET', '/api/auth/me');
      expect(me.body).toEqual({ authenticated: true, loginRequired: true, passwordManagedByEnv: false });

      const tooShort = await admin.request('POST', '/api/auth/password', {
        currentPassword: generated,
        newPassword: 'short',
      });
      expect(tooShort.status).toBe(400);
      const invalid = tooShort.body as { error: { code: string; details: Record<string, string[]> } };
      expect(invalid.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(invalid.error.details)).toEqual(['newPassword']);

      const changed = await admin.request<{ accessToken: string }>('POST', '/api/auth/password', {
        currentPassword: generated,
        newPassword: 'a-brand-new-password',
      });
      expect(changed.status).toBe(200);
      const stale = await httpJson('GET', `${keypool.url}/api/keys`, undefined, {
        authorization: `Bearer ${oldToken}`,
      });
      expect(stale.status).toBe(401);
      const fresh = await httpJson('GET', `${keypool.url}/api/keys`, undefined, {
        authorization: `Bearer ${changed.body.accessToken}`,
      });
      expect(fresh.status).toBe(200);

      await keypool.restart();
      expect(keypool.output().match(/generated an admin password/g)).toHaveLength(1);
      expect(
        (await httpJson('POST', `${keypool.url}/api/auth/login`, { password: 'a-brand-new-password' }))
          .status,
      ).toBe(200);
      expect(keypool.output()).not.toContain('a-brand-new-password');
    } finally {
      await keypool.stop();
    }
  });

  it('should refuse to change a password that ADMIN_PASSWORD sets', async () => {
    const keypool = await startKeypool();
    try {
      const admin = adminClient(keypool.url);
      await admin.login();
      expect((await admin.request('GET', '/api/auth/me')).body).toMatchObject({ passwordManagedByEnv: true });
      const res = await admin.request('POST', '/api/auth/password', {
        currentPassword: TEST_ADMIN_PASSWORD,
        newPassword: 'another-password',
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ error: { code: 'PASSWORD_MANAGED_BY_ENV' } });
    } finally {
      await keypool.stop();
    }
  });

  it('should open the admin API when REQUIRE_ADMIN_LOGIN=false', async () => {
    const keypool = await startKeypool({ env: { REQUIRE_ADMIN_LOGIN: 'false' } });
    try {
      expect((await httpJson('GET', `${keypool.url}/api/keys`)).status).toBe(200);
      expect((await httpJson('GET', `${keypool.url}/api/auth/me`)).body).toEqual({
        authenticated: false,
        loginRequired: false,
        passwordManagedByEnv: true,
      });
    } finally {
      await keypool.stop();
    }
  });

  it('should refuse to start on a shared database without ENCRYPTION_KEY and JWT_SECRET', async () => {
    await expect(
      startKeypool({
        env: {
          DATABASE_URL: 'postgres://keypool@127.0.0.1:5432/keypool',
          ENCRYPTION_KEY: undefined,
          JWT_SECRET: undefined,
        },
        readyTimeoutMs: 15_000,
      }),
    ).rejects.toThrow(/ENCRYPTION_KEY: required when DATABASE_URL is set[\s\S]*JWT_SECRET: required/);
  });
});
