import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TalliedCounter } from './tallied-counter';

describe(TalliedCounter.name, () => {
  it('should expose one sample per label combination with its total when scraped', async () => {
    const registry = new Registry();
    const counter = new TalliedCounter({
      name: 'test_requests_total',
      help: 'Requests',
      labelNames: ['upstream', 'status'] as const,
      registers: [registry],
    });
    counter.add(['a', '200']);
    counter.add(['a', '200'], 2);
    counter.add(['a', '429']);
    counter.add(['b', '200'], 5);
    const text = await registry.metrics();
    expect(text).toContain('test_requests_total{upstream="a",status="200"} 3');
    expect(text).toContain('test_requests_total{upstream="a",status="429"} 1');
    expect(text).toContain('test_requests_total{upstream="b",status="200"} 5');
    // A second scrape reports the same totals, not doubled ones.
    counter.add(['b', '200']);
    const again = await registry.metrics();
    expect(again).toContain('test_requests_total{upstream="a",status="200"} 3');
    expect(again).toContain('test_requests_total{upstream="b",status="200"} 6');
  });
});
