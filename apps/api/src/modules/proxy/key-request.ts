import type { OutcomeClass, UpstreamFormat } from '@keypool/shared';
import type { AcquireRequest } from '../balancer/balancer.types';

/**
 * One exchange's request for keys, reused across its attempts (only the retry fields change). A class
 * with its getter on the prototype, not an object literal with its own `get signal()`: V8 keeps a
 * literal's per-request getter with the object's hidden class, outside the young generation, and that
 * kept every request's whole object graph alive through young-generation collections until the next
 * full one (seen with `--trace-gc-nvp`: nearly everything that survived a scavenge was promoted).
 */
export class KeyRequest implements AcquireRequest {
  readonly excludeKeyIds = new Set<string>();
  isRetry = false;
  previousOutcome: OutcomeClass | null = null;

  constructor(
    readonly model: string | null,
    readonly format: UpstreamFormat,
    readonly affinity: string | null,
    /** Creates the cancel signal on first use: most requests get a key at once and never need one. */
    private readonly cancelSignal: () => AbortSignal,
    readonly onWait: () => void,
  ) {}

  get signal(): AbortSignal {
    return this.cancelSignal();
  }
}
