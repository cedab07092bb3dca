import type { IsoDate } from './common';
import type { BreakerState, KeyStatus, SelectionStrategy, UpstreamFormat } from './enums';
import type { ModelAlias } from './upstreams';

export interface KeyLimits {
  /** Requests per minute; null = unlimited. */
  rpmLimit: number | null;
  /** Tokens per minute; null = unlimited. */
  tpmLimit: number | null;
  /** Requests per day (day boundary per settings); null = unlimited. */
  dailyLimit: number | null;
}

/** Live, in-memory (or Redis) state of a key. */
export interface KeyLiveState {
  status: KeyStatus;
  /** When a cooldown / quota exhaustion / open breaker ends. */
  cooldownUntil: IsoDate | null;
  breaker: BreakerState;
  consecutiveFailures: number;
  inFlight: number;
  lastUsedAt: IsoDate | null;
  requestsToday: number;
  /** Remaining requests/tokens as last reported by the upstream's rate-limit headers. */
  remainingRequests: number | null;
  remainingTokens: number | null;
}

export interface KeyResponse extends KeyLimits {
  id: string;
  upstreamId: string;
  upstreamName: string;
  /** Masked secret, e.g. `sk-…abcd`. The clear secret is never returned except by export. */
  maskedSecret: string;
  name: string;
  weight: number;
  tags: string[];
  enabled: boolean;
  /** Why the key is disabled: `manual` by an admin, `invalid` after an auth failure. */
  disabledReason: 'manual' | 'invalid' | null;
  state: KeyLiveState;
  createdAt: IsoDate;
  updatedAt: IsoDate;
}

export interface CreateKeyRequest extends Partial<KeyLimits> {
  upstreamId: string;
  secret: string;
  name?: string;
  weight?: number;
  tags?: string[];
  enabled?: boolean;
}

export type UpdateKeyRequest = Partial<Omit<CreateKeyRequest, 'upstreamId' | 'secret'>>;

export interface KeyListQuery {
  upstreamId?: string;
  tag?: string;
  status?: KeyStatus;
  search?: string;
}

export interface BulkAddKeysRequest {
  upstreamId: string;
  /** One secret per line; blank lines ignored. */
  secrets: string;
  tags?: string[];
  weight?: number;
}

export interface SkippedKey {
  /** Masked secret or line number; never the clear secret. */
  key: string;
  reason: string;
}

export interface BulkAddKeysResponse {
  added: number;
  skipped: SkippedKey[];
  keys: KeyResponse[];
}

export type KeyTestResult = 'ok' | 'invalid' | 'rate_limited' | 'unreachable' | 'error';

export interface KeyTestResponse {
  result: KeyTestResult;
  status: number | null;
  latencyMs: number;
  message: string;
  /** True when the test re-enabled a key that was invalid. */
  reenabled: boolean;
}

/** The file `GET /api/keys/export` returns. Secrets are in the clear: keep the file safe. */
export interface KeyExportFile {
  format: 'keypool-export';
  version: 1;
  exportedAt: IsoDate;
  upstreams: Array<{
    name: string;
    baseUrl: string;
    format: UpstreamFormat;
    modelPatterns: string[];
    /** Optional so files from older exports still import; absent means none / global default / enabled. */
    aliases?: ModelAlias[];
    strategy?: SelectionStrategy | null;
    timeoutMs?: number | null;
    enabled?: boolean;
    keys: Array<
      KeyLimits & {
        plaintextSecret: string;
        name: string;
        weight: number;
        tags: string[];
        enabled: boolean;
      }
    >;
  }>;
}

export interface ImportKeysResponse {
  added: number;
  skipped: SkippedKey[];
  invalid: SkippedKey[];
}
