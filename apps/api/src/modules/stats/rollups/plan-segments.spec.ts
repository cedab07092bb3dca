import { describe, expect, it } from 'vitest';
import { estimateQuantile, bucketIndex, emptyHistogram } from './latency-histogram';
import { planSegments } from './plan-segments';
import { DAY_MS, HOUR_MS, MINUTE_MS, availabilityAt } from './rollup-grain';

const NOW = Date.UTC(2025, 5, 15, 12, 34, 56);
const available = availabilityAt(NOW);

describe(planSegments.name, () => {
  const scenarios = [
    {
      name: 'a 1h range uses only minute rows',
      from: NOW - HOUR_MS,
      to: NOW,
      grains: ['m'],
    },
    {
      name: 'a 24h range uses minute edges around hour rows',
      from: NOW - DAY_MS,
      to: NOW,
      grains: ['m', 'h', 'm'],
    },
    {
      name: 'a 30d range uses hour rows at the old edge (minutes pruned), days in the middle',
      from: NOW - 30 * DAY_MS,
      to: NOW,
      grains: ['h', 'd', 'h', 'm'],
    },
  ];
  for (const s of scenarios) {
    it(`should plan ${s.name}`, () => {
      const plan = planSegments(s.from, s.to, available);
      expect(plan.segments.map((x) => x.grain)).toEqual(s.grains);
      // Contiguous and covering the effective range.
      for (let i = 1; i < plan.segments.length; i++) {
        expect(plan.segments[i].from).toBe(plan.segments[i - 1].to);
      }
      expect(plan.segments[0].from).toBe(plan.from);
      expect(plan.segments[plan.segments.length - 1].to).toBe(plan.to);
      expect(plan.from).toBeLessThanOrEqual(s.from);
      expect(plan.to).toBeGreaterThanOrEqual(s.to);
    });
  }

  it('should widen the old edge to the hour when minute rows are gone', () => {
    const from = NOW - 10 * DAY_MS + 17 * MINUTE_MS;
    const plan = planSegments(from, NOW, available);
    expect(plan.from % HOUR_MS).toBe(0);
    expect(from - plan.from).toBeLessThan(HOUR_MS);
  });
});

describe(estimateQuantile.name, () => {
  it('should return null without data', () => {
    expect(estimateQuantile(emptyHistogram(), 0.5, null)).toBeNull();
  });

  it('should interpolate within the bucket and cap at the max seen', () => {
    const counts = emptyHistogram();
    for (const v of [120, 130, 140, 150, 160, 170, 180, 190, 195, 199]) {
      counts[bucketIndex(v)] += 1;
    }
    const p50 = estimateQuantile(counts, 0.5, 199)!;
    expect(p50).toBeGreaterThan(100);
    expect(p50).toBeLessThanOrEqual(200);
    expect(estimateQuantile(counts, 0.99, 199)).toBeLessThanOrEqual(199);
  });
});
