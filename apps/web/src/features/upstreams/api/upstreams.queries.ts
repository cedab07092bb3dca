import type { CreateUpstreamRequest, UpdateUpstreamRequest, UpstreamResponse } from '@keypool/shared';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export const upstreamsQueries = {
  all: () => ['upstreams'] as const,
  list: () =>
    queryOptions({
      queryKey: [...upstreamsQueries.all(), 'list'],
      queryFn: ({ signal }) => apiRequest<UpstreamResponse[]>('/upstreams', { signal }),
    }),
};

function useInvalidateUpstreams() {
  const queryClient = useQueryClient();
  // Key lists show upstream names, so they refresh too. Features do not import each other, hence
  // the predicate on the keys feature's root key instead of its query factory.
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: upstreamsQueries.all() }),
      queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] === 'keys' }),
    ]);
}

export function useCreateUpstream() {
  const invalidate = useInvalidateUpstreams();
  return useMutation({
    mutationFn: (body: CreateUpstreamRequest) =>
      apiRequest<UpstreamResponse>('/upstreams', { method: 'POST', body }),
    meta: { handlesErrors: true },
    onSuccess: invalidate,
  });
}

export function useUpdateUpstream({ handlesErrors = false } = {}) {
  const invalidate = useInvalidateUpstreams();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUpstreamRequest }) =>
      apiRequest<UpstreamResponse>(`/upstreams/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    meta: { handlesErrors },
    onSuccess: invalidate,
  });
}

export function useDeleteUpstream() {
  const invalidate = useInvalidateUpstreams();
  return useMutation({
    mutationFn: ({ id, force }: { id: string; force: boolean }) =>
      apiRequest<void>(`/upstreams/${encodeURIComponent(id)}`, {
        method: 'DELETE',
        query: { force: force || undefined },
      }),
    meta: { handlesErrors: true },
    onSuccess: invalidate,
  });
}
