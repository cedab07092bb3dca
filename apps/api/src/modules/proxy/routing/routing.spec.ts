import { describe, expect, it } from 'vitest';
import { clientCredential, clientResponseHeaders, upstreamRequestHeaders } from '../http/headers';
import { readJsonFacts, readMultipartModel, withIncludeUsage } from './request-body';
import { resolveRoute } from './resolve-route';

describe(resolveRoute.name, () => {
  it.each([
    ['POST', '/v1/chat/completions', 'openai', 'forward', '/chat/completions'],
    ['POST', '/api/v1/chat/completions', 'openai', 'forward', '/chat/completions'],
    ['GET', '/v1/models', 'openai', 'models', '/models'],
    ['GET', '/v1/models/gpt-4o', 'openai', 'model', '/models/gpt-4o'],
    ['POST', '/v1/messages', 'anthropic', 'forward', '/messages'],
    ['POST', '/api/v1/messages/count_tokens', 'anthropic', 'forward', '/messages/count_tokens'],
    ['POST', '/v1/audio/transcriptions', 'openai', 'forward', '/audio/transcriptions'],
    ['GET', '/v1beta/models', 'gemini', 'forward', '/models'],
  ])('should route %s %s', (method, url, format, kind, rest) => {
    expect(resolveRoute(method, url)).toMatchObject({ format, kind, rest });
  });

  it('should read a Gemini model and action and strip the key param', () => {
    const route = resolveRoute(
      'POST',
      '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse&key=secret',
    );
    expect(route).toMatchObject({
      pathModel: 'gemini-2.0-flash',
      pathAction: 'streamGenerateContent',
      query: '?alt=sse',
      queryKey: 'secret',
    });
  });

  it('should leave other URLs alone', () => {
    expect(resolveRoute('GET', '/api/keys')).toBeNull();
  });
});

describe('request bodies', () => {
  it('should insert include_usage leaving every other byte unchanged', () => {
    const original = Buffer.from('{ "model": "m",\n  "stream": true, "messages": [] }\n');
    const { facts, json } = readJsonFacts(original);
    const out = withIncludeUsage(original, facts, json).toString();
    expect(out).toBe(
      '{ "model": "m",\n  "stream": true, "messages": [] ,"stream_options":{"include_usage":true}}\n',
    );
    expect(JSON.parse(out)).toMatchObject({ stream_options: { include_usage: true } });
  });

  it('should merge include_usage into existing stream_options', () => {
    const original = Buffer.from('{"model":"m","stream":true,"stream_options":{"x":1}}');
    const { facts, json } = readJsonFacts(original);
    expect(JSON.parse(withIncludeUsage(original, facts, json).toString())).toEqual({
      model: 'm',
      stream: true,
      stream_options: { x: 1, include_usage: true },
    });
  });

  it('should reject malformed JSON and non-objects', () => {
    expect(() => readJsonFacts(Buffer.from('{bad'))).toThrow(/not valid JSON/);
    expect(() => readJsonFacts(Buffer.from('[1]'))).toThrow(/JSON object/);
  });

  it('should find the model field of a multipart body', () => {
    const body = Buffer.from(
      '--b1\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF\x00\x01\r\n' +
        '--b1\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--b1--\r\n',
      'latin1',
    );
    expect(readMultipartModel(body, 'multipart/form-data; boundary=b1')).toBe('whisper-1');
  });
});

describe('headers', () => {
  it('should forward only allow-listed client headers plus the pool key', () => {
    const out = upstreamRequestHeaders(
      {
        authorization: 'Bearer client-secret',
        'x-api-key': 'client-secret',
        cookie: 'a=b',
        connection: 'keep-alive',
        'content-type': 'application/json',
        'anthropic-beta': 'tools-2024',
        'x-forwarded-for': '1.2.3.4',
      },
      ['x-api-key', 'pool-key'],
      { 'anthropic-version': '2023-06-01' },
    );
    expect(out).toEqual({
      'content-type': 'application/json',
      'anthropic-beta': 'tools-2024',
      'anthropic-version': '2023-06-01',
      'x-api-key': 'pool-key',
    });
  });

  it('should keep a client anthropic-version over the default', () => {
    const out = upstreamRequestHeaders({ 'anthropic-version': '2024-01-01' }, ['x-api-key', 'k'], {
      'anthropic-version': '2023-06-01',
    });
    expect(out['anthropic-version']).toBe('2024-01-01');
  });

  it('should drop hop-by-hop and per-key rate-limit headers from responses', () => {
    const out = clientResponseHeaders(
      {
        'content-type': 'text/event-stream',
        'transfer-encoding': 'chunked',
        'x-ratelimit-remaining-requests': '3',
        'anthropic-ratelimit-tokens-remaining': '9',
        'retry-after': '2',
        'openai-processing-ms': '12',
      },
      false,
    );
    expect(out).toEqual({ 'content-type': 'text/event-stream', 'openai-processing-ms': '12' });
  });

  it.each([
    [{ authorization: 'Bearer a1' }, null, 'a1'],
    [{ authorization: 'bearer  a2 ' }, null, 'a2'],
    [{ 'x-api-key': 'a3' }, null, 'a3'],
    [{ 'x-goog-api-key': 'a4' }, null, 'a4'],
    [{}, 'a5', 'a5'],
    [{}, null, undefined],
  ])('should find the client credential in %j / %s', (headers, queryKey, expected) => {
    expect(clientCredential(headers, queryKey)).toBe(expected);
  });
});
