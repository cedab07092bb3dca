import { SelectionStrategy, type Settings } from '@keypool/shared';
import { describe, expect, it } from 'vitest';
import type { CatalogKey } from '../../keys/pool-catalog.types';
import { MemoryKeyStateStore } from '../key-state/memory-key-state.store';
import { dayStartOf, DAY_MS } from '../resilience/day-boundary';
import { aKey, someSettings } from '../testing/balancer-fixtures';
import { STRATEGIES } from './index';
import type { Candidate } from './strategy.types';

const T0 = Date.UTC(2026, 0, 15, 0, 0, 0);

/** Drives one strategy against a real in-memory store: pick, reserve, release after `durationOf`. */
function simulate(opts: {
  strategy: SelectionStrategy;
  keys: CatalogKey[];
  requests: number;
  settings?: Partial<Settings>;
  /** ms between request arrivals */
  gapMs?: number;
  durationOf?: (keyId: string) => number;
  start?: number;
}): { picks: string[]; times: number[] } {
  const store = new MemoryKeyStateStore();
  const settings = someSettings(opts.settings);
  const strategy = STRATEGIES[opts.strategy];
  const picks: string[] = [];
  const times: number[] = [];
  const pending: Array<{ at: number; keyId: string; latency: number }> = [];
  let now = opts.start ?? T0;
  let seed = 42;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < opts.requests; i++) {
    pending.sort((a, b) => a.at - b.at);
    while (pending.length > 0 && pending[0].at <= now) {
      const done = pending.shift()!;
      store.release(done.keyId, { now: done.at, tokens: 0, latencyMs: done.latency });
    }
    const candidates: Candidate[] = opts.keys.map((key, slot) => ({
      key,
      slot,
      view: store.view(key.id, now),
    }));
    const pick = strategy({ candidates, cursor: store.cursor('s'), settings, now, random });
    if (pick) {
      if (pick.cursor) {
        store.setCursor('s', pick.cursor);
      }
      store.reserve(pick.key.id, {
        now,
        dayStart: dayStartOf(now, 0),
        rpmLimit: null,
        tpmLimit: null,
        dailyLimit: null,
        model: null,
        probe: false,
      });
      const latency = opts.durationOf?.(pick.key.id) ?? 0;
      pending.push({ at: now + latency, keyId: pick.key.id, latency });
      picks.push(pick.key.id);
      times.push(now);
    }
    now += opts.gapMs ?? 1;
  }
  return { picks, times };
}

function counts(picks: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of picks) {
    out[p] = (out[p] ?? 0) + 1;
  }
  return out;
}

function runs(picks: string[]): number[] {
  const lengths: number[] = [];
  let run = 0;
  picks.forEach((p, i) => {
    run += 1;
    if (i === picks.length - 1 || picks[i + 1] !== p) {
      lengths.push(run);
      run = 0;
    }
  });
  return lengths;
}

const three = [aKey('a'), aKey('b'), aKey('c')];

describe('selection strategies', () => {
  it('should spread round-robin evenly, one key after the other', () => {
    const { picks } = simulate({ strategy: 'round-robin', keys: three, requests: 300 });
    expect(counts(picks)).toEqual({ a: 100, b: 100, c: 100 });
    expect(picks.slice(0, 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('should split weighted 1:2:3 over 300 requests as 50/100/150 (±5%), interleaved', () => {
    const keys = [aKey('a', { weight: 1 }), aKey('b', { weight: 2 }), aKey('c', { weight: 3 })];
    const { picks } = simulate({ strategy: 'weighted', keys, requests: 300 });
    const c = counts(picks);
    expect(c.a).toBeGreaterThanOrEqual(47.5);
    expect(c.a).toBeLessThanOrEqual(52.5);
    expect(c.b).toBeGreaterThanOrEqual(95);
    expect(c.b).toBeLessThanOrEqual(105);
    expect(c.c).toBeGreaterThanOrEqual(142.5);
    expect(c.c).toBeLessThanOrEqual(157.5);
    // Smooth: the heaviest key never serves more than 2 in a row.
    expect(Math.max(...runs(picks))).toBeLessThanOrEqual(2);
  });

  it('should stay on a key for runs of exactly N with rotate-every-n', () => {
    const { picks } = simulate({
      strategy: 'rotate-every-n',
      keys: three,
      requests: 300,
      settings: { rotationN: 5 },
    });
    expect(runs(picks).every((r) => r === 5)).toBe(true);
    expect(picks.slice(0, 15)).toEqual([...'aaaaabbbbbccccc']);
  });

  it('should send a slow key fewer requests with least-busy', () => {
    const { picks } = simulate({
      strategy: 'least-busy',
      keys: three,
      requests: 300,
      gapMs: 10,
      durationOf: (id) => (id === 'c' ? 200 : 20),
    });
    const c = counts(picks);
    expect(c.c).toBeLessThan(c.a / 3);
    expect(c.c).toBeLessThan(c.b / 3);
  });

  it('should pick the key idle longest with least-recently-used', () => {
    const { picks } = simulate({ strategy: 'least-recently-used', keys: three, requests: 30 });
    expect(counts(picks)).toEqual({ a: 10, b: 10, c: 10 });
  });

  it('should keep least-recently-used in turn when uses fall in the same millisecond', () => {
    const { picks } = simulate({ strategy: 'least-recently-used', keys: three, requests: 9, gapMs: 0 });
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('should prefer the fastest key with latency but still re-measure the others', () => {
    const { picks } = simulate({
      strategy: 'latency',
      keys: three,
      requests: 300,
      gapMs: 1000,
      durationOf: (id) => (id === 'a' ? 50 : 400),
    });
    const c = counts(picks);
    expect(c.a).toBeGreaterThan(240);
    expect(c.b).toBeGreaterThan(3);
    expect(c.c).toBeGreaterThan(3);
  });

  it('should use one key only with sequential while it can serve', () => {
    const { picks } = simulate({ strategy: 'sequential', keys: three, requests: 50 });
    expect(counts(picks)).toEqual({ a: 50 });
  });

  it('should spread a 100/day key evenly over its day with paced', () => {
    const key = aKey('a', { dailyLimit: 100 });
    // One request offered every minute for a whole day.
    const { picks, times } = simulate({ strategy: 'paced', keys: [key], requests: 1440, gapMs: 60_000 });
    expect(picks.length).toBeGreaterThanOrEqual(95);
    expect(picks.length).toBeLessThanOrEqual(100);
    const perHour = new Array<number>(24).fill(0);
    for (const t of times) {
      perHour[Math.floor((t - T0) / 3_600_000)] += 1;
    }
    // 100 / 24 ≈ 4.2 per hour: never bunched at the start of the day.
    expect(Math.max(...perHour)).toBeLessThanOrEqual(6);
    expect(Math.min(...perHour)).toBeGreaterThanOrEqual(3);
    expect(times[times.length - 1] - T0).toBeGreaterThan(DAY_MS - 2 * 3_600_000);
  });

  it('should share paced traffic between keys and prefer the most overdue', () => {
    const keys = [aKey('a', { dailyLimit: 100 }), aKey('b', { dailyLimit: 100 })];
    const { picks } = simulate({ strategy: 'paced', keys, requests: 1440, gapMs: 60_000 });
    const c = counts(picks);
    expect(c.a).toBeGreaterThanOrEqual(95);
    expect(c.b).toBeGreaterThanOrEqual(95);
  });
});
