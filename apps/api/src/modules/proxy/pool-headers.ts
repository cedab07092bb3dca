import type { OutgoingHttpHeaders } from 'node:http';
import type { UpstreamFormat } from '@keypool/shared';
import type { BalancerService } from '../balancer/balancer.service';

const TTL_MS = 250;

/**
 * Pool-level `x-ratelimit-remaining-*` response headers. Summing over the eligible keys costs O(keys),
 * so the result is reused for a quarter second per (format, model): clients' quota tooling only needs
 * a recent figure, not one recomputed for every response.
 */
export class PoolHeaders {
  private readonly cache = new Map<string, { at: number; headers: OutgoingHttpHeaders }>();

  constructor(private readonly balancer: BalancerService) {}

  for(format: UpstreamFormat, model: string | null): OutgoingHttpHeaders {
    const cacheKey = `${format}\u0000${model ?? ''}`;
    const now = Date.now();
    const hit = this.cache.get(cacheKey);
    if (hit && now - hit.at < TTL_MS) {
      return hit.headers;
    }
    const remaining = this.balancer.poolRemaining(format, model);
    const headers: OutgoingHttpHeaders = {};
    if (remaining.requests !== null) {
      headers['x-ratelimit-remaining-requests'] = String(remaining.requests);
    }
    if (remaining.tokens !== null) {
      headers['x-ratelimit-remaining-tokens'] = String(remaining.tokens);
    }
    if (this.cache.size > 1_000) {
      this.cache.clear();
    }
    this.cache.set(cacheKey, { at: now, headers });
    return headers;
  }
}
