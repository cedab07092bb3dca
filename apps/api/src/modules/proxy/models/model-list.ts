import type { UpstreamFormat } from '@keypool/shared';
import type { ModelEntry } from './models-catalog.service';

/** Model ids from an upstream's own list response (OpenAI/Anthropic `data[].id`, Gemini `models[].name`). */
export function modelIdsFrom(format: UpstreamFormat, body: unknown): string[] {
  const obj = (body ?? {}) as { data?: Array<{ id?: unknown }>; models?: Array<{ name?: unknown }> };
  if (format === 'gemini') {
    return (obj.models ?? [])
      .map((m) => (typeof m.name === 'string' ? m.name.replace(/^models\//, '') : null))
      .filter((id): id is string => id !== null);
  }
  return (obj.data ?? [])
    .map((m) => (typeof m.id === 'string' ? m.id : null))
    .filter((id): id is string => id !== null);
}

const CREATED = 1_700_000_000;

/** `GET /v1/models` in OpenAI's shape. */
export function openAiModelList(entries: ModelEntry[]): Record<string, unknown> {
  return { object: 'list', data: entries.map(openAiModel) };
}

export function openAiModel(entry: ModelEntry): Record<string, unknown> {
  return { id: entry.id, object: 'model', created: CREATED, owned_by: entry.ownedBy };
}

/** `GET /v1/models` for Anthropic SDKs (they send `anthropic-version`). */
export function anthropicModelList(entries: ModelEntry[]): Record<string, unknown> {
  const data = entries.map((e) => ({
    type: 'model',
    id: e.id,
    display_name: e.id,
    created_at: new Date(CREATED * 1000).toISOString(),
  }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
