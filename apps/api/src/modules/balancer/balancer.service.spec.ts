import { OutcomeClass, type Settings } from '@keypool/shared';
import { describe, expect, it, vi } from 'vitest';
import type { PoolCatalog } from '../keys/pool-catalog.service';
import type { LogWriter } from '../logs/log-writer.service';
import type { SettingsService } from '../settings/settings.service';
import { BalancerService } from './balancer.service';
import {
  NoKeyAvailableError,
  RetryBudgetExhaustedError,
  type AcquireRequest,
  type ClassifiedOutcome,
  type KeyLease,
} from './balancer.types';
import type { KeyStateStore } from './key-state/key-state.store';
import { MemoryKeyStateStore } from './key-state/memory-key-state.store';
import { aKey, anUpstream, aSnapshot, someSettings } from './testing/balancer-fixtures';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

/** A store that answers reservations on a later tick, as the Redis-backed one does. */
function lateReservingStore(): KeyStateStore {
  const store: KeyStateStore = new MemoryKeyStateStore();
  const reserve = store.reserve.bind(store);
  store.reserve = (keyId, r) => new Promise((resolve) => setImmediate(() => resolve(reserve(keyId, r))));
  return store;
}

function setup(
  settings: Partial<Settings> = {},
  keyCount = 3,
  keys = Array.from({ length: keyCount }, (_, i) => aKey(`k${i + 1}`)),
  store: KeyStateStore = new MemoryKeyStateStore(),
) {
  const snapshot = aSnapshot([anUpstream('up-1', keys)]);
  const markKeyInvalid = vi.fn(() => Promise.resolve());
  const catalog = { snapshot: () => snapshot, onChange: () => () => undefined, markKeyInvalid };
  const current = someSettings({ queueTimeoutMs: 0, ...settings });
  const balancer = new BalancerService(
    catalog as unknown as PoolCatalog,
    { current: () => current } as unknown as SettingsService,
    { recordKeyEvent: () => undefined } as unknown as LogWriter,
    store,
  );
  balancer.now = () => NOW;
  balancer.onModuleInit();
  return { balancer, markKeyInvalid, store };
}

/** One request's attempts: each acquire excludes the keys it already tried. */
function aRequest(balancer: BalancerService) {
  const signal = new AbortController().signal;
  const tried = new Set<string>();
  let previousOutcome: OutcomeClass | null = null;
  return {
    async acquire(): Promise<KeyLease> {
      const req: AcquireRequest = {
        model: 'gpt-4o-mini',
        format: 'openai',
        excludeKeyIds: tried,
        affinity: null,
        signal,
        isRetry: tried.size > 0,
        previousOutcome,
      };
      const lease = await balancer.acquire(req);
      tried.add(lease.key.id);
      // The proxy tells the balancer how the previous attempt ended; so does this helper.
      return {
        ...lease,
        release: (result) => {
          previousOutcome = result.classification.class;
          lease.release(result);
        },
      };
    },
  };
}

function outcome(cls: OutcomeClass, extra: Partial<ClassifiedOutcome> = {}): ClassifiedOutcome {
  return {
    class: cls,
    status: null,
    retryable: true,
    cooldownUntil: null,
    perModel: false,
    message: null,
    ...extra,
  };
}
const rateLimited = outcome(OutcomeClass.RateLimited, {
  status: 429,
  cooldownUntil: NOW + 30_000,
  cooldownExplicit: true,
});
const fault = outcome(OutcomeClass.UpstreamError, { status: 500 });
const invalid = outcome(OutcomeClass.KeyInvalid, { status: 401, retryable: true });
const release = (lease: KeyLease, c: ClassifiedOutcome) =>
  lease.release({ classification: c, durationMs: 5, totalTokens: 0, headers: {} });
const success = outcome(OutcomeClass.Success, { status: 200 });

describe(BalancerService.name, () => {
  it('should answer 429, not 503, when every key the request tried answered 429', async () => {
    const { balancer } = setup();
    const request = aRequest(balancer);
    for (let i = 0; i < 3; i++) {
      release(await request.acquire(), rateLimited);
    }
    const error = await request.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoKeyAvailableError);
    expect((error as NoKeyAvailableError).status).toBe(429);
    expect((error as NoKeyAvailableError).retryAfterMs).toBe(30_000);
  });

  it('should answer 503 when a key the request tried failed with a fault', async () => {
    // Two keys, so the upstream-wide blast radius (3 distinct keys) stays out of it.
    const { balancer } = setup({}, 2);
    const request = aRequest(balancer);
    release(await request.acquire(), rateLimited);
    release(await request.acquire(), fault);
    const error = await request.acquire().catch((e: unknown) => e);
    expect((error as NoKeyAvailableError).status).toBe(503);
  });

  it('should hand a key to the catalog once when concurrent attempts on it all answer 401', async () => {
    const { balancer, markKeyInvalid } = setup({ strategy: 'sequential' });
    const leases = [
      await aRequest(balancer).acquire(),
      await aRequest(balancer).acquire(),
      await aRequest(balancer).acquire(),
    ];
    expect(new Set(leases.map((l) => l.key.id)).size).toBe(1);
    leases.forEach((l) => release(l, invalid));
    expect(markKeyInvalid).toHaveBeenCalledTimes(1);
  });

  it('should take round-robin turns in key order, skipping keys at their limit or cooling without shifting turns', async () => {
    const keys = [
      aKey('k1'),
      aKey('k2'),
      aKey('k3', { rpmLimit: 1 }),
      aKey('k4'),
      aKey('k5', { enabled: false }),
    ];
    const { balancer } = setup({ strategy: 'round-robin' }, 0, keys);
    const picks: string[] = [];
    for (let i = 0; i < 7; i++) {
      const lease = await aRequest(balancer).acquire();
      picks.push(lease.key.id);
      release(lease, picks.length === 5 ? rateLimited : success); // k1's second turn answers 429
    }
    // k3 serves once (rpm 1), k5 is disabled, k1 cools after its 429: the others keep their order.
    expect(picks).toEqual(['k1', 'k2', 'k3', 'k4', 'k1', 'k2', 'k4']);
    const retry = aRequest(balancer);
    const first = await retry.acquire();
    release(first, fault);
    expect((await retry.acquire()).key.id).not.toBe(first.key.id);
  });

  it('should take round-robin turns in order among concurrent acquires when reservations answer later', async () => {
    const { balancer } = setup({ strategy: 'round-robin' }, 3, undefined, lateReservingStore());
    const leases = await Promise.all(Array.from({ length: 6 }, () => aRequest(balancer).acquire()));
    expect(leases.map((l) => l.key.id)).toEqual(['k1', 'k2', 'k3', 'k1', 'k2', 'k3']);
  });

  it('should back the upstream off for faults only when enough distinct keys fault, not for 429s and one 500', async () => {
    const { balancer, store } = setup({ strategy: 'round-robin' }, 4);
    release(await aRequest(balancer).acquire(), rateLimited);
    release(await aRequest(balancer).acquire(), rateLimited);
    release(await aRequest(balancer).acquire(), fault);
    expect(store.upstreamView('up-1', NOW).backoff).toBeNull();
    // Three distinct keys faulting within the window is an upstream-wide problem.
    const { balancer: other, store: otherStore } = setup({ strategy: 'round-robin' }, 4);
    for (let i = 0; i < 3; i++) {
      release(await aRequest(other).acquire(), fault);
    }
    expect(otherStore.upstreamView('up-1', NOW).backoff).toMatchObject({ reason: 'fault' });
  });

  it('should spend retry budget on retries after faults, not when moving off a rate-limited or invalid key', async () => {
    const { balancer } = setup({ retryBudgetMin: 0, retryBudgetRatio: 0 });
    const afterRateLimit = aRequest(balancer);
    release(await afterRateLimit.acquire(), rateLimited);
    const second = await afterRateLimit.acquire();
    release(second, invalid);
    await expect(afterRateLimit.acquire()).resolves.toBeDefined();

    const afterFault = aRequest(balancer);
    release(await afterFault.acquire(), fault);
    await expect(afterFault.acquire()).rejects.toBeInstanceOf(RetryBudgetExhaustedError);
  });
});
