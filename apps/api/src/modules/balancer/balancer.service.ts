import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  BreakerState,
  KeyEventType,
  OutcomeClass,
  type Settings,
  type UpstreamFormat,
} from '@keypool/shared';
import type { CatalogKey, PoolSnapshot } from '../keys/pool-catalog.types';
import { PoolCatalog } from '../keys/pool-catalog.service';
import { LogWriter } from '../logs/log-writer.service';
import { SettingsService } from '../settings/settings.service';
import {
  NoKeyAvailableError,
  RetryBudgetExhaustedError,
  type AcquireRequest,
  type AttemptResult,
  type ClassifiedOutcome,
  type KeyLease,
  type OutcomeInput,
} from './balancer.types';
import {
  KEY_STATE_STORE,
  type KeyStateStore,
  type MaybePromise,
  type Reservation,
  type UpstreamStateView,
} from './key-state/key-state.store';
import { classifyOutcome } from './outcome/classify-outcome';
import { readHeaderBudget } from './outcome/rate-limit-headers';
import { breakerAfterFailure, breakerAfterSuccess, effectiveBreakerState } from './resilience/breaker';
import { dayStartOf } from './resilience/day-boundary';
import { resolveRoute, type Route, type RouteEntry } from './routing/model-router';
import { STRATEGIES } from './selection';
import { roundRobin, roundRobinCursor } from './selection/round-robin.strategy';
import { assessKey } from './selection/key-availability';
import { pacedDueAt } from './selection/paced.strategy';
import type { Candidate } from './selection/strategy.types';

/** Window in which failures of many distinct keys of one upstream count as one upstream-wide event. */
export const BLAST_WINDOW_MS = 5_000;
/** Longest sleep between two looks at the pool while a request waits for a key. */
const WAIT_POLL_MS = 250;

/** A resolved route plus what choosing needs of each tier, kept until the pool snapshot changes. */
interface CachedRoute extends Route {
  /** Strategy-cursor scope of each tier (its upstream ids). */
  scopes: string[];
}

/** Distinct (format, model) routes remembered per snapshot; beyond this the cache starts over. */
const ROUTE_CACHE_MAX = 1_000;

interface Choice extends Candidate {
  entry: RouteEntry;
  probe: boolean;
}

/** What a pass over the pool found when no key could be handed out. */
interface Shortage {
  /** Earliest time a key this request may still use comes back (null: none will by itself). */
  nextForRequest: number | null;
  /** Earliest time any key of the route comes back (for Retry-After). */
  nextForAnyone: number | null;
  /** Keys this request may still use at all (not excluded, not disabled). */
  waitable: number;
  /** Every key that is out is out for a rate limit or quota. */
  allRateLimited: boolean;
  /** Keys out for a while (cooling, exhausted, tripped, at a limit), whether or not this request tried them. */
  out: number;
}

interface LeaseContext {
  key: CatalogKey;
  entry: RouteEntry;
  probe: boolean;
  retrySlot: boolean;
}

/**
 * Chooses keys and learns from outcomes. CONTRACT (keep these signatures): the proxy calls
 * `acquire` per attempt, `classify` on every upstream result, and `poolRemaining` for response headers.
 * All live state goes through the `KeyStateStore`; choosing is O(keys) with no I/O and no lock.
 */
@Injectable()
export class BalancerService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(BalancerService.name);
  /** Keys that were cooling or tripped since their last success: their next success is a recovery. */
  private readonly recovering = new Set<string>();
  private readonly knownEnabled = new Map<string, boolean>();
  /** Keys whose invalidation was handed to the catalog; cleared when the key is enabled again or removed. */
  private readonly invalidating = new Set<string>();
  private unsubscribe: (() => void) | null = null;
  private routes = new Map<string, CachedRoute>();
  private routesOf: PoolSnapshot | null = null;
  /** Injected in tests for a fixed clock and deterministic exploration. */
  now: () => number = Date.now;
  random: () => number = Math.random;

  constructor(
    private readonly catalog: PoolCatalog,
    private readonly settings: SettingsService,
    private readonly logs: LogWriter,
    @Inject(KEY_STATE_STORE) private readonly store: KeyStateStore,
  ) {}

  onModuleInit(): void {
    this.rememberEnabled(this.catalog.snapshot());
    this.unsubscribe = this.catalog.onChange((snapshot) => this.onCatalogChange(snapshot));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Hands out a key for one attempt; waits up to the queue timeout; throws the errors in balancer.types. */
  async acquire(req: AcquireRequest): Promise<KeyLease> {
    const settings = this.settings.current();
    let retrySlot = false;
    if (req.isRetry && this.retryNeedsBudget(req.previousOutcome)) {
      const limit = Math.max(
        settings.retryBudgetMin,
        Math.floor(settings.retryBudgetRatio * this.store.totalInFlight()),
      );
      if (!(await this.store.tryStartRetry(limit))) {
        throw new RetryBudgetExhaustedError();
      }
      retrySlot = true;
    }
    try {
      const deadline = this.now() + Math.max(0, settings.queueTimeoutMs);
      let waited = false;
      for (;;) {
        // Routes are looked up per pass: an admin change while waiting applies at once.
        const route = this.route(req.format, req.model);
        const found = await this.tryAcquire(route, req, this.settings.current(), retrySlot);
        if ('lease' in found) {
          return found.lease;
        }
        const now = this.now();
        if (req.signal.aborted) {
          throw new NoKeyAvailableError(503, 'The client went away while waiting for a key', null);
        }
        const shortage = found.shortage;
        if (now >= deadline || shortage.waitable === 0 || shortage.nextForRequest === null) {
          throw this.noKeyError(shortage, now);
        }
        if (!waited) {
          waited = true;
          req.onWait?.();
        }
        const wakeAt = Math.min(deadline, shortage.nextForRequest, now + WAIT_POLL_MS);
        await this.waitForCapacity(Math.max(1, wakeAt - now), req.signal);
      }
    } catch (error) {
      if (retrySlot) {
        void this.store.endRetry();
      }
      throw error;
    }
  }

  /** The route of (format, model) in the current snapshot; resolved once per snapshot. */
  private route(format: UpstreamFormat, model: string | null): CachedRoute {
    const snapshot = this.catalog.snapshot();
    if (snapshot !== this.routesOf) {
      this.routes = new Map();
      this.routesOf = snapshot;
    }
    const cacheKey = model === null ? format : `${format}\u0000${model}`;
    let cached = this.routes.get(cacheKey);
    if (!cached) {
      // Unknown models and empty pools throw here and are not cached (they are the rare path).
      const route = resolveRoute(snapshot, format, model);
      cached = {
        tiers: route.tiers,
        scopes: route.tiers.map((tier) => tier.map((e) => e.upstream.id).join(',')),
      };
      if (this.routes.size >= ROUTE_CACHE_MAX) {
        this.routes.clear();
      }
      this.routes.set(cacheKey, cached);
    }
    return cached;
  }

  /**
   * The retry budget guards against retry storms multiplying an outage, so it is spent on retries after
   * faults (5xx, network, timeouts). Moving off a key that is rate-limited, out of quota or invalid is
   * the pool doing its job: it goes to a different key and is bounded by maxAttempts and blast radius.
   */
  private retryNeedsBudget(previous: OutcomeClass | null): boolean {
    return !(
      previous === OutcomeClass.RateLimited ||
      previous === OutcomeClass.QuotaExhausted ||
      previous === OutcomeClass.KeyInvalid
    );
  }

  /** The one outcome table: status/headers/body → class, retryability, cooldown. */
  classify(input: OutcomeInput): ClassifiedOutcome {
    return classifyOutcome(input, this.settings.current());
  }

  /** Remaining requests/tokens summed over the eligible keys, where upstream headers or limits tell us. */
  poolRemaining(
    format: UpstreamFormat,
    model: string | null,
  ): { requests: number | null; tokens: number | null } {
    let route: Route;
    try {
      route = this.route(format, model);
    } catch {
      return { requests: null, tokens: null };
    }
    const now = this.now();
    const offset = this.settings.current().dayBoundaryUtcOffsetHours;
    let requests: number | null = null;
    let tokens: number | null = null;
    for (const tier of route.tiers) {
      for (const entry of tier) {
        const upstreamView = this.store.upstreamView(entry.upstream.id, now);
        for (const key of entry.upstream.keys) {
          const view = this.store.view(key.id, now);
          if (!assessKey(key, view, upstreamView, entry.upstreamModel, offset, now).usable) {
            continue;
          }
          const budget = view.budget && (view.budget.requestsResetAt ?? Infinity) > now ? view.budget : null;
          const r = minKnown(
            budget?.remainingRequests ?? null,
            key.rpmLimit !== null ? key.rpmLimit - view.requestsLastMinute : null,
          );
          const t = minKnown(
            budget && (budget.tokensResetAt ?? Infinity) > now ? budget.remainingTokens : null,
            key.tpmLimit !== null ? key.tpmLimit - view.tokensLastMinute : null,
          );
          if (r !== null) {
            requests = (requests ?? 0) + Math.max(0, r);
          }
          if (t !== null) {
            tokens = (tokens ?? 0) + Math.max(0, t);
          }
        }
      }
    }
    return { requests, tokens };
  }

  /**
   * One pass over the route: tiers in order, strategy within a tier, reservation through the store.
   * Runs without awaiting when the store answers synchronously, so no other request interleaves.
   */
  private async tryAcquire(
    route: CachedRoute,
    req: AcquireRequest,
    settings: Settings,
    retrySlot: boolean,
  ): Promise<{ lease: KeyLease } | { shortage: Shortage }> {
    const now = this.now();
    const offset = settings.dayBoundaryUtcOffsetHours;
    const shortage: Shortage = {
      nextForRequest: null,
      nextForAnyone: null,
      waitable: 0,
      allRateLimited: true,
      out: 0,
    };
    let lastResort: Choice[] | null = null; // rare: only keys out for faults land here

    for (let tierIndex = 0; tierIndex < route.tiers.length; tierIndex++) {
      const tier = route.tiers[tierIndex];
      const scope = route.scopes[tierIndex];
      const strategy =
        STRATEGIES[tier[0]?.upstream.strategy ?? settings.strategy] ?? STRATEGIES['round-robin'];
      if (strategy === roundRobin && !this.affinityApplies(req, settings)) {
        const choice = await this.nextInTurn(tier, scope, req, offset, now);
        if (choice) {
          return { lease: this.lease(choice, req, settings, retrySlot) };
        }
        // Nothing in turn could be reserved: the full pass below finds out why and until when.
      }
      const choices: Choice[] = [];
      for (let entryIndex = 0; entryIndex < tier.length; entryIndex++) {
        const entry = tier[entryIndex];
        const upstreamView = this.store.upstreamView(entry.upstream.id, now);
        const keys = entry.upstream.keys;
        for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
          const key = keys[keyIndex];
          if (!key.enabled) {
            continue; // disabled or invalid in the catalog: never usable, never waited for
          }
          const view = this.store.view(key.id, now);
          const slot = slotOf(entryIndex, keyIndex);
          const excluded = req.excludeKeyIds.has(key.id);
          const a = assessKey(key, view, upstreamView, entry.upstreamModel, offset, now);
          if (a.usable) {
            if (!excluded) {
              choices.push({ key, slot, view, entry, probe: a.probe });
              shortage.waitable += 1;
            } else {
              // Tried by this request and still usable: it failed for something other than a rate limit.
              shortage.allRateLimited = false;
            }
            continue;
          }
          if (a.reason === 'disabled' || a.reason === 'invalid') {
            continue;
          }
          shortage.allRateLimited &&= a.rateLimited;
          shortage.out += 1;
          shortage.nextForAnyone = minTime(shortage.nextForAnyone, a.until);
          if (!excluded) {
            shortage.waitable += 1;
            shortage.nextForRequest = minTime(shortage.nextForRequest, a.until);
            if (a.lastResort) {
              (lastResort ??= []).push({ key, slot, view, entry, probe: false });
            }
          }
        }
      }

      while (choices.length > 0) {
        const pinned = this.affinityChoice(req, settings, choices);
        const pick = pinned
          ? { key: pinned.key, slot: pinned.slot }
          : strategy({
              candidates: choices,
              cursor: this.store.cursor(scope),
              settings,
              now,
              random: this.random,
            });
        if (!pick) {
          // Paced keys ahead of schedule: come back when the first is due.
          for (const c of choices) {
            shortage.nextForRequest = minTime(shortage.nextForRequest, pacedDueAt(c, { settings, now }));
          }
          shortage.out += choices.length; // resting on their quota's schedule: a rate limit of our own
          shortage.nextForAnyone = minTime(shortage.nextForAnyone, shortage.nextForRequest);
          break;
        }
        if (!pinned && 'cursor' in pick && pick.cursor) {
          this.background(this.store.setCursor(scope, pick.cursor));
        }
        const choice = choiceAt(choices, pick.slot);
        const pending = this.store.reserve(choice.key.id, this.reservation(choice, offset, now));
        const reserved = pending instanceof Promise ? await pending : pending;
        if (reserved.ok) {
          return { lease: this.lease(choice, req, settings, retrySlot) };
        }
        choices.splice(choices.indexOf(choice), 1);
        if (reserved.reason !== 'invalid') {
          shortage.out += 1;
          shortage.allRateLimited &&= reserved.reason === 'limit' || reserved.reason === 'cooldown';
        }
        shortage.nextForRequest = minTime(shortage.nextForRequest, reserved.retryAt);
        shortage.nextForAnyone = minTime(shortage.nextForAnyone, reserved.retryAt);
      }
    }

    // Nothing healthy is left: try the least-bad keys (out for faults only), soonest back first.
    lastResort?.sort((a, b) => a.view.breaker.openUntil - b.view.breaker.openUntil);
    for (const choice of lastResort ?? []) {
      const pending = this.store.reserve(choice.key.id, this.reservation(choice, offset, now));
      const reserved = pending instanceof Promise ? await pending : pending;
      if (reserved.ok) {
        return { lease: this.lease(choice, req, settings, retrySlot) };
      }
    }
    return { shortage };
  }

  /**
   * Round-robin's common case without assessing the whole tier: walks the keys in slot order from the
   * scope's cursor and reserves the first usable one. Same pick as the strategy over all candidates;
   * null when none could be reserved (the caller's full pass then works out the shortage).
   */
  private async nextInTurn(
    tier: readonly RouteEntry[],
    scope: string,
    req: AcquireRequest,
    offset: number,
    now: number,
  ): Promise<Choice | null> {
    const cursor = this.store.cursor(scope);
    // Pass 0: slots after the cursor; pass 1: wrap around to the ones up to it.
    for (let pass = 0; pass < 2; pass++) {
      for (let entryIndex = 0; entryIndex < tier.length; entryIndex++) {
        const entry = tier[entryIndex];
        const keys = entry.upstream.keys;
        let upstreamView: UpstreamStateView | null = null;
        for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
          const slot = slotOf(entryIndex, keyIndex);
          const key = keys[keyIndex];
          if (slot > cursor.lastSlot !== (pass === 0) || !key.enabled || req.excludeKeyIds.has(key.id)) {
            continue;
          }
          upstreamView ??= this.store.upstreamView(entry.upstream.id, now);
          const view = this.store.view(key.id, now);
          const a = assessKey(key, view, upstreamView, entry.upstreamModel, offset, now);
          if (!a.usable) {
            continue;
          }
          const choice: Choice = { key, slot, view, entry, probe: a.probe };
          // The turn moves on before the reservation is awaited (a shared store answers later), so
          // acquires running meanwhile take the next keys instead of all landing on this one.
          this.background(this.store.setCursor(scope, roundRobinCursor(slot, cursor)));
          const pending = this.store.reserve(key.id, this.reservation(choice, offset, now));
          const reserved = pending instanceof Promise ? await pending : pending;
          if (reserved.ok) {
            return choice;
          }
        }
      }
    }
    return null;
  }

  private reservation(choice: Choice, offset: number, now: number): Reservation {
    return {
      now,
      dayStart: dayStartOf(now, offset),
      rpmLimit: choice.key.rpmLimit,
      tpmLimit: choice.key.tpmLimit,
      dailyLimit: choice.key.dailyLimit,
      model: choice.entry.upstreamModel,
      probe: choice.probe,
    };
  }

  private affinityApplies(
    req: AcquireRequest,
    settings: Settings,
  ): req is AcquireRequest & { affinity: string } {
    return settings.affinityEnabled && req.affinity !== null && req.affinity !== '';
  }

  private affinityChoice(req: AcquireRequest, settings: Settings, choices: readonly Choice[]): Choice | null {
    if (!this.affinityApplies(req, settings)) {
      return null;
    }
    const keyId = this.store.affinityKey(req.affinity);
    return keyId === null ? null : (choices.find((c) => c.key.id === keyId) ?? null);
  }

  private lease(choice: Choice, req: AcquireRequest, settings: Settings, retrySlot: boolean): KeyLease {
    if (choice.probe) {
      this.background(
        this.store.setBreaker(choice.key.id, { ...choice.view.breaker, state: BreakerState.HalfOpen }),
      );
    }
    if (this.affinityApplies(req, settings)) {
      this.background(this.store.setAffinity(req.affinity, choice.key.id));
    }
    const ctx: LeaseContext = {
      key: choice.key,
      entry: choice.entry,
      probe: choice.probe,
      retrySlot,
    };
    let released = false;
    return {
      key: choice.key,
      upstream: choice.entry.upstream,
      upstreamModel: choice.entry.upstreamModel,
      release: (result: AttemptResult) => {
        if (released) {
          return;
        }
        released = true;
        try {
          this.learn(ctx, result);
        } catch (error) {
          this.logger.error(`Recording an attempt outcome failed: ${String(error)}`);
        }
      },
    };
  }

  /** Updates the state of the key that produced this outcome (the lease's key, never a "current" one). */
  private learn(ctx: LeaseContext, result: AttemptResult): void {
    const { key } = ctx;
    const settings = this.settings.current();
    const now = this.now();
    const c = result.classification;
    const budget = readHeaderBudget(result.headers, now);
    if (budget) {
      this.background(this.store.setBudget(key.id, budget));
    }
    this.background(
      this.store.release(key.id, {
        now,
        tokens: result.totalTokens,
        latencyMs: c.class === OutcomeClass.Success ? result.durationMs : null,
      }),
    );
    if (ctx.retrySlot) {
      this.background(this.store.endRetry());
    }

    switch (c.class) {
      case OutcomeClass.Success:
        this.onSuccess(ctx, settings, now);
        return;
      case OutcomeClass.RateLimited:
      case OutcomeClass.QuotaExhausted:
        this.onRateLimited(ctx, c, settings, now);
        return;
      case OutcomeClass.KeyInvalid:
        this.onInvalid(ctx, c);
        return;
      case OutcomeClass.UpstreamError:
        this.onFault(ctx, settings, now);
        return;
      case OutcomeClass.ClientError:
      case OutcomeClass.ClientCancel:
      case OutcomeClass.GatewayError:
        // Not the key's doing. A neutral probe leaves the breaker half-open; the next request probes.
        if (ctx.probe) {
          const view = this.store.view(key.id, now);
          this.background(this.store.setBreaker(key.id, { ...view.breaker, state: BreakerState.Open }));
        }
        return;
    }
  }

  private onSuccess(ctx: LeaseContext, settings: Settings, now: number): void {
    const { key } = ctx;
    this.background(
      this.store.recordResult(key.id, { now, failure: false, windowMs: settings.failureRateWindowMs }),
    );
    const view = this.store.view(key.id, now);
    const next = breakerAfterSuccess(view.breaker, ctx.probe, now);
    if (next) {
      this.background(this.store.setBreaker(key.id, next));
      this.event(key, KeyEventType.BreakerClosed, 'Circuit closed: the probe request succeeded', {});
    }
    if (this.recovering.delete(key.id)) {
      this.event(key, KeyEventType.Recovered, 'Key serves again', {});
    }
  }

  /**
   * Disables the key once. Requests already holding it when the first 401 came back answer 401 too;
   * only the first one goes to the catalog, which writes the single `invalidated` key event.
   */
  private onInvalid(ctx: LeaseContext, c: ClassifiedOutcome): void {
    const { key, entry } = ctx;
    this.background(this.store.setInvalid(key.id, true));
    this.recovering.add(key.id);
    if (this.invalidating.has(key.id)) {
      return;
    }
    this.invalidating.add(key.id);
    this.catalog.markKeyInvalid(key.id, c.message ?? `HTTP ${c.status ?? '?'}`).catch((error: unknown) => {
      this.invalidating.delete(key.id); // the next 401 tries again
      this.logger.error(`Disabling invalid key ${key.maskedSecret} failed: ${String(error)}`);
    });
    this.logger.warn(
      `Key ${key.maskedSecret} of ${entry.upstream.name} is invalid (${c.status ?? '-'}): disabled`,
    );
  }

  private onRateLimited(ctx: LeaseContext, c: ClassifiedOutcome, settings: Settings, now: number): void {
    const { key, entry } = ctx;
    const quota = c.class === OutcomeClass.QuotaExhausted;
    const until = c.cooldownUntil ?? now + settings.defaultCooldownMs;
    const model = c.perModel ? entry.upstreamModel : null;
    const before = this.store.view(key.id, now);
    const wasCooling =
      (before.cooldown?.until ?? 0) > now ||
      (model !== null && (before.modelCooldowns.get(model)?.until ?? 0) > now);
    this.background(
      this.store.extendCooldown(key.id, model, {
        until,
        kind: quota ? 'quota_exhausted' : 'rate_limited',
        explicit: c.cooldownExplicit ?? false,
      }),
    );
    this.recovering.add(key.id);
    if (ctx.probe) {
      // A rate limit says nothing about faults; let the next request probe.
      this.background(this.store.setBreaker(key.id, { ...before.breaker, state: BreakerState.Open }));
    }
    if (!wasCooling) {
      const seconds = Math.round((until - now) / 100) / 10;
      this.event(
        key,
        quota ? KeyEventType.QuotaExhausted : KeyEventType.CooldownStarted,
        `${quota ? 'Quota exhausted' : 'Rate limited'}${model ? ` for ${model}` : ''}: resting ${seconds}s`,
        {
          until: new Date(until).toISOString(),
          model,
          status: c.status,
          explicit: c.cooldownExplicit ?? false,
        },
      );
    }
    if (!quota) {
      this.noteBlast(ctx, 'rate_limited', until, settings, now);
    }
  }

  private onFault(ctx: LeaseContext, settings: Settings, now: number): void {
    const { key, entry } = ctx;
    const upstreamId = entry.upstream.id;
    const afterCounts = (counts: {
      consecutiveFailures: number;
      windowFailures: number;
      windowTotal: number;
    }) => {
      const storm = this.noteBlast(ctx, 'fault', null, settings, now);
      if (storm && !ctx.probe) {
        return; // the upstream is to blame as a whole: do not eject its keys one by one
      }
      const view = this.store.view(key.id, now);
      const next = breakerAfterFailure(
        view.breaker,
        counts,
        ctx.probe,
        this.mayEject(entry, now, settings),
        settings,
        now,
      );
      if (!next) {
        return;
      }
      this.background(this.store.setBreaker(key.id, next));
      this.recovering.add(key.id);
      this.event(
        key,
        KeyEventType.BreakerOpened,
        `Circuit opened for ${Math.round((next.openUntil - now) / 1000)}s after ${counts.consecutiveFailures} consecutive failures`,
        { until: new Date(next.openUntil).toISOString(), trips: next.trips, upstreamId },
      );
    };
    when(
      this.store.recordResult(key.id, { now, failure: true, windowMs: settings.failureRateWindowMs }),
      afterCounts,
      (e) => this.logger.error(String(e)),
    );
  }

  /**
   * Blast radius: when many distinct keys of one upstream fail within seconds, the cause is shared (an
   * outage, an IP or project limit), so the upstream as a whole backs off. Returns true while it does.
   */
  private noteBlast(
    ctx: LeaseContext,
    reason: 'rate_limited' | 'fault',
    rateLimitedUntil: number | null,
    settings: Settings,
    now: number,
  ): boolean {
    const upstream = ctx.entry.upstream;
    const current = this.store.upstreamView(upstream.id, now).backoff;
    if (current) {
      return current.reason === reason;
    }
    const enabled = upstream.keys.filter((k) => k.enabled).length;
    const share = reason === 'fault' ? 0.5 : 0.75;
    const threshold = Math.max(3, Math.ceil(enabled * share));
    when(
      this.store.noteUpstreamFailure(upstream.id, reason, ctx.key.id, now, BLAST_WINDOW_MS),
      (distinct) => {
        if (distinct < threshold) {
          return;
        }
        const until =
          reason === 'fault'
            ? now + settings.breakerCooldownMs
            : Math.min(
                rateLimitedUntil ?? now + settings.defaultCooldownMs,
                now + settings.defaultCooldownMs,
              );
        this.background(this.store.setUpstreamBackoff(upstream.id, { until, reason, trips: 1 }));
        this.logger.warn(
          `${distinct} keys of ${upstream.name} failed within seconds: backing off the upstream`,
        );
        this.event(
          ctx.key,
          reason === 'fault' ? KeyEventType.BreakerOpened : KeyEventType.CooldownStarted,
          `Upstream ${upstream.name} backed off: ${distinct} keys failed within ${BLAST_WINDOW_MS / 1000}s`,
          {
            scope: 'upstream',
            upstreamId: upstream.id,
            until: new Date(until).toISOString(),
          },
        );
      },
      (e) => this.logger.error(String(e)),
    );
    return false;
  }

  /** Max ejection: keys out for faults never exceed the setting's share of the upstream (at least one). */
  private mayEject(entry: RouteEntry, now: number, settings: Settings): boolean {
    const enabled = entry.upstream.keys.filter((k) => k.enabled);
    const cap = Math.max(1, Math.floor(enabled.length * settings.maxEjectionRatio));
    let ejected = 0;
    for (const k of enabled) {
      if (effectiveBreakerState(this.store.view(k.id, now).breaker, now) !== BreakerState.Closed) {
        ejected += 1;
      }
    }
    return ejected < cap;
  }

  private noKeyError(shortage: Shortage, now: number): NoKeyAvailableError {
    const retryAfterMs = shortage.nextForAnyone !== null ? Math.max(0, shortage.nextForAnyone - now) : null;
    // Keys this request already tried count too: two keys that both answered 429 make a 429, not a 503.
    if (shortage.out > 0 && shortage.allRateLimited) {
      return new NoKeyAvailableError(
        429,
        'All keys are rate-limited or out of quota; retry after the indicated time',
        retryAfterMs,
      );
    }
    return new NoKeyAvailableError(503, 'No key is available to serve this request right now', retryAfterMs);
  }

  /** Sleeps until `ms` pass, capacity may have come back, or the client goes away. */
  private waitForCapacity(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const unsubscribe = this.store.onCapacity(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private onCatalogChange(snapshot: PoolSnapshot): void {
    for (const [id, key] of snapshot.keysById) {
      const wasEnabled = this.knownEnabled.get(id);
      if (key.enabled && wasEnabled === false) {
        // Re-enabled by an admin or a passing validity check: a clean slate.
        this.background(this.store.clearKey(id));
        this.recovering.delete(id);
        this.invalidating.delete(id);
      } else if (!key.enabled && key.disabledReason === 'invalid') {
        // The catalog now carries the invalid flag itself.
        this.background(this.store.setInvalid(id, false));
      }
    }
    for (const id of this.knownEnabled.keys()) {
      if (!snapshot.keysById.has(id)) {
        this.background(this.store.clearKey(id));
        this.recovering.delete(id);
        this.invalidating.delete(id);
      }
    }
    this.rememberEnabled(snapshot);
  }

  private rememberEnabled(snapshot: PoolSnapshot): void {
    this.knownEnabled.clear();
    for (const [id, key] of snapshot.keysById) {
      this.knownEnabled.set(id, key.enabled);
    }
  }

  private event(
    key: CatalogKey,
    type: KeyEventType,
    message: string,
    details: Record<string, unknown>,
  ): void {
    this.logs.recordKeyEvent({
      keyId: key.id,
      upstreamId: key.upstreamId,
      type,
      message,
      details,
      at: this.now(),
    });
  }

  /** Store writes that may be async: never awaited on the hot path, failures logged. */
  private background(value: MaybePromise<unknown>): void {
    if (value instanceof Promise) {
      value.catch((error: unknown) => this.logger.error(`Key state write failed: ${String(error)}`));
    }
  }
}

function when<T>(value: MaybePromise<T>, then: (v: T) => void, fail: (e: unknown) => void): void {
  if (value instanceof Promise) {
    value.then(then, fail);
  } else {
    then(value);
  }
}

/** A key's position within its tier: upstream order first, then key order (the strategies' slot order). */
function slotOf(entryIndex: number, keyIndex: number): number {
  return entryIndex * 100_000 + keyIndex;
}

function choiceAt(choices: readonly Choice[], slot: number): Choice {
  for (const c of choices) {
    if (c.slot === slot) {
      return c;
    }
  }
  throw new Error(`The strategy picked slot ${slot}, which is not a candidate`);
}

function minTime(a: number | null, b: number | null): number | null {
  if (a === null) {
    return b;
  }
  return b === null ? a : Math.min(a, b);
}

function minKnown(a: number | null, b: number | null): number | null {
  if (a === null) {
    return b;
  }
  return b === null ? a : Math.min(a, b);
}
