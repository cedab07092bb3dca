import type { Histogram, Registry } from 'prom-client';
import { labelsOf } from './label-values';

interface Series {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative); the last slot is above the highest bound. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

export interface TalliedHistogramConfig<Label extends string> {
  name: string;
  help: string;
  labelNames: readonly Label[];
  /** Upper bounds, ascending. */
  buckets: readonly number[];
  registers: Registry[];
}

/**
 * A Prometheus histogram fed from plain tallies: `observe` finds the bucket and adds to a typed array of
 * the series, which is looked up by its label value(s); the exposition is built only when scraped.
 * prom-client's own `observe(labels, v)` hashes the label object on every call, which showed in CPU
 * profiles of the proxy's per-request path (two histograms per request).
 */
export class TalliedHistogram<Label extends string> {
  private readonly series = new Map<string, Series>();
  private readonly bounds: readonly number[];

  constructor(private readonly config: TalliedHistogramConfig<Label>) {
    this.bounds = config.buckets;
    // Registered as a metric of its own: prom-client asks it for `get()` when scraping.
    const metric = {
      name: config.name,
      help: config.help,
      type: 'histogram',
      aggregator: 'sum',
      get: () => Promise.resolve(this.exposition()),
      reset: () => this.series.clear(),
    };
    for (const registry of config.registers) {
      registry.registerMetric(metric as unknown as Histogram<Label>);
    }
  }

  /** Records `value` for the label values, given in `labelNames` order. */
  observe(values: readonly string[], value: number): void {
    const key = values.length === 1 ? values[0] : values.join('\u0000');
    let series = this.series.get(key);
    if (!series) {
      const labels = labelsOf(this.config.labelNames, values);
      series = { labels, buckets: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]) {
      i++;
    }
    series.buckets[i] += 1;
    series.sum += value;
    series.count += 1;
  }

  private exposition() {
    const { name } = this.config;
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += s.buckets[i];
        values.push({ labels: { le: bound, ...s.labels }, value: cumulative, metricName: `${name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: `${name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${name}_count` });
    }
    return { name, help: this.config.help, type: 'histogram', aggregator: 'sum', values };
  }
}
