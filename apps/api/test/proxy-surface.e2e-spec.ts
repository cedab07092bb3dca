import type { CursorPage, RequestLogResponse, UpstreamResponse } from '@keypool/shared';
import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpJson, replyText, setupPool, waitFor, type Pool, type RecordedRequest } from './support';

/**
 * The proxy surface over real HTTP: official SDKs → keypool → mock upstream, for the OpenAI, Anthropic
 * and Gemini dialects. Fault tests (stalls, aborts) run last so they cannot disturb the others.
 */
describe('proxy surface', () => {
  let pool: Pool;
  let anthropicUpstream: UpstreamResponse;
  let geminiUpstream: UpstreamResponse;
  const allSecrets: string[] = [];

  beforeAll(async () => {
    pool = await setupPool({
      format: 'openai',
      keys: 3,
      // Never let the stall tests open breakers that later tests would trip over.
      settings: { ttfbTimeoutMs: 1_000, idleTimeoutMs: 1_000, maxFailures: 1_000, failureRateThreshold: 1 },
    });
    anthropicUpstream = await pool.admin.createUpstream({
      name: 'mock-anthropic',
      baseUrl: `${pool.mock.url}/v1`,
      format: 'anthropic',
      modelPatterns: ['*'],
    });
    geminiUpstream = await pool.admin.createUpstream({
      name: 'mock-gemini',
      baseUrl: `${pool.mock.url}/v1beta`,
      format: 'gemini',
      modelPatterns: ['*'],
    });
    for (const [upstream, prefix] of [
      [anthropicUpstream, 'anthropic'],
      [geminiUpstream, 'gemini'],
    ] as const) {
      for (let i = 1; i <= 2; i++) {
        await pool.admin.addKey({ upstreamId: upstream.id, secret: `${prefix}-key-${i}` });
        allSecrets.push(`${prefix}-key-${i}`);
      }
    }
    allSecrets.push(...pool.secrets);
  });

  afterAll(() => pool?.close());

  function lastRequest(): RecordedRequest {
    const requests = pool.mock.requests();
    return requests[requests.length - 1];
  }

  /** Exactly one credential reached the mock, it is a pool key, and it is not the client's. */
  function expectPoolKeyOnly(request: RecordedRequest): void {
    expect(request.credentials).toHaveLength(1);
    expect(allSecrets).toContain(request.key);
    expect(JSON.stringify(request.headers)).not.toContain(pool.masterKey);
    expect(JSON.stringify(request.query)).not.toContain(pool.masterKey);
  }

  async function logOf(requestId: string): Promise<RequestLogResponse> {
    let found: RequestLogResponse | undefined;
    await waitFor(async () => {
      const page = await pool.admin.request('GET', '/api/logs?limit=100');
      found = (page.body as CursorPage<RequestLogResponse>).items.find((l) => l.requestId === requestId);
      return found !== undefined;
    }, 10_000);
    return found!;
  }

  it('should pass a chat completion through byte-identical with one pool key, and meter it', async () => {
    const params = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hello there' }] };
    const { data, response } = await pool.openai.chat.completions.create(params).withResponse();
    expect(data.choices[0]?.message.content).toBe(replyText());
    const request = lastRequest();
    expectPoolKeyOnly(request);
    expect(request.body.toString()).toBe(JSON.stringify(params));
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toBeTruthy();
    const log = await logOf(requestId);
    expect(log.promptTokens).toBe(request.usage!.inputTokens);
    expect(log.completionTokens).toBe(request.usage!.outputTokens);
  });

  it('should stream chat chunks, add include_usage upstream and hide its chunk from the client', async () => {
    const params = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'Stream please' }],
      stream: true as const,
    };
    const { data: stream, response } = await pool.openai.chat.completions.create(params).withResponse();
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      // Neither the usage-only chunk nor the `"usage":null` of the others: the client never asked for them.
      expect(chunk.choices.length).toBeGreaterThan(0);
      expect('usage' in chunk).toBe(false);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe(replyText());
    expect(chunks).toBeGreaterThan(2);
    const request = lastRequest();
    expectPoolKeyOnly(request);
    const sent = JSON.stringify(params);
    expect(request.body.toString()).toBe(`${sent.slice(0, -1)},"stream_options":{"include_usage":true}}`);
    const log = await logOf(response.headers.get('x-request-id')!);
    expect(log.stream).toBe(true);
    expect(log.promptTokens).toBe(request.usage!.inputTokens);
    expect(log.completionTokens).toBe(request.usage!.outputTokens);
  });

  it('should pass embeddings and list the merged models', async () => {
    const embedding = await pool.openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });
    expect(embedding.data[0]?.embedding.length).toBeGreaterThan(0);
    expectPoolKeyOnly(lastRequest());
    const models = await pool.openai.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toContain('gpt-4o-mini');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should forward a multipart audio upload unchanged', async () => {
    const file = await toFile(Buffer.from('RIFF....WAVEfmt '), 'clip.wav', { type: 'audio/wav' });
    const transcription = await pool.openai.audio.transcriptions.create({ model: 'whisper-1', file });
    expect(transcription.text).toContain('clip.wav');
    const request = lastRequest();
    expectPoolKeyOnly(request);
    expect(request.path).toBe('/v1/audio/transcriptions');
    expect(String(request.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.model).toBe('whisper-1');
  });

  it('should serve Anthropic messages plain and streamed with x-api-key and a default version', async () => {
    const params = {
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    const { data: message, response } = await pool.anthropic.messages.create(params).withResponse();
    expect(message.content[0]).toMatchObject({ type: 'text', text: replyText() });
    const plain = lastRequest();
    expectPoolKeyOnly(plain);
    expect(plain.keySource).toBe('x-api-key');
    expect(plain.body.toString()).toBe(JSON.stringify(params));
    const plainLog = await logOf(response.headers.get('x-request-id')!);
    expect(plainLog.promptTokens).toBe(plain.usage!.inputTokens);
    expect(plainLog.completionTokens).toBe(plain.usage!.outputTokens);

    const stream = pool.anthropic.messages.stream(params);
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: replyText() });
    const streamed = lastRequest();
    expectPoolKeyOnly(streamed);
    const raw = await httpJson(
      'POST',
      `${pool.keypool.url}/v1/messages`,
      { ...params, stream: true },
      {
        'x-api-key': pool.masterKey,
      },
    );
    expect(raw.status).toBe(200);
    expect(lastRequest().headers['anthropic-version']).toBe('2023-06-01');
    const streamLog = await logOf(raw.headers.get('x-request-id')!);
    expect(streamLog.promptTokens).toBe(lastRequest().usage!.inputTokens);
    expect(streamLog.completionTokens).toBe(lastRequest().usage!.outputTokens);
  });

  it('should stream Gemini SSE with the pool key as x-goog-api-key and never in the URL', async () => {
    const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
    const response = await fetch(
      `${pool.keypool.url}/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse&key=${pool.masterKey}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body },
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.split('\n\n').filter((e) => e.startsWith('data:')).length).toBeGreaterThan(1);
    const request = lastRequest();
    expectPoolKeyOnly(request);
    expect(request.keySource).toBe('x-goog-api-key');
    expect(request.query).toEqual({ alt: 'sse' });
    expect(request.body.toString()).toBe(body);
    const log = await logOf(response.headers.get('x-request-id')!);
    expect(log.promptTokens).toBe(request.usage!.inputTokens);
    expect(log.completionTokens).toBe(request.usage!.outputTokens);
  });

  it('should answer its own errors in the caller dialect', async () => {
    const openai = await httpJson('POST', `${pool.keypool.url}/v1/chat/completions`, '{"model":', {
      authorization: `Bearer ${pool.masterKey}`,
      'content-type': 'application/json',
    });
    expect(openai.status).toBe(400);
    expect(openai.body).toMatchObject({ error: { type: 'invalid_request_error' } });
    const anthropic = await httpJson(
      'POST',
      `${pool.keypool.url}/v1/messages`,
      {},
      { 'x-api-key': 'wrong-key-123' },
    );
    expect(anthropic.status).toBe(401);
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const gemini = await httpJson(
      'POST',
      `${pool.keypool.url}/v1beta/models/gemini-2.0-flash:generateContent`,
      {},
    );
    expect(gemini.status).toBe(401);
    expect(gemini.body).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    expect(gemini.headers.get('x-request-id')).toBeTruthy();
  });

  it('should deliver chunks with the upstream pacing', async () => {
    pool.mock.setBehavior('*', { chunkDelayMs: 200, chunkCount: 5 });
    try {
      const stream = await pool.openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'slowly' }],
        stream: true,
      });
      const arrivals: number[] = [];
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) {
          arrivals.push(Date.now());
        }
      }
      expect(arrivals.length).toBe(5);
      const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
      for (const gap of gaps) {
        expect(gap).toBeGreaterThan(100);
        expect(gap).toBeLessThan(400);
      }
    } finally {
      pool.mock.setBehavior('*', null);
    }
  });

  it('should record a client abort after the first chunk as 499 and close the upstream at once', async () => {
    pool.mock.setBehavior('*', { chunkDelayMs: 300, chunkCount: 10 });
    try {
      pool.mock.clearRequests();
      const controller = new AbortController();
      const { data: stream, response } = await pool.openai.chat.completions
        .create(
          { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'long' }], stream: true },
          { signal: controller.signal },
        )
        .withResponse();
      let abortedAt = 0;
      try {
        for await (const _chunk of stream) {
          abortedAt = Date.now();
          controller.abort();
        }
      } catch {
        // The SDK may end the iteration or raise an abort error; either way the client is gone.
      }
      expect(abortedAt).toBeGreaterThan(0);
      await waitFor(() => lastRequest().closedEarly, 2_000, 20);
      expect(lastRequest().closedAt! - abortedAt).toBeLessThan(500);
      const log = await logOf(response.headers.get('x-request-id')!);
      expect(log.status).toBe(499);
      expect(log.outcome).toBe('client_cancel');
    } finally {
      pool.mock.setBehavior('*', null);
    }
  });

  it('should abandon an upstream that sends headers but no first event within the TTFB limit', async () => {
    pool.mock.setBehavior('*', { mode: 'headers_then_stall' });
    try {
      pool.mock.clearRequests();
      const started = Date.now();
      await expect(
        pool.openai.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'stall' }],
          stream: true,
        }),
      ).rejects.toMatchObject({ status: 504 });
      const tried = pool.mock.requests().map((r) => r.key);
      expect(tried.length).toBeGreaterThanOrEqual(1);
      expect(new Set(tried).size).toBe(tried.length);
      expect(Date.now() - started).toBeLessThan(1_000 * tried.length + 2_000);
    } finally {
      pool.mock.setBehavior('*', null);
    }
  });

  it('should end a stream that stalls mid-way with an error event', async () => {
    pool.mock.setBehavior('*', { stallAfterChunks: 2, chunkCount: 6 });
    try {
      const stream = await pool.openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'stall later' }],
        stream: true,
      });
      let text = '';
      await expect(async () => {
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta.content ?? '';
        }
      }).rejects.toThrow(/stalled/);
      expect(text.length).toBeGreaterThan(0);
    } finally {
      pool.mock.setBehavior('*', null);
    }
  });
});
