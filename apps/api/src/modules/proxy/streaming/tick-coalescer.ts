/** Where relayed bytes go: ranges of upstream buffers as they are, or text keypool produced. */
export interface ByteSink {
  /** `chunk[from, to)` goes on as it is. */
  bytes(chunk: Buffer, from: number, to: number): void;
  text(text: string): void;
}

/**
 * Gathers the pieces of a response body produced in one tick and hands them on as one write when the
 * tick ends. One socket read from an upstream often parses into several chunked-encoding pieces (a
 * server that flushes a burst of SSE events); relayed one by one, each would cost the client a chunk
 * frame, a buffered write and a parse. Pieces are kept as ranges of the upstream's buffers and copied
 * once, into the one buffer that is written. Nothing waits past the current tick, so an upstream's pacing
 * reaches the client unchanged.
 */
export class TickCoalescer implements ByteSink {
  private readonly chunks: Buffer[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private size = 0;
  private queued = false;

  constructor(private readonly write: (chunk: Buffer) => void) {}

  bytes(chunk: Buffer, from: number, to: number): void {
    if (to <= from) {
      return;
    }
    this.chunks.push(chunk);
    this.starts.push(from);
    this.ends.push(to);
    this.size += to - from;
    if (!this.queued) {
      this.queued = true;
      process.nextTick(this.flush);
    }
  }

  text(text: string): void {
    if (text.length > 0) {
      const bytes = Buffer.from(text);
      this.bytes(bytes, 0, bytes.length);
    }
  }

  /** Takes everything gathered so far as one buffer (null when there is nothing). */
  take(): Buffer | null {
    const { chunks, starts, ends } = this;
    const count = chunks.length;
    if (count === 0) {
      return null;
    }
    let out: Buffer;
    if (count === 1) {
      out =
        starts[0] === 0 && ends[0] === chunks[0].length ? chunks[0] : chunks[0].subarray(starts[0], ends[0]);
    } else {
      out = Buffer.allocUnsafe(this.size);
      let at = 0;
      for (let i = 0; i < count; i++) {
        at += chunks[i].copy(out, at, starts[i], ends[i]);
      }
    }
    this.discard();
    return out;
  }

  /** Drops what is gathered (the client is gone). */
  discard(): void {
    this.chunks.length = 0;
    this.starts.length = 0;
    this.ends.length = 0;
    this.size = 0;
  }

  private readonly flush = (): void => {
    this.queued = false;
    const chunk = this.take();
    if (chunk) {
      this.write(chunk);
    }
  };
}
