import type { SelectionStrategy } from '@keypool/shared';

/** Human names and one-line explanations of the balancing strategies. */
export const STRATEGY_INFO: Record<SelectionStrategy, { label: string; help: string }> = {
  'round-robin': { label: 'Round robin', help: 'Each request goes to the next usable key in turn.' },
  weighted: { label: 'Weighted', help: 'Keys get traffic in proportion to their weight.' },
  'least-recently-used': { label: 'Least recently used', help: 'The key idle the longest goes next.' },
  'least-busy': { label: 'Least busy', help: 'The key with the fewest requests in flight goes next.' },
  'rotate-every-n': { label: 'Rotate every N', help: 'Stay on one key for N requests, then move on.' },
  latency: { label: 'Lowest latency', help: 'Prefer keys that answered fastest recently.' },
  sequential: { label: 'Sequential (failover)', help: 'Use the first key until it fails, then the next.' },
  paced: { label: 'Paced', help: 'Spread requests to stay under each key’s rate limits.' },
};
