import type { Provider } from '@nestjs/common';
import { keyStateStoreByConfig } from '../../cluster/key-state-store.factory';

/**
 * Binds `KEY_STATE_STORE`. In-memory for a single process; a shared (Redis) store for replicas is
 * chosen here by config (`AppConfig.redisUrl`) without touching strategies or the service.
 */
export const keyStateStoreProvider: Provider = keyStateStoreByConfig;
