import { QueryClient } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { createQueryClient } from '@/lib/query-client';
import { authToken } from '@/lib/auth-token';
import { buildUpstream } from '@/testing/builders';
import { server } from '@/testing/server';
import { AppProviders } from '../providers';
import { routes } from '../router';

function renderApp(path: string, queryClient: QueryClient = createQueryClient()) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return router;
}

describe('RequireAuth', () => {
  it('should send a signed-out admin to login and remember the page', async () => {
    const router = renderApp('/upstreams');
    expect(await screen.findByRole('heading', { name: 'Sign in to keypool' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?next=%2Fupstreams');
  });

  it('should drop the token and show login when the API answers 401', async () => {
    server.use(
      http.get('/api/upstreams', () =>
        HttpResponse.json(
          { error: { code: 'UNAUTHORIZED', message: 'Admin login required' } },
          { status: 401 },
        ),
      ),
    );
    authToken.set('expired-token');
    renderApp('/upstreams');
    expect(await screen.findByRole('heading', { name: 'Sign in to keypool' })).toBeInTheDocument();
    expect(authToken.get()).toBeNull();
    expect(await screen.findByText('Your session has ended. Please sign in again.')).toBeInTheDocument();
  });

  it('should show the page when signed in', async () => {
    server.use(http.get('/api/upstreams', () => HttpResponse.json([buildUpstream({ name: 'groq' })])));
    authToken.set('good-token');
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    renderApp('/upstreams', client);
    expect(await screen.findByRole('heading', { name: 'groq' })).toBeInTheDocument();
  });
});
