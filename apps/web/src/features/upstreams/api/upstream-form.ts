import type {
  CreateUpstreamRequest,
  ModelAlias,
  SelectionStrategy,
  UpstreamFormat,
  UpstreamResponse,
} from '@keypool/shared';

export interface UpstreamFormValues {
  name: string;
  baseUrl: string;
  format: UpstreamFormat;
  modelPatterns: string[];
  aliases: Array<{ name: string; model: string; tier: string }>;
  /** '' = use the global strategy setting. */
  strategy: SelectionStrategy | '';
  timeoutMs: string;
  enabled: boolean;
}

export const upstreamFormRules = {
  name: { required: 'Give the upstream a name', maxLength: { value: 64, message: 'At most 64 characters' } },
  baseUrl: {
    required: 'Enter the base URL, including the version prefix (…/v1)',
    validate: (v: string) => {
      try {
        const url = new URL(v);
        return url.protocol === 'http:' || url.protocol === 'https:'
          ? true
          : 'Use an http:// or https:// URL';
      } catch {
        return 'This is not a valid URL';
      }
    },
  },
  timeoutMs: {
    validate: (v: string) =>
      v.trim() === '' || (Number.isInteger(Number(v)) && Number(v) >= 1000)
        ? true
        : 'At least 1000 ms, or empty for the default',
  },
  aliasTier: {
    validate: (v: string) => (Number.isInteger(Number(v)) && Number(v) >= 1 ? true : 'Tier 1 or higher'),
  },
} as const;

export function toUpstreamFormValues(u?: UpstreamResponse): UpstreamFormValues {
  return {
    name: u?.name ?? '',
    baseUrl: u?.baseUrl ?? '',
    format: u?.format ?? 'openai',
    modelPatterns: u?.modelPatterns ?? ['*'],
    aliases: (u?.aliases ?? []).map((a) => ({ name: a.name, model: a.model, tier: String(a.tier) })),
    strategy: u?.strategy ?? '',
    timeoutMs: u?.timeoutMs ? String(u.timeoutMs) : '',
    enabled: u?.enabled ?? true,
  };
}

export function toUpstreamRequest(v: UpstreamFormValues): CreateUpstreamRequest {
  const aliases: ModelAlias[] = v.aliases
    .filter((a) => a.name.trim() && a.model.trim())
    .map((a) => ({ name: a.name.trim(), model: a.model.trim(), tier: Number(a.tier) || 1 }));
  return {
    name: v.name.trim(),
    baseUrl: v.baseUrl.trim().replace(/\/+$/, ''),
    format: v.format,
    modelPatterns: v.modelPatterns,
    aliases,
    strategy: v.strategy === '' ? null : v.strategy,
    timeoutMs: v.timeoutMs.trim() === '' ? null : Number(v.timeoutMs),
    enabled: v.enabled,
  };
}
