import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { authToken } from '@/lib/auth-token';
import { renderWithProviders } from '@/testing/render';
import { server } from '@/testing/server';
import { LoginForm } from './login-form';

describe(LoginForm.name, () => {
  it('should ask for the password before calling the API', async () => {
    const { user } = renderWithProviders(<LoginForm onSignedIn={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Enter the admin password')).toBeInTheDocument();
  });

  it('should say the password is wrong on 401 and keep no token', async () => {
    server.use(
      http.post('/api/auth/login', () =>
        HttpResponse.json(
          { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong password' } },
          { status: 401 },
        ),
      ),
    );
    const onSignedIn = vi.fn();
    const { user } = renderWithProviders(<LoginForm onSignedIn={onSignedIn} />);
    await user.type(screen.getByLabelText('Admin password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('That password is not right. Try again.')).toBeInTheDocument();
    expect(onSignedIn).not.toHaveBeenCalled();
    expect(authToken.get()).toBeNull();
  });

  it('should explain throttling on 429', async () => {
    server.use(
      http.post('/api/auth/login', () =>
        HttpResponse.json({ error: { code: 'TOO_MANY_REQUESTS', message: 'Slow down' } }, { status: 429 }),
      ),
    );
    const { user } = renderWithProviders(<LoginForm onSignedIn={vi.fn()} />);
    await user.type(screen.getByLabelText('Admin password'), 'x');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText(/Too many attempts/)).toBeInTheDocument();
  });

  it('should keep the token and report success', async () => {
    let sent: unknown;
    server.use(
      http.post('/api/auth/login', async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({ accessToken: 'jwt-123', expiresIn: 3600 });
      }),
    );
    const onSignedIn = vi.fn();
    const { user } = renderWithProviders(<LoginForm onSignedIn={onSignedIn} />);
    await user.type(screen.getByLabelText('Admin password'), 'secret-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(sent).toEqual({ password: 'secret-password' });
    expect(authToken.get()).toBe('jwt-123');
  });
});
