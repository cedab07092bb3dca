import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ClientAuthService } from '../client-keys/client-auth.service';
import { SettingsService } from '../settings/settings.service';
import { PoolCatalog } from '../keys/pool-catalog.service';
import { ClusterBus, type ClusterTopic } from './cluster-bus.service';

/** A cache that can reload itself from the database and reports its own changes. */
export interface ReloadableCache {
  reload(): Promise<unknown>;
  onChange(listener: () => void): () => void;
}

/**
 * Keeps the replicas' in-memory caches (pool catalog, settings) in step: a local change is published
 * on the cluster bus; a change published by another replica triggers `reload()` here. The reload itself
 * fires `onChange` again, which must not be re-published, hence the per-topic suppression counter.
 */
@Injectable()
export class ClusterSync implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ClusterSync.name);
  private readonly reloading = new Map<ClusterTopic, number>();
  private readonly unsubscribers: Array<() => void> = [];

  constructor(
    private readonly bus: ClusterBus,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    this.link('pool', this.find(PoolCatalog));
    this.link('settings', this.find(SettingsService));
    this.link('client-keys', this.find(ClientAuthService));
  }

  onModuleDestroy(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) {
      unsubscribe();
    }
  }

  /** Publishes the cache's local changes under `topic` and reloads it on other replicas' changes. */
  link(topic: ClusterTopic, cache: ReloadableCache | null): void {
    if (!cache) {
      this.logger.warn(`no reloadable cache for '${topic}': changes on other replicas are not picked up`);
      return;
    }
    this.unsubscribers.push(
      cache.onChange(() => {
        if (!this.reloading.get(topic)) {
          this.bus.publish(topic);
        }
      }),
      this.bus.on(topic, async () => {
        this.reloading.set(topic, (this.reloading.get(topic) ?? 0) + 1);
        try {
          await cache.reload();
        } finally {
          this.reloading.set(topic, (this.reloading.get(topic) ?? 1) - 1);
        }
      }),
    );
  }

  /** Looks the cache up at runtime and checks it has `reload`, so this module compiles against any version. */
  private find(token: abstract new (...args: never[]) => unknown): ReloadableCache | null {
    let instance: unknown;
    try {
      instance = this.moduleRef.get(token, { strict: false });
    } catch {
      return null;
    }
    const candidate = instance as Partial<ReloadableCache> | undefined;
    return typeof candidate?.reload === 'function' && typeof candidate.onChange === 'function'
      ? (candidate as ReloadableCache)
      : null;
  }
}
