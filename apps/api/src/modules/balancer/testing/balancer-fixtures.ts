import type { ModelAlias, SelectionStrategy, Settings } from '@keypool/shared';
import type { CatalogKey, CatalogUpstream, PoolSnapshot } from '../../keys/pool-catalog.types';
import { DEFAULT_SETTINGS } from '../../settings/settings.defaults';

/** Builders for unit tests of the balancer: catalog keys/upstreams and settings. */
export function aKey(id: string, overrides: Partial<CatalogKey> = {}): CatalogKey {
  return {
    id,
    upstreamId: 'up-1',
    name: id,
    secret: `sk-${id}`,
    maskedSecret: `sk-…${id}`,
    weight: 1,
    tags: [],
    enabled: true,
    disabledReason: null,
    rpmLimit: null,
    tpmLimit: null,
    dailyLimit: null,
    ...overrides,
  };
}

export function anUpstream(
  id: string,
  keys: CatalogKey[],
  overrides: Partial<Omit<CatalogUpstream, 'keys'>> & {
    aliases?: ModelAlias[];
    strategy?: SelectionStrategy | null;
  } = {},
): CatalogUpstream {
  return {
    id,
    name: id,
    baseUrl: `http://127.0.0.1:1/${id}`,
    format: 'openai',
    modelPatterns: ['*'],
    aliases: [],
    strategy: null,
    timeoutMs: null,
    enabled: true,
    keys: keys.map((k) => ({ ...k, upstreamId: id })),
    ...overrides,
  };
}

export function aSnapshot(upstreams: CatalogUpstream[], version = 1): PoolSnapshot {
  return {
    version,
    upstreams,
    keysById: new Map(upstreams.flatMap((u) => u.keys.map((k) => [k.id, k] as const))),
    upstreamsById: new Map(upstreams.map((u) => [u.id, u] as const)),
  };
}

export function someSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}
