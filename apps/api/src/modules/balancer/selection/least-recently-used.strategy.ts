import { pickOf, type Candidate, type Strategy } from './strategy.types';

/** The key idle longest (never used first): spreads load in time, gives each key the most rest. */
export const leastRecentlyUsed: Strategy = ({ candidates }) => {
  let best: Candidate = candidates[0];
  for (const c of candidates) {
    if (idleSince(c) < idleSince(best)) {
      best = c;
    }
  }
  return pickOf(best);
};

function idleSince(c: Candidate): number {
  return c.view.lastUsedAt ?? -Infinity;
}
