/** What the keys components need to know about upstreams; the page supplies it. */
export interface UpstreamOption {
  id: string;
  name: string;
}

/** Per-key traffic figures from the stats feature, joined in by the page. */
export interface KeyUsage {
  successRate: number | null;
  requests: number;
}
