import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TalliedHistogram } from './tallied-histogram';

const BUCKETS = [0.01, 0.1, 1];
const OBSERVATIONS: Array<[string, number]> = [
  ['a', 0.005],
  ['a', 0.01],
  ['a', 0.5],
  ['a', 3],
  ['b', 0.2],
];

/** The scrape text of one metric, sample lines only, in a stable order. */
async function samples(registry: Registry): Promise<string[]> {
  const text = await registry.metrics();
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .sort();
}

describe(TalliedHistogram.name, () => {
  it('should scrape exactly as prom-client histogram fed the same observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const tallied = new TalliedHistogram({
      name: 'test_seconds',
      help: 'Test',
      labelNames: ['upstream'] as const,
      buckets: BUCKETS,
      registers: [ours],
    });
    const reference = new Histogram({
      name: 'test_seconds',
      help: 'Test',
      labelNames: ['upstream'] as const,
      buckets: BUCKETS,
      registers: [theirs],
    });
    for (const [upstream, value] of OBSERVATIONS) {
      tallied.observe([upstream], value);
      reference.observe({ upstream }, value);
    }
    expect(await samples(ours)).toEqual(await samples(theirs));
    expect(await ours.metrics()).toContain('# TYPE test_seconds histogram');
    expect(await ours.metrics()).toContain('test_seconds_bucket{le="0.1",upstream="a"} 2');
  });

  it('should keep counting across scrapes and start over on a registry reset', async () => {
    const registry = new Registry();
    const tallied = new TalliedHistogram({
      name: 'test_seconds',
      help: 'Test',
      labelNames: ['upstream', 'model'] as const,
      buckets: BUCKETS,
      registers: [registry],
    });
    tallied.observe(['a', 'm'], 0.05);
    await registry.metrics();
    tallied.observe(['a', 'm'], 0.05);
    expect(await registry.metrics()).toContain('test_seconds_count{upstream="a",model="m"} 2');
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('test_seconds_count');
  });
});
