import type { ModuleRef } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClusterBus } from './cluster-bus.service';
import { ClusterSync, type ReloadableCache } from './cluster-sync.service';
import { REDIS_SKIP_NOTE, TEST_REDIS_URL, eventually, openTestConnection } from './cluster.test-support';

/** A cache double that counts reloads and fires its listeners like the real caches do. */
class FakeCache implements ReloadableCache {
  reloads = 0;
  private readonly listeners = new Set<() => void>();

  reload(): Promise<void> {
    this.reloads++;
    this.change();
    return Promise.resolve();
  }

  change(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

describe.skipIf(!TEST_REDIS_URL)(`${ClusterSync.name} on a real Redis${REDIS_SKIP_NOTE}`, () => {
  it('should reload the other replica once per change and never echo it back', async () => {
    const prefix = `kp-spec:${randomUUID()}:`;
    const [connA, connB] = [openTestConnection(prefix), openTestConnection(prefix)];
    await eventually(() => connA.isUp() && connB.isUp());
    const [busA, busB] = [new ClusterBus(connA), new ClusterBus(connB)];
    busA.onModuleInit();
    busB.onModuleInit();
    const [cacheA, cacheB] = [new FakeCache(), new FakeCache()];
    const noModules = {} as ModuleRef;
    const [syncA, syncB] = [new ClusterSync(busA, noModules), new ClusterSync(busB, noModules)];
    syncA.link('pool', cacheA);
    syncB.link('pool', cacheB);
    await new Promise((resolve) => setTimeout(resolve, 200));

    cacheA.change();
    await eventually(() => cacheB.reloads === 1, 1000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(cacheA.reloads).toBe(0);
    expect(cacheB.reloads).toBe(1);

    for (const closable of [syncA, syncB, busA, busB, connA, connB]) {
      closable.onModuleDestroy();
    }
  });
});
