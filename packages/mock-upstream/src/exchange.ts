import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorReply } from './errors';
import type { MockBehavior, MockDialect, RecordedRequest } from './types';

/** One event of a streamed response. `content` events count towards the stall/reset thresholds. */
export interface StreamFrame {
  data: string;
  content?: boolean;
}

/**
 * One request/response pair: the parsed request, the behaviour to apply, and the ways of answering.
 * Every answer goes through here so the record (status, chunks, closing) stays accurate.
 */
export class Exchange {
  private closedByClient = false;
  private readonly closeWaiters: Array<() => void> = [];

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly record: RecordedRequest,
    readonly dialect: MockDialect,
    readonly behavior: MockBehavior,
    /** Headers added to every response of this exchange (behaviour headers, budget headers, request id). */
    readonly extraHeaders: Record<string, string>,
    /** The JSON body, or undefined when there is none / it is not JSON. */
    readonly json: unknown,
    readonly query: URLSearchParams,
  ) {
    res.on('close', () => {
      if (!res.writableFinished) {
        this.closedByClient = true;
        record.closedEarly = true;
        record.closedAt = Date.now();
      }
      for (const wake of this.closeWaiters.splice(0)) {
        wake();
      }
    });
    res.on('finish', () => {
      record.finishedAt = Date.now();
    });
  }

  get closed(): boolean {
    return this.closedByClient || this.res.destroyed;
  }

  /** Waits `ms`; resolves false early when the client goes away. */
  sleep(ms: number): Promise<boolean> {
    if (ms <= 0 || this.closed) {
      return Promise.resolve(!this.closed);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(true), ms);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  /** Resolves when the client closes the connection (used by stalls). */
  untilClosed(): Promise<void> {
    if (this.closed) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  head(status: number, headers: Record<string, string>): void {
    this.record.status = status;
    this.res.writeHead(status, { ...headers, ...this.extraHeaders });
  }

  sendJson(status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    this.head(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    this.res.end(text);
  }

  sendRaw(
    status: number,
    contentType: string,
    body: Buffer | string,
    headers: Record<string, string> = {},
  ): void {
    this.head(status, {
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    });
    this.res.end(body);
  }

  sendError(reply: ErrorReply, headers: Record<string, string> = {}): void {
    const body = this.behavior.body;
    if (typeof body === 'string') {
      const isJson = safeParse(body) !== undefined;
      this.sendRaw(reply.status, isJson ? 'application/json' : 'text/plain', body, headers);
    } else {
      this.sendJson(reply.status, body ?? reply.body, headers);
    }
  }

  /** Destroys the connection without an answer. */
  destroy(): void {
    this.record.outcome = 'reset';
    this.res.socket?.destroy();
  }

  /**
   * Streams frames with the behaviour's pacing, honouring `stallAfterChunks` / `resetAfterChunks`.
   * Respects backpressure: waits for 'drain' when the socket buffer is full.
   */
  async stream(contentType: string, frames: StreamFrame[]): Promise<void> {
    const { chunkDelayMs = 0, stallAfterChunks, resetAfterChunks } = this.behavior;
    this.head(200, { 'content-type': contentType, 'cache-control': 'no-cache', connection: 'keep-alive' });
    this.res.flushHeaders();
    for (let i = 0; i < frames.length; i++) {
      if (this.closed) {
        return;
      }
      if (i > 0 && chunkDelayMs > 0 && !(await this.sleep(chunkDelayMs))) {
        return;
      }
      const frame = frames[i];
      if (frame.content) {
        if (stallAfterChunks !== undefined && this.record.chunksSent >= stallAfterChunks) {
          await this.untilClosed();
          return;
        }
        if (resetAfterChunks !== undefined && this.record.chunksSent >= resetAfterChunks) {
          this.res.socket?.destroy();
          return;
        }
        this.record.chunksSent += 1;
      }
      if (!this.res.write(frame.data)) {
        await new Promise<void>((resolve) => {
          this.res.once('drain', resolve);
          this.closeWaiters.push(resolve);
        });
      }
    }
    this.res.end();
  }
}

export function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `data: {...}\n\n` */
export function sseData(payload: unknown): string {
  return `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
}

/** `event: name\ndata: {...}\n\n` */
export function sseEvent(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}
