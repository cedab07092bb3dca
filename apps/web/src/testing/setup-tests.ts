import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { authToken } from '@/lib/auth-token';
import { notices } from '@/lib/notify';
import { server } from './server';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  authToken.clear();
  for (const n of notices.snapshot()) {
    notices.dismiss(n.id);
  }
});
afterAll(() => server.close());
