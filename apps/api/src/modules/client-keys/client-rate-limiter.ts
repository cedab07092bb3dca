import { Injectable } from '@nestjs/common';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

const WINDOW_MS = 60_000;

/**
 * Requests-per-minute limiter for client keys: an exact sliding window (a ring of the last `limit`
 * request times per client). Async so a shared store (Redis) can replace it for several replicas.
 */
@Injectable()
export class ClientRateLimiter {
  private readonly windows = new Map<string, { times: Float64Array; next: number; limit: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  hit(id: string, limit: number): Promise<RateDecision> {
    return Promise.resolve(this.hitSync(id, limit));
  }

  /** Forgets a client (deleted, or its limit changed). */
  reset(id: string): void {
    this.windows.delete(id);
  }

  private hitSync(id: string, limit: number): RateDecision {
    const now = this.now();
    let window = this.windows.get(id);
    if (!window || window.limit !== limit) {
      window = { times: new Float64Array(limit).fill(-Infinity), next: 0, limit };
      this.windows.set(id, window);
    }
    // `next` points at the oldest of the last `limit` requests.
    const oldest = window.times[window.next] ?? -Infinity;
    if (now - oldest < WINDOW_MS) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) };
    }
    window.times[window.next] = now;
    window.next = (window.next + 1) % limit;
    return { allowed: true, retryAfterSeconds: 0 };
  }
}
