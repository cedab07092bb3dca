import { Inject, Injectable } from '@nestjs/common';
import { BreakerState, KeyStatus, type KeyLiveState } from '@keypool/shared';
import type { CatalogKey } from '../keys/pool-catalog.types';
import { SettingsService } from '../settings/settings.service';
import { KEY_STATE_STORE, type KeyStateStore } from './key-state/key-state.store';
import { effectiveBreakerState } from './resilience/breaker';
import { dayStartOf } from './resilience/day-boundary';
import { budgetRestUntil, limitReachedUntil } from './selection/key-availability';

/**
 * Read-only view of live key state for the admin API, stats, health and metrics.
 * CONTRACT (keep these signatures; all synchronous, no I/O).
 */
@Injectable()
export class KeyStateReader {
  constructor(
    @Inject(KEY_STATE_STORE) private readonly store: KeyStateStore,
    private readonly settings: SettingsService,
  ) {}

  liveState(key: CatalogKey): KeyLiveState {
    const now = Date.now();
    const view = this.store.view(key.id, now);
    const offset = this.settings.current().dayBoundaryUtcOffsetHours;
    const breaker = effectiveBreakerState(view.breaker, now);
    const cooldown = view.cooldown && view.cooldown.until > now ? view.cooldown : null;
    let modelCooldownUntil = 0;
    for (const c of view.modelCooldowns.values()) {
      if (c.until > now && c.kind === 'rate_limited') {
        modelCooldownUntil = Math.max(modelCooldownUntil, c.until);
      }
    }
    const restUntil = Math.max(
      cooldown?.until ?? 0,
      limitReachedUntil(key, view, offset, now) ?? 0,
      budgetRestUntil(view, now) ?? 0,
    );

    let status: KeyStatus = KeyStatus.Active;
    let until: number | null = null;
    if (!key.enabled || view.invalid) {
      status = key.disabledReason === 'invalid' || view.invalid ? KeyStatus.Invalid : KeyStatus.Disabled;
    } else if (cooldown?.kind === 'quota_exhausted') {
      status = KeyStatus.QuotaExhausted;
      until = cooldown.until;
    } else if (breaker !== BreakerState.Closed) {
      status = KeyStatus.CircuitOpen;
      until = breaker === BreakerState.Open ? view.breaker.openUntil : null;
    } else if (restUntil > now) {
      status = KeyStatus.CoolingDown;
      until = restUntil;
    } else if (modelCooldownUntil > now) {
      // Only some models are cooling: still serving the others, but show when the last one frees up.
      until = modelCooldownUntil;
    }
    const today = dayStartOf(now, offset);
    return {
      status,
      cooldownUntil: until !== null ? new Date(until).toISOString() : null,
      breaker,
      consecutiveFailures: view.consecutiveFailures,
      inFlight: view.inFlight,
      lastUsedAt: view.lastUsedAt !== null ? new Date(view.lastUsedAt).toISOString() : null,
      requestsToday: view.dayStart >= today ? view.requestsToday : 0,
      remainingRequests: view.budget?.remainingRequests ?? null,
      remainingTokens: view.budget?.remainingTokens ?? null,
    };
  }

  /** In-flight upstream attempts over all keys. */
  totalInFlight(): number {
    return this.store.totalInFlight();
  }
}
