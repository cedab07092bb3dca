import { pickOf, type Candidate, type Strategy } from './strategy.types';

/**
 * The key idle longest (never used first): spreads load in time, gives each key the most rest. Compared by
 * `useOrder`, not `lastUsedAt`: two uses in the same millisecond would tie and let the key used last win.
 */
export const leastRecentlyUsed: Strategy = ({ candidates }) => {
  let best: Candidate = candidates[0];
  for (const c of candidates) {
    if (c.view.useOrder < best.view.useOrder) {
      best = c;
    }
  }
  return pickOf(best);
};
