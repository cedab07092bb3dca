import { Injectable } from '@nestjs/common';
import { OutcomeClass, type UpstreamFormat } from '@keypool/shared';
import { PoolCatalog } from '../keys/pool-catalog.service';
import {
  NoKeysConfiguredError,
  type AcquireRequest,
  type ClassifiedOutcome,
  type KeyLease,
  type OutcomeInput,
} from './balancer.types';

/**
 * Chooses keys and learns from outcomes. CONTRACT (keep these signatures): the proxy calls
 * `acquire` per attempt, `classify` on every upstream result, and `poolRemaining` for response headers.
 * (Placeholder: plain round-robin over the first matching upstream; the balancer module replaces it.)
 */
@Injectable()
export class BalancerService {
  private cursor = 0;

  constructor(private readonly catalog: PoolCatalog) {}

  /** Hands out a key for one attempt; waits up to the queue timeout; throws the errors in balancer.types. */
  async acquire(req: AcquireRequest): Promise<KeyLease> {
    const upstream = this.catalog.snapshot().upstreams.find((u) => u.enabled && u.format === req.format);
    const keys = upstream?.keys.filter((k) => k.enabled && !req.excludeKeyIds.has(k.id)) ?? [];
    if (!upstream || keys.length === 0) {
      throw new NoKeysConfiguredError('No API keys are configured. Add keys in the admin UI (/ui) or API.');
    }
    const key = keys[this.cursor++ % keys.length]!;
    return Promise.resolve({ key, upstream, upstreamModel: req.model, release: () => undefined });
  }

  /** The one outcome table: status/headers/body → class, retryability, cooldown. */
  classify(input: OutcomeInput): ClassifiedOutcome {
    const ok = input.status !== null && input.status < 400;
    return {
      class: ok ? OutcomeClass.Success : OutcomeClass.UpstreamError,
      status: input.status,
      retryable: !ok,
      cooldownUntil: null,
      perModel: false,
      message: null,
    };
  }

  /** Remaining requests/tokens summed over the eligible keys, where upstream headers told us. */
  poolRemaining(
    _format: UpstreamFormat,
    _model: string | null,
  ): { requests: number | null; tokens: number | null } {
    return { requests: null, tokens: null };
  }
}
