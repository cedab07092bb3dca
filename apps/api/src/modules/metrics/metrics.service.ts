import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { KEY_STATUSES, KeyEventType } from '@keypool/shared';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { KeyStateReader } from '../balancer/key-state.reader';
import { PoolCatalog } from '../keys/pool-catalog.service';
import { LogWriter } from '../logs/log-writer.service';
import { LATENCY_BOUNDS_MS } from '../stats/rollups/latency-histogram';
import { TalliedCounter } from './tallied-counter';
import { TalliedHistogram } from './tallied-histogram';

const SECONDS_BUCKETS = LATENCY_BOUNDS_MS.map((ms) => ms / 1000);
const COOLDOWN_EVENTS = new Set<string>([KeyEventType.CooldownStarted, KeyEventType.QuotaExhausted]);

/**
 * Prometheus metrics on a registry of our own. Request metrics are fed by the log writer (every finished
 * request passes through it); key states, in-flight and buffer depth are read when scraped.
 */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  private readonly unsubscribe: Array<() => void> = [];
  /** `[name]` per upstream id, the histograms' label values; rebuilt when the catalog changes. */
  private upstreamLabels = new Map<string | null, readonly [string]>();
  private labelsSnapshot: unknown = null;

  private readonly requests = new TalliedCounter({
    name: 'keypool_requests_total',
    help: 'Finished client requests',
    labelNames: ['upstream', 'model', 'status', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly latency = new TalliedHistogram({
    name: 'keypool_request_duration_seconds',
    help: 'Total request latency as seen by the client',
    labelNames: ['upstream'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  private readonly ttfb = new TalliedHistogram({
    name: 'keypool_time_to_first_byte_seconds',
    help: 'Time until the first response byte reached the client',
    labelNames: ['upstream'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  private readonly tokens = new TalliedCounter({
    name: 'keypool_tokens_total',
    help: 'Tokens reported by upstreams',
    labelNames: ['upstream', 'model', 'type'] as const,
    registers: [this.registry],
  });
  private readonly retried = new TalliedCounter({
    name: 'keypool_retried_requests_total',
    help: 'Requests that needed more than one upstream attempt',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
  });
  private readonly attempts = new TalliedCounter({
    name: 'keypool_upstream_attempts_total',
    help: 'Upstream attempts by outcome class',
    labelNames: ['upstream', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly keyEvents = new Counter({
    name: 'keypool_key_events_total',
    help: 'Key events by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  private readonly cooldowns = new Counter({
    name: 'keypool_key_cooldowns_total',
    help: 'Keys put into cooldown or marked quota-exhausted',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
  });
  private readonly flushDuration = new Histogram({
    name: 'keypool_log_flush_duration_seconds',
    help: 'Duration of one request-log batch transaction',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly flushFailures = new Counter({
    name: 'keypool_log_flush_failures_total',
    help: 'Request-log batches that failed and were kept for retry',
    registers: [this.registry],
  });

  constructor(
    private readonly writer: LogWriter,
    private readonly catalog: PoolCatalog,
    private readonly keyState: KeyStateReader,
  ) {
    const writerState = () => this.writer.state();
    new Gauge({
      name: 'keypool_log_buffer_rows',
      help: 'Request-log rows and key events waiting to be written',
      registers: [this.registry],
      collect() {
        const s = writerState();
        this.set(s.bufferedRows + s.bufferedEvents);
      },
    });
    new Counter({
      name: 'keypool_log_rows_dropped_total',
      help: 'Rows dropped because the log buffer was full (database unreachable for too long)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(writerState().droppedRows);
      },
    });
    new Gauge({
      name: 'keypool_in_flight_requests',
      help: 'Upstream attempts in flight',
      registers: [this.registry],
      collect() {
        this.set(keyState.totalInFlight());
      },
    });
    new Gauge({
      name: 'keypool_keys',
      help: 'Keys per upstream and live state',
      labelNames: ['upstream', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const upstream of catalog.snapshot().upstreams) {
          const counts = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Record<string, number>;
          for (const key of upstream.keys) {
            counts[keyState.liveState(key).status] += 1;
          }
          for (const [state, n] of Object.entries(counts)) {
            this.set({ upstream: upstream.name, state }, n);
          }
        }
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'keypool_' });
  }

  onModuleInit(): void {
    this.unsubscribe.push(
      this.writer.onRecorded((row) => {
        const upstreamLabel = this.upstreamLabel(row.upstreamId);
        const upstream = upstreamLabel[0];
        const model = row.modelRequested ?? row.modelResolved ?? 'none';
        this.requests.add([upstream, model, String(row.status), row.outcome]);
        this.latency.observe(upstreamLabel, row.latencyMs / 1000);
        if (row.ttfbMs !== null) {
          this.ttfb.observe(upstreamLabel, row.ttfbMs / 1000);
        }
        if (row.promptTokens) {
          this.tokens.add([upstream, model, 'prompt'], row.promptTokens);
        }
        if (row.completionTokens) {
          this.tokens.add([upstream, model, 'completion'], row.completionTokens);
        }
        if (row.attempts.length > 1) {
          this.retried.add([upstream]);
        }
        for (const attempt of row.attempts) {
          this.attempts.add([this.upstreamLabel(attempt.upstreamId)[0], attempt.outcome]);
        }
      }),
      this.writer.onKeyEvent((event) => {
        this.keyEvents.inc({ type: event.type });
        if (COOLDOWN_EVENTS.has(event.type)) {
          this.cooldowns.inc({ upstream: this.upstreamName(event.upstreamId) });
        }
      }),
      this.writer.onFlushed((report) => {
        this.flushDuration.observe(report.durationMs / 1000);
        if (!report.ok) {
          this.flushFailures.inc();
        }
      }),
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((off) => off());
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  private upstreamLabel(id: string | null): readonly [string] {
    const snapshot = this.catalog.snapshot();
    if (snapshot !== this.labelsSnapshot) {
      this.labelsSnapshot = snapshot;
      this.upstreamLabels = new Map();
    }
    let label = this.upstreamLabels.get(id);
    if (!label) {
      label = [this.upstreamName(id)];
      this.upstreamLabels.set(id, label);
    }
    return label;
  }

  private upstreamName(id: string | null): string {
    if (!id) {
      return 'none';
    }
    return this.catalog.snapshot().upstreamsById.get(id)?.name ?? id;
  }
}
