import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ErrorCode } from '@keypool/shared';
import { describe, expect, it } from 'vitest';
import { NotFoundError, TooManyRequestsError, ValidationError } from './app-error';
import { toErrorResponse } from './to-error-response';

describe(toErrorResponse.name, () => {
  it('should answer admin routes in the envelope with details', () => {
    const response = toErrorResponse(
      new ValidationError('Invalid request: name', { name: ['name must be a string'] }),
      '/api/upstreams',
    );
    expect(response).toMatchObject({
      status: 400,
      unexpected: false,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Invalid request: name',
          details: { name: ['name must be a string'] },
        },
      },
    });
  });

  it('should map our not-found errors to 404 with their code', () => {
    expect(toErrorResponse(new NotFoundError(ErrorCode.KeyNotFound, 'No key'), '/api/keys/x')).toMatchObject({
      status: 404,
      body: { error: { code: 'KEY_NOT_FOUND' } },
    });
  });

  it('should log unknown errors and answer a bare 500', () => {
    const response = toErrorResponse(new Error('database exploded with sk-secret'), '/api/keys');
    expect(response.unexpected).toBe(true);
    expect(response.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Internal server error' } });
  });

  it.each([
    [
      '/v1/chat/completions',
      {
        error: {
          message: 'Internal server error',
          type: 'server_error',
          param: null,
          code: 'internal_error',
        },
      },
    ],
    [
      '/api/v1/chat/completions',
      {
        error: {
          message: 'Internal server error',
          type: 'server_error',
          param: null,
          code: 'internal_error',
        },
      },
    ],
    ['/v1/messages', { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }],
    [
      '/v1beta/models/gemini:generateContent?alt=sse',
      { error: { code: 500, message: 'Internal server error', status: 'INTERNAL' } },
    ],
  ])('should answer %s in its own dialect, never the admin envelope', (url, body) => {
    expect(toErrorResponse(new Error('boom'), url).body).toEqual(body);
  });

  it("should carry Retry-After for throttling, ours and the throttler's", () => {
    expect(toErrorResponse(new TooManyRequestsError('slow down', 7), '/api/auth/login').headers).toEqual({
      'retry-after': '7',
    });
    const throttled = toErrorResponse(new HttpException('Too Many Requests', 429), '/api/auth/login', '42');
    expect(throttled).toMatchObject({
      status: 429,
      headers: { 'retry-after': '42' },
      body: { error: { code: 'TOO_MANY_REQUESTS', details: { retryAfterSeconds: 42 } } },
    });
  });

  it('should turn malformed JSON into a 400 on any surface', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token'), { statusCode: 400 });
    expect(toErrorResponse(parseError, '/api/keys')).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
    expect(
      toErrorResponse(new BadRequestException('Body is not valid JSON'), '/v1/chat/completions'),
    ).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_request_error' } },
    });
  });

  it('should answer unknown routes with NOT_FOUND', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /api/nope'), '/api/nope')).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND' } },
    });
  });
});
