import type { IsoDate } from './common';
import type { SelectionStrategy, UpstreamFormat } from './enums';

/**
 * A model alias served by an upstream. Several upstreams may define the same alias name;
 * the lowest tier with a usable key serves it, higher tiers are the fallback chain.
 */
export interface ModelAlias {
  /** The name clients ask for, e.g. `fast`. */
  name: string;
  /** The model sent upstream, e.g. `gemini-2.0-flash`. */
  model: string;
  /** Priority tier: 1 is tried first; tier 2 only when tier 1 has no usable key. */
  tier: number;
}

export interface UpstreamResponse {
  id: string;
  name: string;
  baseUrl: string;
  format: UpstreamFormat;
  /** Glob patterns of model names this upstream serves (`gpt-*`, `*`). */
  modelPatterns: string[];
  aliases: ModelAlias[];
  /** Overrides the global strategy setting when set. */
  strategy: SelectionStrategy | null;
  /** Overrides the global request timeout (ms) when set. */
  timeoutMs: number | null;
  enabled: boolean;
  keyCount: number;
  createdAt: IsoDate;
  updatedAt: IsoDate;
}

export interface CreateUpstreamRequest {
  name: string;
  baseUrl: string;
  format: UpstreamFormat;
  modelPatterns?: string[];
  aliases?: ModelAlias[];
  strategy?: SelectionStrategy | null;
  timeoutMs?: number | null;
  enabled?: boolean;
}

export type UpdateUpstreamRequest = Partial<CreateUpstreamRequest>;
