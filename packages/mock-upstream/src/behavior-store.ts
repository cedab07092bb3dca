import type { MockBehavior } from './types';

/** Where a key stands in its request budget after this request. */
export interface BudgetSnapshot {
  limit: number;
  remaining: number;
  /** Time until the window ends (ms). */
  resetMs: number;
}

/** The behaviour to apply to one request, after counters, budget and flakiness were taken into account. */
export interface ResolvedBehavior {
  behavior: MockBehavior;
  /** Sequence number of this request for its key (1-based). */
  count: number;
  budget: BudgetSnapshot | null;
}

interface KeyState {
  count: number;
  budgetWindowStart: number;
  budgetUsed: number;
  random: () => number;
}

/** Behaviours per key, plus each key's counters, budget window and seeded random source. */
export class BehaviorStore {
  private readonly behaviors = new Map<string, MockBehavior>();
  private readonly states = new Map<string, KeyState>();

  constructor(private readonly initial: Record<string, MockBehavior>) {
    this.reset();
  }

  set(key: string, behavior: MockBehavior | null): void {
    if (behavior === null) {
      this.behaviors.delete(key);
    } else {
      this.behaviors.set(key, behavior);
    }
    // A new behaviour starts with a fresh budget window and random sequence, not the counters.
    const state = this.states.get(key);
    if (state) {
      state.budgetUsed = 0;
      state.budgetWindowStart = 0;
      state.random = seeded(behavior?.flaky?.seed ?? 1);
    }
  }

  reset(): void {
    this.behaviors.clear();
    this.states.clear();
    for (const [key, behavior] of Object.entries(this.initial)) {
      this.behaviors.set(key, behavior);
    }
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, state] of this.states) {
      out[key] = state.count;
    }
    return out;
  }

  resolve(key: string, now: number): ResolvedBehavior {
    const configured = this.behaviors.get(key) ?? this.behaviors.get('*') ?? {};
    const state = this.stateOf(key, configured);
    state.count += 1;

    let budget: BudgetSnapshot | null = null;
    if (configured.budget) {
      const { requests, windowMs } = configured.budget;
      if (state.budgetWindowStart === 0 || now >= state.budgetWindowStart + windowMs) {
        state.budgetWindowStart = now;
        state.budgetUsed = 0;
      }
      const resetMs = state.budgetWindowStart + windowMs - now;
      if (state.budgetUsed >= requests) {
        budget = { limit: requests, remaining: 0, resetMs };
        const retryAfterSeconds = Math.max(1, Math.ceil(resetMs / 1000));
        return {
          behavior: { ...configured, mode: 'rate_limit', retryAfterSeconds, resetSeconds: resetMs / 1000 },
          count: state.count,
          budget,
        };
      }
      state.budgetUsed += 1;
      budget = { limit: requests, remaining: requests - state.budgetUsed, resetMs };
    }

    const flaky = configured.flaky;
    if (flaky) {
      const byTurn = flaky.every !== undefined && flaky.every > 0 && state.count % flaky.every === 0;
      const byChance = flaky.probability !== undefined && state.random() < flaky.probability;
      if (byTurn || byChance) {
        const failWith = flaky.failWith ?? { mode: 'server_error' };
        return { behavior: { ...configured, flaky: undefined, ...failWith }, count: state.count, budget };
      }
    }
    return { behavior: configured, count: state.count, budget };
  }

  private stateOf(key: string, behavior: MockBehavior): KeyState {
    let state = this.states.get(key);
    if (!state) {
      state = { count: 0, budgetWindowStart: 0, budgetUsed: 0, random: seeded(behavior.flaky?.seed ?? 1) };
      this.states.set(key, state);
    }
    return state;
  }
}

/** mulberry32: a tiny seeded PRNG, so "flaky with probability p" is reproducible run to run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
