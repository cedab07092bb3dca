import { Injectable } from '@nestjs/common';
import { OutcomeClass } from '@keypool/shared';

/** Requests finished during one wall-clock second. */
export interface SecondSlot {
  second: number;
  requests: number;
  success: number;
  errors: number;
  tokens: number;
  latencySum: number;
}

export interface LiveTotals {
  requests: number;
  success: number;
  failures: number;
  /** Epoch ms of process start or the last reset. */
  since: number;
}

const WINDOW_SECONDS = 60;

/**
 * In-memory counters for the live status: totals since start/reset and a 60-second ring of per-second
 * counts. Client cancels count as requests but neither as success nor failure.
 */
@Injectable()
export class LiveCounters {
  private totals: LiveTotals;
  private readonly ring: SecondSlot[] = [];
  /** Replaced by tests with a fixed clock. */
  now: () => number = Date.now;

  constructor() {
    this.totals = { requests: 0, success: 0, failures: 0, since: this.now() };
    for (let i = 0; i < WINDOW_SECONDS; i++) {
      this.ring.push(emptySlot(-1));
    }
  }

  recordFinished(outcome: OutcomeClass, tokens: number, latencyMs: number): void {
    const slot = this.slotFor(Math.floor(this.now() / 1000));
    slot.requests += 1;
    slot.tokens += tokens;
    slot.latencySum += latencyMs;
    this.totals.requests += 1;
    if (outcome === OutcomeClass.Success) {
      slot.success += 1;
      this.totals.success += 1;
    } else if (outcome !== OutcomeClass.ClientCancel) {
      slot.errors += 1;
      this.totals.failures += 1;
    }
  }

  /** Zeroes the live counters (not the logs). */
  reset(): void {
    this.totals = { requests: 0, success: 0, failures: 0, since: this.now() };
    for (let i = 0; i < WINDOW_SECONDS; i++) {
      this.ring[i] = emptySlot(-1);
    }
  }

  currentTotals(): LiveTotals {
    return { ...this.totals };
  }

  /** Requests finished in the last 60 s (the current partial second included). */
  requestsLastMinute(): number {
    const nowSecond = Math.floor(this.now() / 1000);
    return this.ring
      .filter((s) => s.second > nowSecond - WINDOW_SECONDS && s.second <= nowSecond)
      .reduce((sum, s) => sum + s.requests, 0);
  }

  /** The last complete second. */
  lastSecond(): SecondSlot {
    const second = Math.floor(this.now() / 1000) - 1;
    const slot = this.ring[mod(second, WINDOW_SECONDS)];
    return slot.second === second ? { ...slot } : emptySlot(second);
  }

  private slotFor(second: number): SecondSlot {
    const index = mod(second, WINDOW_SECONDS);
    let slot = this.ring[index];
    if (slot.second !== second) {
      slot = emptySlot(second);
      this.ring[index] = slot;
    }
    return slot;
  }
}

function emptySlot(second: number): SecondSlot {
  return { second, requests: 0, success: 0, errors: 0, tokens: 0, latencySum: 0 };
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
