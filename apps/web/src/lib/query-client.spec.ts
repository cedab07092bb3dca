import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client';
import { authToken } from './auth-token';
import { createQueryClient } from './query-client';

async function failMutation(error: ApiError) {
  const client = createQueryClient();
  const mutation = client.getMutationCache().build(client, {
    mutationFn: () => Promise.reject(error),
    meta: { handlesErrors: true },
  });
  await mutation.execute(undefined).catch(() => undefined);
}

describe(createQueryClient.name, () => {
  it('should sign out when the session is no longer accepted', async () => {
    authToken.set('token');
    await failMutation(new ApiError(401, 'UNAUTHORIZED', 'expired'));
    expect(authToken.get()).toBeNull();
  });

  it('should stay signed in when a re-typed password is wrong', async () => {
    authToken.set('token');
    await failMutation(new ApiError(401, 'INVALID_CREDENTIALS', 'Wrong current password'));
    expect(authToken.get()).toBe('token');
  });
});
