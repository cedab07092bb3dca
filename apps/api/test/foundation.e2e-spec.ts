import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  httpJson,
  openaiClient,
  replyText,
  setupPool,
  startKeypool,
  TEST_MASTER_KEY,
  type Pool,
} from './support';

/** Issue 2's acceptance: keypool and the mock upstream as real processes on loopback. */
describe('foundation', () => {
  let pool: Pool;

  beforeAll(async () => {
    pool = await setupPool({ format: 'openai', keys: 3, mock: { defaultBehavior: { chunkCount: 6 } } });
  });
  afterAll(async () => {
    await pool?.close();
  });

  const chatRequest = (content: string) => ({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user' as const, content }],
  });

  it('should answer /health with 200', async () => {
    const res = await fetch(`${pool.keypool.url}/health`);
    expect(res.status, await res.text()).toBe(200);
  });

  it('should serve Swagger at /docs and the OpenAPI document at /docs-json', async () => {
    const page = await fetch(`${pool.keypool.url}/docs`);
    expect(page.status).toBe(200);
    expect((await page.text()).toLowerCase()).toContain('swagger');
    const spec = await httpJson<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      `${pool.keypool.url}/docs-json`,
    );
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toContain('/api/auth/login');
  });

  const spaBuilt = existsSync(resolve(__dirname, '..', '..', 'web', 'dist', 'index.html'));
  it.skipIf(!spaBuilt)('should serve the SPA login page at /ui, with / redirecting there', async () => {
    const root = await fetch(`${pool.keypool.url}/`, { redirect: 'manual' });
    expect([301, 302, 303, 307, 308]).toContain(root.status);
    expect(root.headers.get('location')).toMatch(/\/ui\/?$/);
    const page = await fetch(`${pool.keypool.url}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toMatch(/<div id="root">|<script/);
    const deepLink = await fetch(`${pool.keypool.url}/ui/login`);
    expect(deepLink.status).toBe(200);
  });

  it('should spread 9 chat completions round-robin: each key exactly 3 times', async () => {
    pool.mock.clearRequests();
    for (let i = 0; i < 9; i++) {
      const completion = await pool.openai.chat.completions.create(chatRequest(`question ${i}`));
      expect(completion.choices[0]?.message.content).toBe(replyText({ chunkCount: 6 }));
      expect(completion.usage?.completion_tokens).toBe(6);
    }
    const chats = pool.mock.requests().filter((r) => r.path === '/v1/chat/completions');
    expect(chats).toHaveLength(9);
    const perKey = Object.fromEntries(
      pool.secrets.map((secret) => [secret, chats.filter((r) => r.key === secret).length]),
    );
    expect(perKey).toEqual(Object.fromEntries(pool.secrets.map((secret) => [secret, 3])));
    // The client's master key never travels upstream; exactly one pool key does.
    for (const record of chats) {
      expect(record.credentials).toHaveLength(1);
      expect(record.credentials[0]?.value).not.toBe(TEST_MASTER_KEY);
    }
  });

  it('should stream 3 chat completions chunk by chunk', async () => {
    for (let i = 0; i < 3; i++) {
      const stream = await pool.openai.chat.completions.create({
        ...chatRequest(`stream ${i}`),
        stream: true,
      });
      const pieces: string[] = [];
      for await (const chunk of stream) {
        const piece = chunk.choices[0]?.delta.content;
        if (piece) {
          pieces.push(piece);
        }
      }
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces).toHaveLength(6);
      expect(pieces.join('')).toBe(replyText({ chunkCount: 6 }));
    }
  });

  it('should list models through /v1/models', async () => {
    const models = await pool.openai.models.list();
    expect(models.data.map((m) => m.id)).toContain('gpt-4o-mini');
  });

  it('should refuse a wrong or missing master key with 401 in OpenAI format', async () => {
    const wrong = openaiClient(pool.keypool.url, 'not-the-master-key');
    await expect(wrong.chat.completions.create(chatRequest('hi'))).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );

    for (const headers of [{ authorization: 'Bearer not-the-master-key' }, {} as Record<string, string>]) {
      const res = await httpJson<OpenAIErrorBody>(
        'POST',
        `${pool.keypool.url}/v1/chat/completions`,
        chatRequest('hi'),
        headers,
      );
      expect(res.status).toBe(401);
      expectOpenAIError(res.body);
    }
  });

  it('should reject a malformed JSON body with 400 in OpenAI format', async () => {
    const res = await httpJson<OpenAIErrorBody>(
      'POST',
      `${pool.keypool.url}/v1/chat/completions`,
      '{"model": "gpt-4o-mini", "messages": [',
      {
        authorization: `Bearer ${pool.masterKey}`,
        'content-type': 'application/json',
      },
    );
    expect(res.status).toBe(400);
    expectOpenAIError(res.body);
  });

  it('should keep upstreams and keys across a restart, with the schema made by migrations', async () => {
    await pool.keypool.restart();
    const admin = adminClient(pool.keypool.url);
    await admin.login();
    const upstreams = await admin.request<unknown>('GET', '/api/upstreams');
    expect(upstreams.status).toBe(200);
    expect(listOf<{ id: string }>(upstreams.body).map((u) => u.id)).toContain(pool.upstream.id);
    const keys = await admin.request<unknown>('GET', '/api/keys');
    expect(keys.status).toBe(200);
    const listed = listOf<{ id: string; maskedSecret: string }>(keys.body);
    expect(listed.map((k) => k.id).sort()).toEqual(pool.keys.map((k) => k.id).sort());
    expect(JSON.stringify(keys.body)).not.toContain(pool.secrets[0]);

    const completion = await pool.openai.chat.completions.create(chatRequest('after restart'));
    expect(completion.choices[0]?.message.content).toBe(replyText({ chunkCount: 6 }));

    const databaseUrl = pool.keypool.env.DATABASE_URL;
    const names = databaseUrl
      ? await postgresColumn(databaseUrl, 'SELECT name FROM migrations')
      : await sqliteColumn(join(pool.keypool.dataDir, 'keypool.sqlite'), 'SELECT name FROM migrations');
    expect(names.length).toBeGreaterThan(0);
    expect(names.some((name) => /initial/i.test(name))).toBe(true);
  });
});

describe('foundation without keys', () => {
  it('should answer 503 telling the admin to add keys when the upstream has none', async () => {
    const keypool = await startKeypool({ env: { MASTER_API_KEY: TEST_MASTER_KEY } });
    try {
      const admin = adminClient(keypool.url);
      await admin.login();
      await admin.createUpstream({
        name: 'empty',
        baseUrl: 'http://127.0.0.1:9/v1',
        format: 'openai',
        modelPatterns: ['*'],
      });
      const res = await httpJson<OpenAIErrorBody>(
        'POST',
        `${keypool.url}/v1/chat/completions`,
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { authorization: `Bearer ${TEST_MASTER_KEY}` },
      );
      expect(res.status).toBe(503);
      expectOpenAIError(res.body);
      expect(res.body.error.message).toMatch(/add.*key/i);
    } finally {
      await keypool.stop();
    }
  });

  it('should answer 503 telling the admin to add keys on a fresh install', async () => {
    const keypool = await startKeypool({ env: { MASTER_API_KEY: TEST_MASTER_KEY } });
    try {
      const res = await httpJson<OpenAIErrorBody>(
        'POST',
        `${keypool.url}/v1/chat/completions`,
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { authorization: `Bearer ${TEST_MASTER_KEY}` },
      );
      expect(res.status).toBe(503);
      expectOpenAIError(res.body);
      expect(res.body.error.message).toMatch(/add.*key/i);
    } finally {
      await keypool.stop();
    }
  });
});

interface OpenAIErrorBody {
  error: { message: string; type: string; param: unknown; code: unknown };
}

function expectOpenAIError(body: OpenAIErrorBody): void {
  expect(body).toHaveProperty('error');
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(typeof body.error.type).toBe('string');
  expect(body.error).toHaveProperty('code');
}

/** A list endpoint's items, whether it answers an array or a page (`{ items }`). */
function listOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) {
    return body as T[];
  }
  return (body as { items?: T[] } | null)?.items ?? [];
}

function sqliteColumn(file: string, sql: string): Promise<string[]> {
  return new Promise((resolveRows, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openError) => {
      if (openError) {
        reject(openError);
        return;
      }
      db.all<{ name: string }>(sql, (error, rows) => {
        db.close();
        if (error) {
          reject(error);
        } else {
          resolveRows(rows.map((row) => row.name));
        }
      });
    });
  });
}

async function postgresColumn(url: string, sql: string): Promise<string[]> {
  const dataSource = await new DataSource({ type: 'postgres', url }).initialize();
  try {
    const rows = await dataSource.query<Array<{ name: string }>>(sql);
    return rows.map((row) => row.name);
  } finally {
    await dataSource.destroy();
  }
}
