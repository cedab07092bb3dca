import { Injectable } from '@nestjs/common';
import { BreakerState, KeyStatus, type KeyLiveState } from '@keypool/shared';
import type { CatalogKey } from '../keys/pool-catalog.types';

/**
 * Read-only view of live key state for the admin API, stats, health and metrics.
 * CONTRACT (keep these signatures; all synchronous, no I/O).
 * (Placeholder; the balancer module fills it in from its key-state store.)
 */
@Injectable()
export class KeyStateReader {
  liveState(key: CatalogKey): KeyLiveState {
    return {
      status: key.enabled
        ? KeyStatus.Active
        : key.disabledReason === 'invalid'
          ? KeyStatus.Invalid
          : KeyStatus.Disabled,
      cooldownUntil: null,
      breaker: BreakerState.Closed,
      consecutiveFailures: 0,
      inFlight: 0,
      lastUsedAt: null,
      requestsToday: 0,
      remainingRequests: null,
      remainingTokens: null,
    };
  }

  /** In-flight upstream attempts over all keys. */
  totalInFlight(): number {
    return 0;
  }
}
