import { nextAfter, pickOf, type Strategy } from './strategy.types';

/**
 * One key until it can no longer serve (cooling, exhausted, open), then the next. Keeps a provider's
 * prompt cache warm; a key that comes back does not steal the traffic from the current one.
 */
export const sequential: Strategy = ({ candidates, cursor }) => {
  const current =
    candidates.find((c) => c.slot === cursor.lastSlot) ?? nextAfter(candidates, cursor.lastSlot);
  return pickOf(current, { ...cursor, lastSlot: current.slot, streak: cursor.streak + 1 });
};
