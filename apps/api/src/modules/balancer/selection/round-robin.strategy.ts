import { nextAfter, pickOf, type Strategy } from './strategy.types';

/** Each usable key in turn; a key skipped while cooling does not shift the others' turns. */
export const roundRobin: Strategy = ({ candidates, cursor }) => {
  const next = nextAfter(candidates, cursor.lastSlot);
  return pickOf(next, { lastSlot: next.slot, streak: 1, weights: cursor.weights });
};
