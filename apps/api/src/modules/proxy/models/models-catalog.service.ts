import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { UpstreamFormat } from '@keypool/shared';
import { PoolCatalog } from '../../keys/pool-catalog.service';
import type { CatalogUpstream } from '../../keys/pool-catalog.types';
import { SettingsService } from '../../settings/settings.service';
import { PROVIDERS } from '../providers';
import { UpstreamClient } from '../upstream/upstream-client';
import { modelIdsFrom } from './model-list';

export interface ModelEntry {
  id: string;
  ownedBy: string;
  format: UpstreamFormat;
  alias: boolean;
}

const FETCH_TIMEOUT_MS = 5_000;

/**
 * The merged model list of all enabled upstreams (what `GET /v1/models` answers). Cached for
 * `modelsCacheTtlMs`; a stale list is served at once while a refresh runs in the background, and an
 * upstream that fails keeps its last known models (or its literal model patterns), so one upstream down
 * never breaks the list.
 */
@Injectable()
export class ModelsCatalog implements OnModuleDestroy {
  private readonly logger = new Logger(ModelsCatalog.name);
  private entries: ModelEntry[] | null = null;
  private fetchedAt = 0;
  private refreshing: Promise<ModelEntry[]> | null = null;
  private readonly lastKnown = new Map<string, string[]>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly catalog: PoolCatalog,
    private readonly settings: SettingsService,
    private readonly client: UpstreamClient,
  ) {
    // Upstreams or keys changed: the next request refreshes (stale list still served meanwhile).
    this.unsubscribe = catalog.onChange(() => {
      this.fetchedAt = 0;
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  async list(): Promise<ModelEntry[]> {
    const fresh = Date.now() - this.fetchedAt < this.settings.current().modelsCacheTtlMs;
    if (this.entries && fresh) {
      return this.entries;
    }
    const refresh = this.refresh();
    return this.entries ?? refresh;
  }

  private refresh(): Promise<ModelEntry[]> {
    if (!this.refreshing) {
      this.refreshing = this.load()
        .then((entries) => {
          this.entries = entries;
          this.fetchedAt = Date.now();
          return entries;
        })
        .finally(() => {
          this.refreshing = null;
        });
      // The background case: nobody awaits, errors were already handled per upstream.
      this.refreshing.catch(() => undefined);
    }
    return this.refreshing;
  }

  private async load(): Promise<ModelEntry[]> {
    const upstreams = this.catalog.snapshot().upstreams.filter((u) => u.enabled);
    const lists = await Promise.all(upstreams.map((u) => this.modelsOf(u)));
    const seen = new Set<string>();
    const entries: ModelEntry[] = [];
    upstreams.forEach((upstream, i) => {
      for (const id of lists[i]) {
        if (!seen.has(id)) {
          seen.add(id);
          entries.push({ id, ownedBy: upstream.name, format: upstream.format, alias: false });
        }
      }
      for (const alias of upstream.aliases) {
        if (!seen.has(alias.name)) {
          seen.add(alias.name);
          entries.push({ id: alias.name, ownedBy: 'keypool', format: upstream.format, alias: true });
        }
      }
    });
    return entries;
  }

  private async modelsOf(upstream: CatalogUpstream): Promise<string[]> {
    const key = upstream.keys.find((k) => k.enabled);
    const fallback =
      this.lastKnown.get(upstream.id) ?? upstream.modelPatterns.filter((p) => !/[*?[]/.test(p));
    if (!key) {
      return fallback;
    }
    const target = this.client.target(upstream.baseUrl);
    const auth = PROVIDERS[upstream.format].authHeader(key.secret);
    const headers: Record<string, string> = { accept: 'application/json', [auth[0]]: auth[1] };
    Object.assign(headers, PROVIDERS[upstream.format].defaultHeaders);
    try {
      const response = await this.client.request({
        origin: target.origin,
        path: `${target.basePath}/models`,
        method: 'GET',
        headers,
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw new Error(`status ${response.statusCode}`);
      }
      const ids = modelIdsFrom(upstream.format, await response.body.json());
      this.lastKnown.set(upstream.id, ids);
      return ids;
    } catch (error) {
      this.logger.warn(`Listing models of upstream '${upstream.name}' failed: ${(error as Error).message}`);
      return fallback;
    }
  }
}
