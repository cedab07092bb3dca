/**
 * The caller's address under the `TRUST_PROXY` setting (same meaning as Fastify's `trustProxy`):
 * `false` → the socket peer; `true` → the first X-Forwarded-For entry; a number → that many hops are
 * trusted from the right; a list → addresses of trusted proxies (exact match), skipped from the right.
 */
export function clientIpFrom(
  forwardedFor: string | string[] | undefined,
  remote: string | undefined,
  trust: boolean | number | string[],
): string | null {
  const peer = remote ?? null;
  if (trust === false || typeof forwardedFor !== 'string' || forwardedFor === '') {
    return peer;
  }
  const chain = forwardedFor.split(',').map((s) => s.trim());
  if (trust === true) {
    return chain[0] || peer;
  }
  const hops = peer === null ? chain : [...chain, peer];
  if (typeof trust === 'number') {
    return hops[Math.max(0, hops.length - 1 - trust)] ?? peer;
  }
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trust.includes(hops[i])) {
      return hops[i];
    }
  }
  return hops[0] ?? peer;
}
