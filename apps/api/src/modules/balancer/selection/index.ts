import { SelectionStrategy } from '@keypool/shared';
import { latency } from './latency.strategy';
import { leastBusy } from './least-busy.strategy';
import { leastRecentlyUsed } from './least-recently-used.strategy';
import { paced } from './paced.strategy';
import { rotateEveryN } from './rotate-every-n.strategy';
import { roundRobin } from './round-robin.strategy';
import { sequential } from './sequential.strategy';
import type { Strategy } from './strategy.types';
import { weighted } from './weighted.strategy';

/** Registry: strategy name -> pure selection function. */
export const STRATEGIES: Readonly<Record<SelectionStrategy, Strategy>> = {
  [SelectionStrategy.RoundRobin]: roundRobin,
  [SelectionStrategy.Weighted]: weighted,
  [SelectionStrategy.LeastRecentlyUsed]: leastRecentlyUsed,
  [SelectionStrategy.LeastBusy]: leastBusy,
  [SelectionStrategy.RotateEveryN]: rotateEveryN,
  [SelectionStrategy.Latency]: latency,
  [SelectionStrategy.Sequential]: sequential,
  [SelectionStrategy.Paced]: paced,
};
