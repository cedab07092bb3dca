/**
 * Rows encoded as JSON text (`encodeRow`), kept outside the JS heap until a batch insert takes them as
 * one JSON array. A log batch waits up to a second before it is written; held as strings, its rows were
 * copied by two young-generation collections and then promoted to the old generation, which under load
 * was a good part of what every collection had to copy. Bytes in a Buffer cost the collector nothing.
 */
export class JsonRowBuffer {
  private bytes: Buffer;
  private used = 0;
  /** Where each row starts: at the comma written before it. */
  private readonly starts: number[] = [];

  constructor(initialBytes = 64 * 1024) {
    this.bytes = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** Rows held. */
  get count(): number {
    return this.starts.length;
  }

  push(json: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit, +1 for the comma.
    this.reserve(json.length * 3 + 1);
    this.starts.push(this.used);
    this.bytes[this.used] = 0x2c;
    this.used += 1 + this.bytes.write(json, this.used + 1, 'utf8');
  }

  /** Rows `from` (inclusive) to `to` (exclusive) as the text of one JSON array. */
  arrayText(from = 0, to = this.count): string {
    const count = this.count;
    if (from >= Math.min(to, count)) {
      return '[]';
    }
    const end = to < count ? this.starts[to] : this.used;
    // Skip the comma before the first row.
    return `[${this.bytes.toString('utf8', this.starts[from] + 1, end)}]`;
  }

  private reserve(extra: number): void {
    const needed = this.used + extra;
    if (needed <= this.bytes.length) {
      return;
    }
    const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }
}
