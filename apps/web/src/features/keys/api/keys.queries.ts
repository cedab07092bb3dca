import type { KeyListQuery, KeyResponse } from '@keypool/shared';
import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export function listKeys(query: KeyListQuery, signal?: AbortSignal): Promise<KeyResponse[]> {
  return apiRequest<KeyResponse[]>('/keys', { query: { ...query }, signal });
}

export const keysQueries = {
  all: () => ['keys'] as const,
  list: (query: KeyListQuery = {}) =>
    queryOptions({
      queryKey: [...keysQueries.all(), 'list', query],
      queryFn: ({ signal }) => listKeys(query, signal),
      // Key state (cooldowns, requests today) changes with traffic: keep it fresh.
      refetchInterval: 5_000,
    }),
};
