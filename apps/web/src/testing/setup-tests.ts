import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { authToken } from '@/lib/auth-token';
import { notices } from '@/lib/notify';
import { server } from './server';

// The machine running CI is shared and slow; findBy* waits up to 5 s instead of 1 s.
configure({ asyncUtilTimeout: 5000 });

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
