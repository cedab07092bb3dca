import { pickOf, type Strategy } from './strategy.types';

/**
 * Smooth weighted round-robin (as nginx does it): every pick adds each key's weight to its current
 * weight, takes the largest and subtracts the total from it. Weights 1:2:3 give A B C B C C-like
 * interleaving rather than bursts. Keys of weight 0 serve only when all weights are 0.
 */
export const weighted: Strategy = ({ candidates, cursor }) => {
  const anyPositive = candidates.some((c) => c.key.weight > 0);
  const weights: Record<string, number> = { ...cursor.weights };
  let total = 0;
  let best = candidates[0];
  let bestWeight = -Infinity;
  for (const c of candidates) {
    const w = anyPositive ? Math.max(0, c.key.weight) : 1;
    const current = (weights[c.key.id] ?? 0) + w;
    weights[c.key.id] = current;
    total += w;
    if (current > bestWeight) {
      best = c;
      bestWeight = current;
    }
  }
  weights[best.key.id] = bestWeight - total;
  return pickOf(best, { ...cursor, lastSlot: best.slot, streak: 1, weights });
};
