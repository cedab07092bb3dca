import type {
  BulkAddKeysRequest,
  BulkAddKeysResponse,
  CreateKeyRequest,
  ImportKeysResponse,
  KeyResponse,
  KeyTestResponse,
  UpdateKeyRequest,
} from '@keypool/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest, buildUrl } from '@/lib/api-client';
import { authToken } from '@/lib/auth-token';
import { keysQueries } from './keys.queries';

/** Every key mutation refreshes all key lists (and anything else keyed under `keys`). */
function useInvalidateKeys() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: keysQueries.all() });
}

export function useCreateKey() {
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: (body: CreateKeyRequest) => apiRequest<KeyResponse>('/keys', { method: 'POST', body }),
    meta: { handlesErrors: true },
    onSuccess: invalidate,
  });
}

/** `handlesErrors`: the caller (a form) shows the error itself instead of a snackbar. */
export function useUpdateKey({ handlesErrors = false } = {}) {
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateKeyRequest }) =>
      apiRequest<KeyResponse>(`/keys/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    meta: { handlesErrors },
    onSuccess: invalidate,
  });
}

export function useDeleteKey() {
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

export function useBulkAddKeys() {
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: (body: BulkAddKeysRequest) =>
      apiRequest<BulkAddKeysResponse>('/keys/bulk', { method: 'POST', body }),
    meta: { handlesErrors: true },
    onSuccess: invalidate,
  });
}

export function useTestKey() {
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest<KeyTestResponse>(`/keys/${encodeURIComponent(id)}/test`, { method: 'POST' }),
    onSuccess: invalidate,
  });
}

function parseJsonOrText(content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return content;
  }
}

export function useImportKeys() {
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: ({ content, upstreamId }: { content: string; upstreamId?: string }) =>
      apiRequest<ImportKeysResponse>('/keys/import', {
        method: 'POST',
        query: { upstreamId },
        // JSON files go as JSON; anything else (plain lists, key:weight) as text/plain.
        body: parseJsonOrText(content),
      }),
    meta: { handlesErrors: true },
    onSuccess: invalidate,
  });
}

/** Downloads the export through fetch (it needs the JWT), then saves it with the server's file name. */
export async function downloadKeysExport(): Promise<string> {
  const token = authToken.get();
  const response = await fetch(buildUrl('/keys/export'), {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `Export failed (${response.status})`);
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const fileName =
    /filename="?([^";]+)"?/.exec(disposition)?.[1] ??
    `keypool-export-${new Date().toISOString().slice(0, 10)}.json`;
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return fileName;
}

export function useExportKeys() {
  return useMutation({ mutationFn: downloadKeysExport });
}
