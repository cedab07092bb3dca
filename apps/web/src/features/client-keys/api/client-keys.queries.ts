import type {
  ClientKeyResponse,
  CreateClientKeyRequest,
  CreatedClientKeyResponse,
  UpdateClientKeyRequest,
} from '@keypool/shared';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export const clientKeysQueries = {
  all: () => ['client-keys'] as const,
  list: () =>
    queryOptions({
      queryKey: [...clientKeysQueries.all(), 'list'],
      queryFn: ({ signal }) => apiRequest<ClientKeyResponse[]>('/client-keys', { signal }),
    }),
};

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: clientKeysQueries.all() });
}

export function useCreateClientKey() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: CreateClientKeyRequest) =>
      apiRequest<CreatedClientKeyResponse>('/client-keys', { method: 'POST', body }),
    meta: { handlesErrors: true },
    onSuccess: invalidate,
  });
}

export function useUpdateClientKey({ handlesErrors = false } = {}) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateClientKeyRequest }) =>
      apiRequest<ClientKeyResponse>(`/client-keys/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    meta: { handlesErrors },
    onSuccess: invalidate,
  });
}

export function useDeleteClientKey() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest<void>(`/client-keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

/** Form state of the create/edit dialog. */
export interface ClientKeyFormValues {
  name: string;
  rpmLimit: string;
  allowedModels: string[];
  /** `YYYY-MM-DD` from a date input, or ''. */
  expiresAt: string;
  enabled: boolean;
}

export const clientKeyFormRules = {
  name: { required: 'Name the client (who or what uses this key)' },
  rpmLimit: {
    validate: (v: string) =>
      v.trim() === '' || (Number.isInteger(Number(v)) && Number(v) > 0)
        ? true
        : 'A whole number above 0, or empty',
  },
  expiresAt: {
    validate: (v: string) =>
      v === '' || new Date(`${v}T23:59:59`).getTime() > Date.now() || 'Pick a date in the future',
  },
} as const;

export function toClientKeyFormValues(key?: ClientKeyResponse): ClientKeyFormValues {
  return {
    name: key?.name ?? '',
    rpmLimit: key?.rpmLimit ? String(key.rpmLimit) : '',
    allowedModels: key?.allowedModels ?? [],
    expiresAt: key?.expiresAt ? key.expiresAt.slice(0, 10) : '',
    enabled: key?.enabled ?? true,
  };
}

export function toClientKeyRequest(v: ClientKeyFormValues): CreateClientKeyRequest {
  return {
    name: v.name.trim(),
    rpmLimit: v.rpmLimit.trim() === '' ? null : Number(v.rpmLimit),
    allowedModels: v.allowedModels,
    // End of the chosen day, local time.
    expiresAt: v.expiresAt ? new Date(`${v.expiresAt}T23:59:59`).toISOString() : null,
    enabled: v.enabled,
  };
}
