import { encodeRow, type BatchColumn } from '../../../database/json-batch-insert';
import { JsonRowBuffer } from '../../../database/json-row-buffer';
import { RollupAccumulator } from '../../stats/rollups/rollup-accumulator';
import { GRAIN_RETENTION_MS, Grain } from '../../stats/rollups/rollup-grain';
import type { KeyEventRow } from '../key-event-row';
import type { RequestLogRow } from '../log-row.mapper';

/** The request_logs columns a batch writes, in the order of `requestRowValues`. */
export const LOG_COLUMNS: readonly BatchColumn[] = [
  { name: 'ts', pg: 'bigint' },
  { name: 'request_id', pg: 'text' },
  { name: 'client_key_id', pg: 'text' },
  { name: 'method', pg: 'text' },
  { name: 'path', pg: 'text' },
  { name: 'format', pg: 'text' },
  { name: 'model_requested', pg: 'text' },
  { name: 'model_resolved', pg: 'text' },
  { name: 'upstream_id', pg: 'text' },
  { name: 'key_id', pg: 'text' },
  { name: 'attempts', pg: 'text' },
  { name: 'status', pg: 'integer' },
  { name: 'outcome', pg: 'text' },
  { name: 'status_class', pg: 'text' },
  { name: 'stream', pg: 'boolean' },
  { name: 'latency_ms', pg: 'integer' },
  { name: 'ttfb_ms', pg: 'integer' },
  { name: 'prompt_tokens', pg: 'integer' },
  { name: 'completion_tokens', pg: 'integer' },
  { name: 'total_tokens', pg: 'integer' },
  { name: 'cached_tokens', pg: 'integer' },
  { name: 'reasoning_tokens', pg: 'integer' },
  { name: 'error', pg: 'text' },
  { name: 'client_ip', pg: 'text' },
  { name: 'request_body', pg: 'text' },
  { name: 'response_body', pg: 'text' },
];

/**
 * A row's values in `LOG_COLUMNS` order. One array literal rather than a getter per column: it runs for
 * every request, and 26 different getters called from one site were a megamorphic call each.
 */
export function requestRowValues(r: RequestLogRow): unknown[] {
  return [
    r.ts,
    r.requestId,
    r.clientKeyId,
    r.method,
    r.path,
    r.format,
    r.modelRequested,
    r.modelResolved,
    r.upstreamId,
    r.keyId,
    JSON.stringify(r.attempts),
    r.status,
    r.outcome,
    r.statusClass,
    r.stream,
    r.latencyMs,
    r.ttfbMs,
    r.promptTokens,
    r.completionTokens,
    r.totalTokens,
    r.cachedTokens,
    r.reasoningTokens,
    r.error,
    r.clientIp,
    r.requestBody,
    r.responseBody,
  ];
}

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
 * its encoded column values, outside the JS heap (see `JsonRowBuffer`), rather than as an object graph
 * that survives young-generation collections while it waits, and is folded into the rollup deltas as it
 * arrives.
 */
export class LogBatch {
  readonly encodedRows = new JsonRowBuffer();
  readonly events: KeyEventRow[] = [];
  readonly rollups = new RollupAccumulator();
  readonly terms = new SearchTerms();

  constructor(private readonly now: () => number = Date.now) {}

  addRequest(row: RequestLogRow): void {
    this.encodedRows.push(encodeRow(requestRowValues(row)));
    this.terms.add(row.path, row.modelRequested, row.ts);
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
    return this.encodedRows.count;
  }

  get size(): number {
    return this.encodedRows.count + this.events.length;
  }
}

/** The columns of `request_log_terms` a batch writes, in the order of `SearchTerms.encoded`. */
export const TERM_COLUMNS: readonly BatchColumn[] = [
  { name: 'kind', pg: 'text' },
  { name: 'value', pg: 'text' },
  { name: 'last_seen', pg: 'bigint' },
];

/**
 * The distinct paths and models of a batch's rows, each with the newest time it was seen: what SQLite's
 * log search matches paths and models against (see the migration `ErrorOnlyLogSearch`). A batch of
 * thousands of rows usually holds a handful.
 */
export class SearchTerms {
  private readonly paths = new Map<string, number>();
  private readonly models = new Map<string, number>();

  add(path: string, model: string | null, ts: number): void {
    see(this.paths, path, ts);
    if (model !== null) {
      see(this.models, model, ts);
    }
  }

  get size(): number {
    return this.paths.size + this.models.size;
  }

  /** One encoded row per term, for `TERM_COLUMNS`. */
  encoded(): string[] {
    const rows: string[] = [];
    for (const [value, ts] of this.paths) {
      rows.push(encodeRow(['path', value, ts]));
    }
    for (const [value, ts] of this.models) {
      rows.push(encodeRow(['model', value, ts]));
    }
    return rows;
  }
}

function see(terms: Map<string, number>, value: string, ts: number): void {
  const seen = terms.get(value);
  if (seen === undefined || ts > seen) {
    terms.set(value, ts);
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
