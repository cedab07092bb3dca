import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { SettingsService } from '../settings/settings.service';
import { toKeyEventRow, type KeyEventRow } from './key-event-row';
import { closeHttpServer } from './close-http-server';
import { LiveCounters } from './live-counters';
import { toRequestLogRow, type RequestLogRow } from './log-row.mapper';
import type { KeyEventInput, RequestOutcome } from './request-outcome';
import { LogBatch } from './store/log-batch';
import { LogStore } from './store/log-store';

/** Tuning of the batch writer. */
export const LOG_WRITER_LIMITS = {
  flushIntervalMs: 1000,
  /** Flush early once this many rows wait. */
  batchRows: 1000,
  /** Most rows per batch, hence per transaction. */
  maxRowsPerBatch: 5000,
  /** Rows held while the database is slow or unreachable; beyond this new rows are dropped (and counted). */
  maxBufferedRows: 100_000,
  maxRetryDelayMs: 30_000,
  /**
   * On shutdown, requests still running this long after the signal are cut (and logged as cancelled) so
   * the buffer is written before a supervisor's kill (Docker's default stop timeout is 10 s).
   */
  httpCloseGraceMs: 7000,
  /** Pause between the HTTP server closing and the drain, for cut requests to record. */
  settleMs: 50,
} as const;

export interface FlushReport {
  rows: number;
  events: number;
  durationMs: number;
  ok: boolean;
}

export interface LogWriterState {
  bufferedRows: number;
  bufferedEvents: number;
  droppedRows: number;
  writtenRows: number;
  consecutiveFailures: number;
}

/**
 * CONTRACT (keep these signatures): `record` and `recordKeyEvent` are synchronous, never throw and never
 * touch the database on the caller's path; rows are buffered and written in batches, one transaction
 * per batch with the rollups, and flushed after the HTTP server stopped on shutdown: records are taken
 * until the server holds no connection, then drained, then (last) the store closes.
 */
@Injectable()
export class LogWriter implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(LogWriter.name);
  /** Batches waiting to be written, oldest first; records go into the last one. */
  private queue: LogBatch[] = [];
  /** Batches a flush took from the queue and has not written yet. */
  private writing: readonly LogBatch[] = [];
  private dropped = 0;
  private written = 0;
  private failures = 0;
  private retryAt = 0;
  private flushing: Promise<void> | null = null;
  /** Set after the final drain; the store is closing. */
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly recordListeners = new Set<(row: RequestLogRow) => void>();
  private readonly eventListeners = new Set<(event: KeyEventRow) => void>();
  private readonly flushListeners = new Set<(report: FlushReport) => void>();

  constructor(
    private readonly store: LogStore,
    private readonly settings: SettingsService,
    private readonly live: LiveCounters,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.tick(), LOG_WRITER_LIMITS.flushIntervalMs);
    this.timer.unref();
  }

  record(outcome: RequestOutcome): void {
    if (this.closed) {
      this.lateAfterClose();
      return;
    }
    try {
      const row = toRequestLogRow(outcome, this.settings.current());
      this.live.recordFinished(row.outcome, row.totalTokens ?? 0, row.latencyMs);
      this.notify(this.recordListeners, row);
      if (this.config.log.format === 'json') {
        const { requestBody: _req, responseBody: _res, ...line } = row;
        process.stdout.write(`${JSON.stringify({ kind: 'request', ...line })}\n`);
      }
      if (this.held() >= LOG_WRITER_LIMITS.maxBufferedRows) {
        this.dropped += 1;
        return;
      }
      const batch = this.openBatch();
      batch.addRequest(row);
      if (batch.rows === LOG_WRITER_LIMITS.batchRows) {
        setImmediate(() => this.tick());
      }
    } catch (error) {
      this.logger.error(`Could not record a request log: ${String(error)}`);
    }
  }

  recordKeyEvent(event: KeyEventInput): void {
    if (this.closed) {
      this.lateAfterClose();
      return;
    }
    try {
      const row = toKeyEventRow(event, Date.now());
      this.notify(this.eventListeners, row);
      if (this.config.log.format === 'json') {
        process.stdout.write(`${JSON.stringify({ kind: 'key_event', ...row })}\n`);
      }
      if (this.held() >= LOG_WRITER_LIMITS.maxBufferedRows) {
        this.dropped += 1;
        return;
      }
      this.openBatch().addEvent(row);
    } catch (error) {
      this.logger.error(`Could not record a key event: ${String(error)}`);
    }
  }

  /** Called for every recorded request (metrics); listeners must be cheap and synchronous. */
  onRecorded(listener: (row: RequestLogRow) => void): () => void {
    this.recordListeners.add(listener);
    return () => this.recordListeners.delete(listener);
  }

  onKeyEvent(listener: (event: KeyEventRow) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onFlushed(listener: (report: FlushReport) => void): () => void {
    this.flushListeners.add(listener);
    return () => this.flushListeners.delete(listener);
  }

  state(): LogWriterState {
    return {
      bufferedRows: total(this.queue, (b) => b.rows),
      bufferedEvents: total(this.queue, (b) => b.events.length),
      droppedRows: this.dropped,
      writtenRows: this.written,
      consecutiveFailures: this.failures,
    };
  }

  /** Writes everything buffered so far (one transaction per chunk). Resolves when done or on failure. */
  flush(): Promise<void> {
    this.flushing ??= this.flushAll().finally(() => {
      this.flushing = null;
      // A full batch gathered while writing goes next rather than at the next timer tick.
      if (total(this.queue, (b) => b.rows) >= LOG_WRITER_LIMITS.batchRows) {
        setImmediate(() => this.tick());
      }
    });
    return this.flushing;
  }

  /**
   * Runs before Nest disposes the HTTP server. We stop the server ourselves first and wait until it holds
   * no connection (in-flight requests finish and record their rows; keep-alive connections are closed,
   * see `closeHttpServer`), flushing on the timer meanwhile; then drain while the database is open.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.httpServer();
    if (server) {
      const report = await closeHttpServer(server, LOG_WRITER_LIMITS.httpCloseGraceMs);
      if (report.forcedConnections > 0) {
        this.logger.warn(
          `Cut ${report.forcedConnections} connections still busy ${LOG_WRITER_LIMITS.httpCloseGraceMs} ms after shutdown began`,
        );
      }
    }
    // A cut request records its 499 from its socket's close event, a few ticks after the socket went.
    await new Promise((resolve) => setTimeout(resolve, LOG_WRITER_LIMITS.settleMs));
    await this.drain();
  }

  /** Last hook before the database closes: rows recorded by other shutdown hooks since our drain. */
  async onApplicationShutdown(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.drain(1);
    this.closed = true;
    await this.store.close().catch(() => undefined);
  }

  private tick(): void {
    if (Date.now() < this.retryAt || this.buffered() === 0) {
      return;
    }
    void this.flush();
  }

  /** Writes the buffer, including rows a timer flush already took out of it and is still writing. */
  private async drain(maxFailures = 5): Promise<void> {
    await this.flushing;
    for (let failures = 0; this.buffered() > 0 && failures < maxFailures;) {
      const before = this.failures;
      await this.flush();
      if (this.failures > before) {
        failures += 1;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    if (this.buffered() > 0) {
      this.logger.error(`Shutting down with ${this.buffered()} request log rows unwritten`);
    }
  }

  /**
   * Writes the batches queued when it starts, one transaction each. Rows recorded meanwhile wait for the
   * next flush: a busy proxy then gets a few large transactions instead of a stream of tiny ones, each of
   * which pays the fixed costs of a commit, a full-text segment and the rollup upserts. A failed batch
   * goes back to the front of the queue with those after it.
   */
  private async flushAll(): Promise<void> {
    const taken = this.queue;
    this.queue = [];
    for (let i = 0; i < taken.length; i++) {
      const batch = taken[i];
      this.writing = taken.slice(i);
      const started = performance.now();
      try {
        await this.store.writeBatch(batch);
        this.writing = [];
        this.written += batch.rows;
        this.failures = 0;
        this.retryAt = 0;
        this.notify(this.flushListeners, {
          rows: batch.rows,
          events: batch.events.length,
          durationMs: performance.now() - started,
          ok: true,
        });
      } catch (error) {
        this.queue = taken.slice(i).concat(this.queue);
        this.writing = [];
        this.failures += 1;
        const delay = Math.min(LOG_WRITER_LIMITS.maxRetryDelayMs, 1000 * 2 ** (this.failures - 1));
        this.retryAt = Date.now() + delay;
        this.logger.warn(
          `Writing ${batch.rows} request log rows failed (${String(error)}); retrying in ${delay} ms`,
        );
        this.notify(this.flushListeners, {
          rows: batch.rows,
          events: batch.events.length,
          durationMs: performance.now() - started,
          ok: false,
        });
        return;
      }
    }
  }

  /** The batch new records go into: the last queued one, or a new one when it is full. */
  private openBatch(): LogBatch {
    const last = this.queue[this.queue.length - 1];
    if (last && last.size < LOG_WRITER_LIMITS.maxRowsPerBatch) {
      return last;
    }
    const batch = new LogBatch();
    this.queue.push(batch);
    return batch;
  }

  /** Nothing should record after the final drain; if something does, say so rather than lose it silently. */
  private lateAfterClose(): void {
    this.dropped += 1;
    this.logger.error(
      `A request log row arrived after the log writer closed; ${this.dropped} rows unwritten`,
    );
  }

  private httpServer(): Server | null {
    const adapter = this.adapterHost.httpAdapter as { getHttpServer(): unknown } | undefined;
    const server = adapter?.getHttpServer();
    return server && typeof (server as Server).closeIdleConnections === 'function'
      ? (server as Server)
      : null;
  }

  /** Rows and events queued (not yet taken by a flush). */
  private buffered(): number {
    return total(this.queue, (b) => b.size);
  }

  /** Everything held in memory, including batches being written. */
  private held(): number {
    return this.buffered() + total(this.writing, (b) => b.size);
  }

  private notify<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        this.logger.warn(`A log listener failed: ${String(error)}`);
      }
    }
  }
}

function total(batches: readonly LogBatch[], count: (batch: LogBatch) => number): number {
  let sum = 0;
  for (const batch of batches) {
    sum += count(batch);
  }
  return sum;
}
