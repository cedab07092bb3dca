import { pickOf, type Candidate, type Strategy } from './strategy.types';

/** Fewest attempts in flight; ties go to the key idle longest, so a slow key naturally gets fewer. */
export const leastBusy: Strategy = ({ candidates }) => {
  let best: Candidate = candidates[0];
  for (const c of candidates) {
    if (
      c.view.inFlight < best.view.inFlight ||
      (c.view.inFlight === best.view.inFlight && c.view.useOrder < best.view.useOrder)
    ) {
      best = c;
    }
  }
  return pickOf(best);
};
