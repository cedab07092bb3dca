import type { Provider } from '@nestjs/common';
import { KEY_STATE_STORE } from './key-state.store';
import { MemoryKeyStateStore } from './memory-key-state.store';

/**
 * Binds `KEY_STATE_STORE`. In-memory for a single process; a shared (Redis) store for replicas is
 * chosen here by config (`AppConfig.redisUrl`) without touching strategies or the service.
 */
export const keyStateStoreProvider: Provider = {
  provide: KEY_STATE_STORE,
  useClass: MemoryKeyStateStore,
};
