import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { authToken } from '@/lib/auth-token';
import { renderWithProviders } from '@/testing/render';
import { server } from '@/testing/server';
import { ChangePasswordCard } from './change-password-card';

async function fillAndSubmit(
  user: ReturnType<typeof renderWithProviders>['user'],
  { current = 'old-password', next = 'a-new-long-password', repeat }: Record<string, string> = {},
) {
  await user.type(screen.getByLabelText('Current password'), current);
  await user.type(screen.getByLabelText('New password'), next);
  await user.type(screen.getByLabelText('Repeat new password'), repeat ?? next);
  await user.click(screen.getByRole('button', { name: 'Change password' }));
}

function meAnswers(passwordManagedByEnv: boolean) {
  server.use(
    http.get('/api/auth/me', () =>
      HttpResponse.json({ authenticated: true, loginRequired: true, passwordManagedByEnv }),
    ),
  );
}

describe(ChangePasswordCard.name, () => {
  beforeEach(() => meAnswers(false));

  it('should say up front, without a form, when ADMIN_PASSWORD manages the password', async () => {
    authToken.set('token');
    meAnswers(true);
    renderWithProviders(<ChangePasswordCard />);
    expect(await screen.findByText('The password is set by the environment')).toBeInTheDocument();
    expect(screen.queryByLabelText('Current password')).not.toBeInTheDocument();
  });

  it('should send both passwords and keep the fresh token', async () => {
    authToken.set('old-token');
    let body: unknown;
    let sentAuth: string | null = null;
    server.use(
      http.post('/api/auth/password', async ({ request }) => {
        body = await request.json();
        sentAuth = request.headers.get('authorization');
        return HttpResponse.json({ accessToken: 'fresh-token', expiresIn: 43200 });
      }),
    );
    const { user } = renderWithProviders(<ChangePasswordCard />);
    await fillAndSubmit(user);
    expect(await screen.findByText(/Password changed/)).toBeInTheDocument();
    expect(body).toEqual({ currentPassword: 'old-password', newPassword: 'a-new-long-password' });
    expect(sentAuth).toBe('Bearer old-token');
    expect(authToken.get()).toBe('fresh-token');
    expect(screen.getByLabelText('Current password')).toHaveValue('');
  });

  it('should check length and the repeated password before calling the API', async () => {
    const { user } = renderWithProviders(<ChangePasswordCard />);
    await fillAndSubmit(user, { next: 'short', repeat: 'other' });
    expect(await screen.findByText('At least 8 characters')).toBeInTheDocument();
    expect(screen.getByText('The passwords do not match')).toBeInTheDocument();
  });

  it('should explain, not fail, when ADMIN_PASSWORD manages the password', async () => {
    authToken.set('token');
    server.use(
      http.post('/api/auth/password', () =>
        HttpResponse.json(
          {
            error: {
              code: 'PASSWORD_MANAGED_BY_ENV',
              message: 'The admin password is set by ADMIN_PASSWORD; change it there and restart',
            },
          },
          { status: 409 },
        ),
      ),
    );
    const { user } = renderWithProviders(<ChangePasswordCard />);
    await fillAndSubmit(user);
    expect(await screen.findByText('The password is set by the environment')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Change password' })).not.toBeInTheDocument();
    expect(screen.queryByText(/change it there and restart/)).not.toBeInTheDocument();
    expect(authToken.get()).toBe('token');
  });

  it('should mark a wrong current password without signing out', async () => {
    authToken.set('token');
    server.use(
      http.post('/api/auth/password', () =>
        HttpResponse.json(
          { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong current password' } },
          { status: 401 },
        ),
      ),
    );
    const { user } = renderWithProviders(<ChangePasswordCard />);
    await fillAndSubmit(user);
    expect(await screen.findByText('That is not the current password')).toBeInTheDocument();
    await waitFor(() => expect(authToken.get()).toBe('token'));
  });
});
