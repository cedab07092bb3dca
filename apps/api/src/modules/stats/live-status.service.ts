import { Injectable } from '@nestjs/common';
import { KEY_STATUSES, type KeyStatus, type LiveStatus, type LiveTick } from '@keypool/shared';
import { KeyStateReader } from '../balancer/key-state.reader';
import { ClientAuthService } from '../client-keys/client-auth.service';
import { PoolCatalog } from '../keys/pool-catalog.service';
import { LiveCounters } from '../logs/live-counters';
import { SettingsService } from '../settings/settings.service';

export function emptyStatusCounts(): Record<KeyStatus, number> {
  return Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Record<KeyStatus, number>;
}

/** The load balancer's state right now, from memory only (no database). */
@Injectable()
export class LiveStatusService {
  constructor(
    private readonly catalog: PoolCatalog,
    private readonly keyState: KeyStateReader,
    private readonly counters: LiveCounters,
    private readonly settings: SettingsService,
    private readonly clientAuth: ClientAuthService,
  ) {}

  status(): LiveStatus {
    const strategy = this.settings.current().strategy;
    const upstreams = this.catalog.snapshot().upstreams.map((upstream) => {
      const keys = emptyStatusCounts();
      for (const key of upstream.keys) {
        keys[this.keyState.liveState(key).status] += 1;
      }
      return {
        upstreamId: upstream.id,
        name: upstream.name,
        strategy: upstream.strategy ?? strategy,
        keys,
        total: upstream.keys.length,
      };
    });
    const totals = this.counters.currentTotals();
    return {
      at: new Date().toISOString(),
      upstreams,
      inFlight: this.keyState.totalInFlight(),
      requestsLastMinute: this.counters.requestsLastMinute(),
      totals: {
        requests: totals.requests,
        success: totals.success,
        failures: totals.failures,
        since: new Date(totals.since).toISOString(),
      },
      proxyOpen: this.clientAuth.isProxyOpen(),
    };
  }

  tick(): LiveTick {
    const second = this.counters.lastSecond();
    return {
      status: this.status(),
      requestsPerSecond: second.requests,
      successPerSecond: second.success,
      errorsPerSecond: second.errors,
      tokensPerSecond: second.tokens,
      avgLatencyMs: second.requests > 0 ? Math.round(second.latencySum / second.requests) : null,
    };
  }

  reset(): LiveStatus {
    this.counters.reset();
    return this.status();
  }
}
