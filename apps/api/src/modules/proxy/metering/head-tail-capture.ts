/**
 * Keeps the first `headBytes` and the last `tailBytes` of a byte stream, O(1) per chunk, without
 * converting anything to text until the end. Usage metering reads from these two windows.
 */
export class HeadTailCapture {
  private head: Buffer[] = [];
  private headLength = 0;
  private tail: Buffer[] = [];
  private tailLength = 0;
  private tailStart = 0;
  total = 0;

  constructor(
    private readonly headBytes: number,
    private readonly tailBytes: number,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.headLength < this.headBytes) {
      const part =
        chunk.length <= this.headBytes - this.headLength
          ? chunk
          : chunk.subarray(0, this.headBytes - this.headLength);
      this.head.push(part);
      this.headLength += part.length;
    }
    this.tail.push(chunk);
    this.tailLength += chunk.length;
    // Drop whole chunks from the front while the rest still covers the window (index, not shift: O(1)).
    while (
      this.tail.length - this.tailStart > 1 &&
      this.tailLength - this.tail[this.tailStart].length >= this.tailBytes
    ) {
      this.tailLength -= this.tail[this.tailStart].length;
      this.tailStart++;
    }
    if (this.tailStart > 64 && this.tailStart * 2 > this.tail.length) {
      this.tail = this.tail.slice(this.tailStart);
      this.tailStart = 0;
    }
  }

  headText(): string {
    // A small body is one chunk: decode it in place rather than copying it first.
    return this.head.length === 1 ? this.head[0].toString('utf8') : Buffer.concat(this.head).toString('utf8');
  }

  tailText(): string {
    const count = this.tail.length - this.tailStart;
    const all =
      count === 1
        ? this.tail[this.tailStart]
        : Buffer.concat(count === this.tail.length ? this.tail : this.tail.slice(this.tailStart));
    return all.subarray(Math.max(0, all.length - this.tailBytes)).toString('utf8');
  }
}
