export type DeadlineKind = 'timeout' | 'ttfb_timeout' | 'idle_timeout';

/**
 * The three clocks of one upstream attempt with a single lazily re-armed timer: the overall request
 * deadline, time to the first body byte, and the silence allowed between chunks after it. A chunk only
 * stores a timestamp; the timer re-checks when it fires, so long streams cost one timer per idle period.
 */
export class AttemptDeadlines {
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private overallAt = 0;
  private ttfbAt: number | null = null;
  private idleMs = 0;
  private lastActivity = 0;
  private suspended = false;
  private active = false;

  constructor(private readonly onExpire: (kind: DeadlineKind) => void) {}

  start(overallAt: number, ttfbMs: number, idleMs: number): void {
    const now = Date.now();
    this.active = true;
    this.overallAt = overallAt;
    this.ttfbAt = ttfbMs > 0 ? now + ttfbMs : null;
    this.idleMs = idleMs;
    this.lastActivity = now;
    this.suspended = false;
    this.arm(this.nextDue());
  }

  /** First body byte: the TTFB clock stops, the idle clock starts. */
  firstByte(): void {
    this.ttfbAt = null;
    this.lastActivity = Date.now();
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /** While the client is slow to read (backpressure), silence upstream is ours, not the upstream's. */
  suspendIdle(suspended: boolean): void {
    this.suspended = suspended;
    if (!suspended) {
      this.lastActivity = Date.now();
    }
  }

  stop(): void {
    this.active = false;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private nextDue(): number {
    let due = this.overallAt;
    if (this.ttfbAt !== null) {
      due = Math.min(due, this.ttfbAt);
    } else if (this.idleMs > 0 && !this.suspended) {
      due = Math.min(due, this.lastActivity + this.idleMs);
    }
    return due;
  }

  private arm(at: number): void {
    if (this.timer && this.timerAt <= at) {
      return;
    }
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timerAt = at;
    this.timer = setTimeout(this.fire, Math.max(0, at - Date.now()));
  }

  private readonly fire = (): void => {
    this.timer = null;
    if (!this.active) {
      return;
    }
    const now = Date.now();
    let kind: DeadlineKind | null = null;
    if (now >= this.overallAt) {
      kind = 'timeout';
    } else if (this.ttfbAt !== null && now >= this.ttfbAt) {
      kind = 'ttfb_timeout';
    } else if (
      this.ttfbAt === null &&
      this.idleMs > 0 &&
      !this.suspended &&
      now >= this.lastActivity + this.idleMs
    ) {
      kind = 'idle_timeout';
    }
    if (kind) {
      this.stop();
      this.onExpire(kind);
      return;
    }
    this.arm(this.nextDue());
  };
}
