/**
 * Events (with an amount each) of a sliding time window, oldest first. Pushing and expiring are O(1)
 * amortised and the count and sum are kept as they change, so reading them never walks the window
 * (a busy key holds thousands of events per minute).
 */
export class MinuteWindow {
  private times: number[] = [];
  private amounts: number[] = [];
  private head = 0;
  private total = 0;

  /** Events in the window. */
  get count(): number {
    return this.times.length - this.head;
  }

  /** Sum of the amounts in the window. */
  get sum(): number {
    return this.total;
  }

  /** Time of the oldest event, or null when empty. */
  oldest(): number | null {
    return this.head < this.times.length ? this.times[this.head] : null;
  }

  push(at: number, amount: number): void {
    this.times.push(at);
    this.amounts.push(amount);
    this.total += amount;
  }

  /** Drops the events at or before `cutoff`; true when any was dropped. */
  expire(cutoff: number): boolean {
    const { times, amounts } = this;
    let head = this.head;
    while (head < times.length && times[head] <= cutoff) {
      this.total -= amounts[head];
      head += 1;
    }
    if (head === this.head) {
      return false;
    }
    if (head === times.length) {
      times.length = 0;
      amounts.length = 0;
      this.total = 0;
      head = 0;
    } else if (head >= 1024 && head * 2 >= times.length) {
      // Compact once the dead prefix is at least half the array: each event is moved at most once more.
      times.splice(0, head);
      amounts.splice(0, head);
      head = 0;
    }
    this.head = head;
    return true;
  }
}
