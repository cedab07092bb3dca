import { encodeRow, type BatchColumn } from '../../../database/json-batch-insert';
import { RollupAccumulator } from '../../stats/rollups/rollup-accumulator';
import { GRAIN_RETENTION_MS, Grain } from '../../stats/rollups/rollup-grain';
import type { KeyEventRow } from '../key-event-row';
import type { RequestLogRow } from '../log-row.mapper';

type LogColumn = BatchColumn & { get: (r: RequestLogRow) => unknown };

export const LOG_COLUMNS: readonly LogColumn[] = [
  { name: 'ts', pg: 'bigint', get: (r) => r.ts },
  { name: 'request_id', pg: 'text', get: (r) => r.requestId },
  { name: 'client_key_id', pg: 'text', get: (r) => r.clientKeyId },
  { name: 'method', pg: 'text', get: (r) => r.method },
  { name: 'path', pg: 'text', get: (r) => r.path },
  { name: 'format', pg: 'text', get: (r) => r.format },
  { name: 'model_requested', pg: 'text', get: (r) => r.modelRequested },
  { name: 'model_resolved', pg: 'text', get: (r) => r.modelResolved },
  { name: 'upstream_id', pg: 'text', get: (r) => r.upstreamId },
  { name: 'key_id', pg: 'text', get: (r) => r.keyId },
  { name: 'attempts', pg: 'text', get: (r) => JSON.stringify(r.attempts) },
  { name: 'status', pg: 'integer', get: (r) => r.status },
  { name: 'outcome', pg: 'text', get: (r) => r.outcome },
  { name: 'status_class', pg: 'text', get: (r) => r.statusClass },
  { name: 'stream', pg: 'boolean', get: (r) => r.stream },
  { name: 'latency_ms', pg: 'integer', get: (r) => r.latencyMs },
  { name: 'ttfb_ms', pg: 'integer', get: (r) => r.ttfbMs },
  { name: 'prompt_tokens', pg: 'integer', get: (r) => r.promptTokens },
  { name: 'completion_tokens', pg: 'integer', get: (r) => r.completionTokens },
  { name: 'total_tokens', pg: 'integer', get: (r) => r.totalTokens },
  { name: 'cached_tokens', pg: 'integer', get: (r) => r.cachedTokens },
  { name: 'reasoning_tokens', pg: 'integer', get: (r) => r.reasoningTokens },
  { name: 'error', pg: 'text', get: (r) => r.error },
  { name: 'client_ip', pg: 'text', get: (r) => r.clientIp },
  { name: 'request_body', pg: 'text', get: (r) => r.requestBody },
  { name: 'response_body', pg: 'text', get: (r) => r.responseBody },
];

export const EVENT_COLUMNS: readonly BatchColumn[] = [
  { name: 'ts', pg: 'bigint' },
  { name: 'key_id', pg: 'text' },
  { name: 'upstream_id', pg: 'text' },
  { name: 'type', pg: 'text' },
  { name: 'message', pg: 'text' },
  { name: 'details', pg: 'text' },
];

const ALL_GRAINS = [Grain.Minute, Grain.Hour, Grain.Day];
const COARSE_GRAINS = [Grain.Hour, Grain.Day];

/**
 * Request logs and key events waiting to be written together in one transaction. A request is kept as
 * its encoded column values (one flat string rather than an object graph that survives young-generation
 * collections while it waits) and is folded into the rollup deltas as it arrives.
 */
export class LogBatch {
  readonly encodedRows: string[] = [];
  readonly events: KeyEventRow[] = [];
  readonly rollups = new RollupAccumulator();

  constructor(private readonly now: () => number = Date.now) {}

  addRequest(row: RequestLogRow): void {
    this.encodedRows.push(encodeRow(LOG_COLUMNS.map((c) => c.get(row))));
    // Minute rows older than their retention would be pruned at once; don't create them (late or seeded rows).
    const grains = row.ts >= this.now() - GRAIN_RETENTION_MS.m ? ALL_GRAINS : COARSE_GRAINS;
    this.rollups.add(grains, {
      ts: row.ts,
      upstreamId: row.upstreamId,
      keyId: row.keyId,
      model: row.modelRequested ?? row.modelResolved,
      clientKeyId: row.clientKeyId,
      statusClass: row.statusClass ?? '5xx',
      outcome: row.outcome,
      attempts: row.attempts.length,
      promptTokens: row.promptTokens,
      completionTokens: row.completionTokens,
      totalTokens: row.totalTokens,
      latencyMs: row.latencyMs,
      ttfbMs: row.ttfbMs,
    });
  }

  addEvent(event: KeyEventRow): void {
    this.events.push(event);
  }

  get rows(): number {
    return this.encodedRows.length;
  }

  get size(): number {
    return this.encodedRows.length + this.events.length;
  }
}

export function encodeEvent(e: KeyEventRow): string {
  return encodeRow([
    e.ts,
    e.keyId,
    e.upstreamId,
    e.type,
    e.message,
    e.details === null ? null : JSON.stringify(e.details),
  ]);
}
