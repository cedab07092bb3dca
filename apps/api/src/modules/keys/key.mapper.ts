import type { KeyLiveState, KeyResponse } from '@keypool/shared';
import type { ApiKeyEntity } from './api-key.entity';

/** Entity -> response. The secret is only ever the stored mask. */
export function toKeyResponse(entity: ApiKeyEntity, upstreamName: string, state: KeyLiveState): KeyResponse {
  return {
    id: entity.id,
    upstreamId: entity.upstreamId,
    upstreamName,
    maskedSecret: entity.secretHint,
    name: entity.name,
    weight: entity.weight,
    tags: entity.tags,
    enabled: entity.enabled,
    disabledReason: entity.disabledReason,
    state,
    rpmLimit: entity.rpmLimit,
    tpmLimit: entity.tpmLimit,
    dailyLimit: entity.dailyLimit,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
