import type { KeyStatus } from './enums';

export interface HealthResponse {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  uptimeSeconds: number;
  database: { ok: boolean; driver: 'sqlite' | 'postgres' };
  redis: { configured: boolean; ok: boolean | null };
  /** True when no master key and no client key exist: anyone can use the proxy. */
  proxyOpen: boolean;
  keys: Record<KeyStatus, number>;
  upstreams: Array<{ id: string; name: string; format: string; keys: Record<KeyStatus, number> }>;
}
