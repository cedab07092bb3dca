import type { IncomingHttpHeaders } from 'node:http';
import type { MockCredential, MockDialect } from './types';

const PREFERRED: Record<MockDialect, MockCredential['source']> = {
  openai: 'authorization',
  anthropic: 'x-api-key',
  gemini: 'x-goog-api-key',
};

/** Every credential a request carries, wherever it was put. */
export function findCredentials(headers: IncomingHttpHeaders, query: URLSearchParams): MockCredential[] {
  const found: MockCredential[] = [];
  const authorization = headers.authorization;
  if (authorization) {
    found.push({ source: 'authorization', value: authorization.replace(/^Bearer\s+/i, '') });
  }
  for (const source of ['x-api-key', 'x-goog-api-key'] as const) {
    const value = headers[source];
    if (typeof value === 'string' && value) {
      found.push({ source, value });
    }
  }
  const fromQuery = query.get('key');
  if (fromQuery) {
    found.push({ source: 'query', value: fromQuery });
  }
  return found;
}

/** The credential the dialect expects, else the first one found. */
export function primaryCredential(
  dialect: MockDialect,
  credentials: MockCredential[],
): MockCredential | null {
  return credentials.find((c) => c.source === PREFERRED[dialect]) ?? credentials[0] ?? null;
}
