import { OutcomeClass, StatusClass } from '@keypool/shared';
import { describe, expect, it } from 'vitest';
import { RollupAccumulator, RollupDimension, type RollupSource } from './rollup-accumulator';
import { Grain, HOUR_MS } from './rollup-grain';

const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);

function source(overrides: Partial<RollupSource>): RollupSource {
  return {
    ts: T0,
    upstreamId: 'up-1',
    keyId: 'key-1',
    model: 'gpt-4o',
    clientKeyId: null,
    statusClass: StatusClass.Success,
    outcome: OutcomeClass.Success,
    attempts: 1,
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    latencyMs: 120,
    ttfbMs: 40,
    ...overrides,
  };
}

describe(RollupAccumulator.name, () => {
  it('should count every row once in each dimension, with "" for a missing value', () => {
    const acc = new RollupAccumulator();
    acc.add([Grain.Hour], source({}));
    acc.add([Grain.Hour], source({ keyId: 'key-2', ts: T0 + 60_000 }));
    acc.add(
      [Grain.Hour],
      source({
        keyId: 'key-2',
        statusClass: StatusClass.RateLimited,
        outcome: OutcomeClass.RateLimited,
        totalTokens: null,
      }),
    );
    const rows = acc.rows();
    const sum = (dim: RollupDimension) =>
      rows.filter((r) => r.dim === dim).reduce((s, r) => s + r.requests, 0);
    for (const dim of Object.values(RollupDimension)) {
      expect(sum(dim), dim).toBe(3);
    }
    expect(rows.find((r) => r.dim === RollupDimension.All)).toMatchObject({
      value: '',
      requests: 3,
      success: 2,
      rateLimited: 1,
      totalTokens: 30,
    });
    expect(rows.find((r) => r.dim === RollupDimension.Key && r.value === 'key-2')).toMatchObject({
      requests: 2,
      success: 1,
    });
    expect(rows.find((r) => r.dim === RollupDimension.Client)).toMatchObject({ value: '', requests: 3 });
    expect(rows.filter((r) => r.dim === RollupDimension.Status).map((r) => [r.value, r.requests])).toEqual([
      ['2xx', 2],
      ['429', 1],
    ]);
  });

  it('should keep one row per bucket of each grain', () => {
    const acc = new RollupAccumulator();
    acc.add([Grain.Minute, Grain.Hour], source({}));
    acc.add([Grain.Minute, Grain.Hour], source({ ts: T0 + 2 * 60_000 }));
    acc.add([Grain.Minute, Grain.Hour], source({ ts: T0 + HOUR_MS }));
    const all = acc.rows().filter((r) => r.dim === RollupDimension.All);
    expect(all.filter((r) => r.grain === Grain.Minute).map((r) => r.requests)).toEqual([1, 1, 1]);
    expect(all.filter((r) => r.grain === Grain.Hour).map((r) => [r.bucket, r.requests])).toEqual([
      [T0, 2],
      [T0 + HOUR_MS, 1],
    ]);
  });

  it('should add latency histograms, maxima and retries', () => {
    const acc = new RollupAccumulator();
    acc.add([Grain.Day], source({ latencyMs: 5, ttfbMs: null }));
    acc.add([Grain.Day], source({ latencyMs: 4000, attempts: 3 }));
    const [all] = acc.rows().filter((r) => r.dim === RollupDimension.All);
    expect(all).toMatchObject({ latencySum: 4005, latencyMax: 4000, ttfbCount: 1, retried: 1, attempts: 4 });
    expect(all.latency.reduce((a, b) => a + b, 0)).toBe(2);
    expect(all.ttfb.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('should count rows in the grains each was added for, and keep models apart whatever they hold', () => {
    const acc = new RollupAccumulator();
    acc.add([Grain.Hour], source({}));
    acc.add([Grain.Day], source({}));
    acc.add([Grain.Day], source({ model: 'a\u0000b' }));
    acc.add([Grain.Day], source({ model: 'a', keyId: 'key-1\u0000b' }));
    const all = acc.rows().filter((r) => r.dim === RollupDimension.All);
    expect(all.map((r) => [r.grain, r.requests])).toEqual([
      [Grain.Hour, 1],
      [Grain.Day, 3],
    ]);
    const models = acc.rows().filter((r) => r.grain === Grain.Day && r.dim === RollupDimension.Model);
    expect(models.map((r) => [r.value, r.requests])).toEqual([
      ['gpt-4o', 1],
      ['a\u0000b', 1],
      ['a', 1],
    ]);
  });
});
