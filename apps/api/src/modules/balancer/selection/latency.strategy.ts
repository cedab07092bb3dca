import { pickOf, type Candidate, type Strategy } from './strategy.types';

/** Share of picks that explore a random key so slow keys get re-measured. */
export const EXPLORATION_RATE = 0.1;
/** Measurements older than this are stale: the key is re-measured first. */
export const LATENCY_STALE_MS = 60_000;
const MIN_SAMPLES = 3;

/**
 * Lowest recent latency (EWMA of successful attempt durations), scaled by the work already in flight
 * so the fastest key is not buried under every concurrent request. Unmeasured and stale keys go first.
 */
export const latency: Strategy = ({ candidates, now, random }) => {
  const unmeasured = candidates.find(
    (c) =>
      c.view.latencySamples < MIN_SAMPLES ||
      (c.view.lastLatencyAt !== null &&
        now - c.view.lastLatencyAt > LATENCY_STALE_MS &&
        c.view.inFlight === 0),
  );
  if (unmeasured) {
    return pickOf(unmeasured);
  }
  if (candidates.length > 1 && random() < EXPLORATION_RATE) {
    return pickOf(candidates[Math.floor(random() * candidates.length) % candidates.length]);
  }
  let best: Candidate = candidates[0];
  for (const c of candidates) {
    if (score(c) < score(best)) {
      best = c;
    }
  }
  return pickOf(best);
};

function score(c: Candidate): number {
  return (c.view.latencyEwmaMs ?? 0) * (1 + c.view.inFlight);
}
