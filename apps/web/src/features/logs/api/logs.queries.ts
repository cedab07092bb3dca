import type {
  CursorPage,
  KeyEventListQuery,
  KeyEventResponse,
  LogListQuery,
  RequestLogDetailResponse,
  RequestLogResponse,
} from '@keypool/shared';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

const PAGE_SIZE = 50;

export const logsQueries = {
  all: () => ['logs'] as const,
  list: (filters: Omit<LogListQuery, 'cursor' | 'limit'>) =>
    infiniteQueryOptions({
      queryKey: [...logsQueries.all(), 'list', filters],
      queryFn: ({ pageParam, signal }) =>
        apiRequest<CursorPage<RequestLogResponse>>('/logs', {
          query: { ...filters, cursor: pageParam, limit: PAGE_SIZE },
          signal,
        }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  /** Latest failures for the dashboard. */
  recentErrors: () =>
    queryOptions({
      queryKey: [...logsQueries.all(), 'recent-errors'],
      queryFn: async ({ signal }) => {
        const [client, rateLimited, server] = await Promise.all(
          (['4xx', '429', '5xx'] as const).map((statusClass) =>
            apiRequest<CursorPage<RequestLogResponse>>('/logs', { query: { statusClass, limit: 8 }, signal }),
          ),
        );
        return [...(client?.items ?? []), ...(rateLimited?.items ?? []), ...(server?.items ?? [])]
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
          .filter((log, i, all) => all.findIndex((l) => l.id === log.id) === i)
          .slice(0, 8);
      },
      refetchInterval: 10_000,
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...logsQueries.all(), 'detail', id],
      queryFn: ({ signal }) =>
        apiRequest<RequestLogDetailResponse>(`/logs/${encodeURIComponent(id)}`, { signal }),
      staleTime: Infinity,
    }),
  events: (filters: Omit<KeyEventListQuery, 'cursor' | 'limit'>) =>
    infiniteQueryOptions({
      queryKey: [...logsQueries.all(), 'events', filters],
      queryFn: ({ pageParam, signal }) =>
        apiRequest<CursorPage<KeyEventResponse>>('/logs/events', {
          query: { ...filters, cursor: pageParam, limit: PAGE_SIZE },
          signal,
        }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
};
