import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '@/testing/server';
import { ApiError, apiRequest } from './api-client';
import { authToken } from './auth-token';

describe('apiRequest', () => {
  it('should send the token and parse JSON', async () => {
    let auth: string | null = null;
    server.use(
      http.get('/api/things', ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json({ ok: true });
      }),
    );
    authToken.set('t0ken');
    await expect(apiRequest('/things')).resolves.toEqual({ ok: true });
    expect(auth).toBe('Bearer t0ken');
  });

  it('should turn the error envelope into an ApiError with field messages', async () => {
    server.use(
      http.post('/api/things', () =>
        HttpResponse.json(
          {
            error: {
              code: 'VALIDATION_FAILED',
              message: 'Invalid body',
              details: { weight: ['must be > 0', 'must be a number'] },
            },
          },
          { status: 400 },
        ),
      ),
    );
    const error = await apiRequest('/things', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', message: 'Invalid body' });
    expect((error as ApiError).fieldErrors()).toEqual({ weight: 'must be > 0 must be a number' });
  });

  it('should give a readable message for a non-envelope failure', async () => {
    server.use(http.get('/api/things', () => new HttpResponse('<html>bad gateway</html>', { status: 502 })));
    await expect(apiRequest('/things')).rejects.toMatchObject({ status: 502, code: 'UNKNOWN' });
  });
});
