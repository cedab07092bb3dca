import type { UpstreamResponse } from '@keypool/shared';
import type { UpstreamEntity } from './upstream.entity';

export function toUpstreamResponse(entity: UpstreamEntity, keyCount: number): UpstreamResponse {
  return {
    id: entity.id,
    name: entity.name,
    baseUrl: entity.baseUrl,
    format: entity.format,
    modelPatterns: entity.modelPatterns,
    aliases: entity.aliases,
    strategy: entity.strategy,
    timeoutMs: entity.timeoutMs,
    enabled: entity.enabled,
    keyCount,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
