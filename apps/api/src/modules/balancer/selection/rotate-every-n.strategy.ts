import { nextAfter, pickOf, type Strategy } from './strategy.types';

/** Stays on one key for `rotationN` requests, then moves to the next usable one. */
export const rotateEveryN: Strategy = ({ candidates, cursor, settings }) => {
  const n = Math.max(1, settings.rotationN);
  const current = candidates.find((c) => c.slot === cursor.lastSlot);
  if (current && cursor.streak < n) {
    return pickOf(current, { ...cursor, streak: cursor.streak + 1 });
  }
  const next = nextAfter(candidates, cursor.lastSlot);
  return pickOf(next, { ...cursor, lastSlot: next.slot, streak: 1 });
};
