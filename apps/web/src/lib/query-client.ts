import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, errorMessage } from './api-client';
import { authToken } from './auth-token';
import { notify } from './notify';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: Error;
    mutationMeta: {
      /** The component shows the error itself (e.g. per-field form errors): no snackbar. */
      handlesErrors?: boolean;
    };
  }
}

/** A 401 that ends the session; a wrong password re-typed while signed in (INVALID_CREDENTIALS) does not. */
function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code !== 'INVALID_CREDENTIALS';
}

/** Clear the token on any 401: `RequireAuth` then sends the admin to the login page. */
function handleAuthFailure(error: unknown): boolean {
  if (isUnauthorized(error) && authToken.get()) {
    authToken.clear();
    notify.info('Your session has ended. Please sign in again.');
    return true;
  }
  return false;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (handleAuthFailure(error)) {
          return;
        }
        // Background refetch failures of data already on screen: tell the admin, keep the data.
        if (query.state.data !== undefined) {
          notify.error(errorMessage(error));
        }
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        if (handleAuthFailure(error) || mutation.meta?.handlesErrors) {
          return;
        }
        notify.error(errorMessage(error));
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (count, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
        refetchOnWindowFocus: true,
      },
    },
  });
}
