import type { Settings } from '@keypool/shared';
import type { CatalogKey } from '../../keys/pool-catalog.types';
import type { KeyStateView, StrategyCursor } from '../key-state/key-state.store';

/** A key that may be used right now, with its live state. */
export interface Candidate {
  key: CatalogKey;
  /** Stable position of the key within its scope (upstream order, then key order). */
  slot: number;
  view: KeyStateView;
}

export interface StrategyInput {
  /** Usable keys, ordered by slot; never empty. */
  candidates: readonly Candidate[];
  cursor: StrategyCursor;
  settings: Settings;
  now: number;
  /** [0, 1); injected so exploration is testable. */
  random: () => number;
}

export interface StrategyPick {
  key: CatalogKey;
  slot: number;
  /** New cursor of the scope, when the strategy keeps one. */
  cursor?: StrategyCursor;
}

/** Pure: chooses among usable keys; null when none should be used now (paced keys ahead of schedule). */
export type Strategy = (input: StrategyInput) => StrategyPick | null;

export function pickOf(c: Candidate, cursor?: StrategyCursor): StrategyPick {
  return cursor ? { key: c.key, slot: c.slot, cursor } : { key: c.key, slot: c.slot };
}

/** The first candidate after `slot` in slot order, wrapping around. */
export function nextAfter(candidates: readonly Candidate[], slot: number): Candidate {
  for (const c of candidates) {
    if (c.slot > slot) {
      return c;
    }
  }
  return candidates[0];
}
