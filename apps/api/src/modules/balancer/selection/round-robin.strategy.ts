import type { StrategyCursor } from '../key-state/key-state.store';
import { nextAfter, pickOf, type Strategy } from './strategy.types';

/** Each usable key in turn; a key skipped while cooling does not shift the others' turns. */
export const roundRobin: Strategy = ({ candidates, cursor }) => {
  const next = nextAfter(candidates, cursor.lastSlot);
  return pickOf(next, roundRobinCursor(next.slot, cursor));
};

/** The scope's cursor once the key at `slot` took its turn (also used by the balancer's round-robin walk). */
export function roundRobinCursor(slot: number, previous: StrategyCursor): StrategyCursor {
  return { lastSlot: slot, streak: 1, weights: previous.weights };
}
