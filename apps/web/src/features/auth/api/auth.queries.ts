import type { ChangePasswordRequest, LoginRequest, LoginResponse, MeResponse } from '@keypool/shared';
import { queryOptions, useMutation } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { authToken } from '@/lib/auth-token';

export const authQueries = {
  all: () => ['auth'] as const,
  me: () =>
    queryOptions({
      queryKey: [...authQueries.all(), 'me'],
      queryFn: ({ signal }) => apiRequest<MeResponse>('/auth/me', { signal }),
      staleTime: 60_000,
    }),
};

export function login(body: LoginRequest): Promise<LoginResponse> {
  return apiRequest<LoginResponse>('/auth/login', { method: 'POST', body });
}

/** Signs in and keeps the token; the login form shows errors itself. */
export function useLogin() {
  return useMutation({
    mutationFn: login,
    meta: { handlesErrors: true },
    onSuccess: (result) => authToken.set(result.accessToken),
  });
}

export function changePassword(body: ChangePasswordRequest): Promise<LoginResponse> {
  return apiRequest<LoginResponse>('/auth/password', { method: 'POST', body });
}

/**
 * Changes the admin password. The API revokes every older token and returns a fresh one,
 * which replaces ours so this tab stays signed in. The form shows errors itself.
 */
export function useChangePassword() {
  return useMutation({
    mutationFn: changePassword,
    meta: { handlesErrors: true },
    onSuccess: (result) => authToken.set(result.accessToken),
  });
}
