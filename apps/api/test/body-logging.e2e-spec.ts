import type { CursorPage, RequestLogDetailResponse, RequestLogResponse } from '@keypool/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpJson, replyText, setupPool, waitFor, type Pool } from './support';

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'body-logging marker' }] };

describe('request and response body logging over real HTTP', () => {
  let pool: Pool;

  beforeAll(async () => {
    pool = await setupPool({ keys: 1, settings: { bodyLogging: 'errors', bodyLogMaxBytes: 4096 } });
  });
  afterAll(() => pool?.close());

  /** The detail of the log row of the request with this id, once written. */
  async function logOf(requestId: string): Promise<RequestLogDetailResponse> {
    const row = await waitFor(async () => {
      const page = await pool.admin.request<CursorPage<RequestLogResponse>>('GET', '/api/logs?limit=20');
      return page.body.items.find((r) => r.requestId === requestId);
    });
    return (await pool.admin.request<RequestLogDetailResponse>('GET', `/api/logs/${row!.id}`)).body;
  }

  async function send(requestId: string, body: object): Promise<number> {
    const res = await httpJson('POST', `${pool.keypool.url}/v1/chat/completions`, body, {
      authorization: `Bearer ${pool.masterKey}`,
      'x-request-id': requestId,
    });
    return res.status;
  }

  it('should keep bodies of failed requests only, with the pool key masked, under "errors"', async () => {
    expect(await send('ok-under-errors', chat)).toBe(200);
    const secret = pool.secrets[0];
    pool.mock.setBehavior(secret, {
      mode: 'error',
      status: 400,
      body: { error: { message: `The key ${secret} cannot use this model`, type: 'invalid_request_error' } },
    });
    expect(await send('failed-under-errors', chat)).toBe(400);
    pool.mock.setBehavior(secret, null);

    const ok = await logOf('ok-under-errors');
    expect(ok.requestBody).toBeNull();
    expect(ok.responseBody).toBeNull();
    const failed = await logOf('failed-under-errors');
    expect(failed.status).toBe(400);
    expect(failed.requestBody).toContain('body-logging marker');
    expect(failed.responseBody).toContain('cannot use this model');
    expect(failed.responseBody).not.toContain(secret);
  });

  it('should keep both bodies of every request, plain and streamed, under "all"', async () => {
    expect((await pool.admin.request('PUT', '/api/settings', { bodyLogging: 'all' })).status).toBe(200);
    expect(await send('ok-under-all', chat)).toBe(200);
    expect(await send('stream-under-all', { ...chat, stream: true })).toBe(200);

    const plain = await logOf('ok-under-all');
    expect(plain.requestBody).toContain('body-logging marker');
    expect(plain.responseBody).toContain(replyText());
    const streamed = await logOf('stream-under-all');
    expect(streamed.requestBody).toContain('"stream":true');
    expect(streamed.responseBody).toContain('data: {');
  });
});
