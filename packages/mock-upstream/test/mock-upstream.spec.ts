import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replyText, startMockUpstream, type MockUpstream } from '../src';

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

function chat(key: string, body: object, init: RequestInit = {}) {
  return fetch(`${mock.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'one two three' }],
      ...body,
    }),
    ...init,
  });
}

/** The `data:` payloads of an SSE body. */
function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .flatMap((event) => event.split('\n').filter((line) => line.startsWith('data: ')))
    .map((line) => line.slice('data: '.length));
}

describe('mock upstream', () => {
  it('should answer a chat completion with deterministic usage and record the request', async () => {
    const res = await chat('sk-one', {});
    const body = (await res.json()) as {
      choices: Array<{ message: { content: string } }>;
      usage: Record<string, number>;
    };
    expect(res.status).toBe(200);
    expect(body.choices[0].message.content).toBe(replyText());
    expect(body.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
    const [record] = mock.requests('sk-one');
    expect(record).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      keySource: 'authorization',
      status: 200,
      model: 'gpt-4o-mini',
    });
    expect(record.usage).toEqual({ inputTokens: 3, outputTokens: 5 });
    expect(mock.counts()).toEqual({ 'sk-one': 1 });
  });

  it('should add the usage chunk to a stream only when include_usage is asked for', async () => {
    const plain = sseData(await (await chat('k', { stream: true })).text());
    expect(plain.at(-1)).toBe('[DONE]');
    expect(plain.some((data) => data.includes('"usage"'))).toBe(false);
    expect(plain).toHaveLength(5 + 3);

    const metered = sseData(
      await (await chat('k', { stream: true, stream_options: { include_usage: true } })).text(),
    );
    const usageChunk = JSON.parse(metered.at(-2)!) as {
      choices: unknown[];
      usage: { completion_tokens: number };
    };
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.completion_tokens).toBe(5);
  });

  it('should fail every k-th request of a flaky key and spend a budget down to 429', async () => {
    mock.setBehavior('flaky', { flaky: { every: 2 } });
    const flakyStatuses = [];
    for (let i = 0; i < 4; i++) {
      flakyStatuses.push((await chat('flaky', {})).status);
    }
    expect(flakyStatuses).toEqual([200, 500, 200, 500]);

    mock.setBehavior('limited', { budget: { requests: 2, windowMs: 60_000 } });
    const first = await chat('limited', {});
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    const second = await chat('limited', {});
    expect(second.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const third = await chat('limited', {});
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
  });

  it('should stall a stream after N chunks and record when the client leaves', async () => {
    mock.setBehavior('*', { stallAfterChunks: 2 });
    const controller = new AbortController();
    const res = await chat('k', { stream: true }, { signal: controller.signal });
    const reader = res.body!.getReader();
    let seen = '';
    // Bounded: the mock sends 3 events (role + 2 content chunks) before it stalls.
    while (sseData(seen).length < 3) {
      const chunk = (await reader.read()) as { value?: Uint8Array };
      seen += Buffer.from(chunk.value ?? []).toString('utf8');
    }
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [record] = mock.requests();
    expect(record.chunksSent).toBe(2);
    expect(record.closedEarly).toBe(true);
    expect(record.closedAt).not.toBeNull();
  });

  it('should explain a Gemini 429 with RetryInfo and notice a key sent in the query', async () => {
    mock.setBehavior('*', { mode: 'rate_limit', retryAfterSeconds: 7 });
    const res = await fetch(`${mock.url}/v1beta/models/gemini-2.0-flash:generateContent?key=g-key`, {
      method: 'POST',
      body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
    });
    const body = (await res.json()) as { error: { status: string; details: Array<Record<string, unknown>> } };
    expect(res.status).toBe(429);
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body.error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '7s',
    });
    expect(mock.requests()[0].keySource).toBe('query');
  });

  it('should stream Gemini without alt=sse as one JSON array', async () => {
    const res = await fetch(`${mock.url}/v1beta/models/gemini-2.0-flash:streamGenerateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'g' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
    });
    const events = JSON.parse(await res.text()) as Array<{ usageMetadata: { candidatesTokenCount: number } }>;
    expect(events).toHaveLength(5);
    expect(events.at(-1)!.usageMetadata.candidatesTokenCount).toBe(5);
  });

  it('should echo the size of a multipart upload', async () => {
    const form = new FormData();
    form.append('model', 'whisper-1');
    form.append('file', new Blob([Buffer.alloc(1234, 7)]), 'clip.wav');
    const res = await fetch(`${mock.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: form,
    });
    const body = (await res.json()) as { file: { size: number } };
    expect(body.file.size).toBe(1234);
  });

  it('should require anthropic-version and meter Anthropic streams cumulatively', async () => {
    const send = (headers: Record<string, string>) =>
      fetch(`${mock.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': 'a', 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          model: 'claude-sonnet-4-5',
          max_tokens: 64,
          stream: true,
          messages: [{ role: 'user', content: 'a b' }],
        }),
      });
    expect((await send({})).status).toBe(400);
    const events = sseData(await (await send({ 'anthropic-version': '2023-06-01' })).text()).map(
      (d) => JSON.parse(d) as { type: string; usage?: { output_tokens: number } },
    );
    expect(events[0].type).toBe('message_start');
    expect(events.find((e) => e.type === 'message_delta')!.usage!.output_tokens).toBe(5);
    expect(events.at(-1)!.type).toBe('message_stop');
  });

  it('should be configurable over HTTP', async () => {
    await fetch(`${mock.url}/__mock/config`, {
      method: 'POST',
      body: JSON.stringify({ key: 'bad', behavior: { mode: 'unauthorized' } }),
    });
    expect((await chat('bad', {})).status).toBe(401);
    const records = (await (await fetch(`${mock.url}/__mock/requests?key=bad`)).json()) as Array<{
      bodySha256: string;
      status: number;
    }>;
    expect(records).toHaveLength(1);
    expect(records[0].status).toBe(401);
  });

  it('should send headers and then nothing for a TTFB stall, recording the client hang-up', async () => {
    mock.setBehavior('*', { mode: 'headers_then_stall' });
    const controller = new AbortController();
    const res = await chat('k', { stream: true }, { signal: controller.signal });
    expect(res.status).toBe(200);
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mock.requests()[0]).toMatchObject({ status: 200, chunksSent: 0, closedEarly: true });
  });

  it('should reset the connection and pace stream chunks', async () => {
    mock.setBehavior('gone', { mode: 'reset' });
    await expect(chat('gone', {})).rejects.toThrow();

    mock.setBehavior('paced', { chunkDelayMs: 50, chunkCount: 3 });
    const started = Date.now();
    const res = await chat('paced', { stream: true });
    await res.text();
    // Six events (role, 3 content, finish, [DONE]) have five 50 ms gaps between them.
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('should advertise an Anthropic budget in anthropic-ratelimit headers', async () => {
    mock.setBehavior('a', { budget: { requests: 1, windowMs: 10_000 } });
    const send = () =>
      fetch(`${mock.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': 'a', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'claude-sonnet-4-5',
          max_tokens: 8,
          messages: [{ role: 'user', content: 'x' }],
        }),
      });
    const first = await send();
    expect(first.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    const second = await send();
    expect(second.status).toBe(429);
    expect(((await second.json()) as { error: { type: string } }).error.type).toBe('rate_limit_error');
  });
});
