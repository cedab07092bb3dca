import type { ModelAlias, SelectionStrategy, UpstreamFormat } from '@keypool/shared';

/** A key as the hot path sees it: decrypted secret, limits, no database access needed. */
export interface CatalogKey {
  id: string;
  upstreamId: string;
  name: string;
  /** Plaintext secret. Never log it, never return it from the admin API. */
  secret: string;
  /** Masked form for logs and errors. */
  maskedSecret: string;
  weight: number;
  tags: string[];
  enabled: boolean;
  disabledReason: 'manual' | 'invalid' | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  dailyLimit: number | null;
}

export interface CatalogUpstream {
  id: string;
  name: string;
  /** Without trailing slash. */
  baseUrl: string;
  format: UpstreamFormat;
  modelPatterns: string[];
  aliases: ModelAlias[];
  strategy: SelectionStrategy | null;
  timeoutMs: number | null;
  enabled: boolean;
  /** All keys of the upstream, enabled or not (the balancer filters). */
  keys: CatalogKey[];
}

/** Immutable snapshot of all upstreams and keys; replaced as a whole on every admin change. */
export interface PoolSnapshot {
  version: number;
  upstreams: CatalogUpstream[];
  keysById: ReadonlyMap<string, CatalogKey>;
  upstreamsById: ReadonlyMap<string, CatalogUpstream>;
}
