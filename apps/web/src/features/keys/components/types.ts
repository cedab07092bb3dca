/** What the keys components need to know about upstreams; the page supplies it. */
export interface UpstreamOption {
  id: string;
  name: string;
}

/**
 * Per-key traffic figures over the last 24 h from the stats feature, joined in by the page.
 * They count only the requests a key finally answered: an attempt that failed over to another key
 * counts for that other key, and shows here only as a cooldown.
 */
export interface KeyUsage {
  successRate: number | null;
  requests: number;
  success: number;
  failures: number;
  /** Cooldowns (rate limit, quota) started on this key. */
  cooldowns: number;
}
