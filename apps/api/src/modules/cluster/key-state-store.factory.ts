import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { KEY_STATE_STORE, type KeyStateStore } from '../balancer/key-state/key-state.store';
import { MemoryKeyStateStore } from '../balancer/key-state/memory-key-state.store';
import { RedisConnection } from './redis-connection.service';
import { RedisKeyStateStore } from './redis-key-state.store';

/** Binds `KEY_STATE_STORE`: shared through Redis when `REDIS_URL` is set, in memory otherwise. */
export const keyStateStoreByConfig: FactoryProvider<KeyStateStore> = {
  provide: KEY_STATE_STORE,
  inject: [APP_CONFIG, RedisConnection],
  useFactory: (config: AppConfig, redis: RedisConnection): KeyStateStore => {
    if (!config.redisUrl) {
      return new MemoryKeyStateStore();
    }
    const store = new RedisKeyStateStore(redis, new MemoryKeyStateStore());
    store.start();
    return store;
  },
};
