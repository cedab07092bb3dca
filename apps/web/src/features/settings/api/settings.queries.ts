import type { Settings, UpdateSettingsRequest } from '@keypool/shared';
import { queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export const settingsQueries = {
  all: () => ['settings'] as const,
  current: () =>
    queryOptions({
      queryKey: [...settingsQueries.all(), 'current'],
      queryFn: ({ signal }) => apiRequest<Settings>('/settings', { signal }),
    }),
};

/** The strategy shows up in the stats feature's live status: refresh it (by root key; features stay independent). */
function refreshStats(queryClient: QueryClient) {
  return queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] === 'stats' });
}

export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateSettingsRequest) => apiRequest<Settings>('/settings', { method: 'PUT', body }),
    meta: { handlesErrors: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsQueries.current().queryKey, saved);
      return refreshStats(queryClient);
    },
  });
}

export function useResetSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<Settings>('/settings/reset', { method: 'POST' }),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsQueries.current().queryKey, saved);
      return refreshStats(queryClient);
    },
  });
}
