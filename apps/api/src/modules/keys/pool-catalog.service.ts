import { Injectable } from '@nestjs/common';
import type { PoolSnapshot } from './pool-catalog.types';

/**
 * In-memory catalog of upstreams and keys for the hot path. CONTRACT (keep these signatures):
 * - `snapshot()` is synchronous; it never touches the database;
 * - `onChange(listener)` fires after the snapshot was replaced (admin change, reload, other replica);
 * - `markKeyInvalid(keyId, message)` persists `enabled=false, disabledReason='invalid'`, writes a key event,
 *   and reloads the snapshot; `reenableKey(keyId, message)` undoes it.
 * (Placeholder implementation; the keys module fills in loading from the database.)
 */
@Injectable()
export class PoolCatalog {
  private current: PoolSnapshot = {
    version: 0,
    upstreams: [],
    keysById: new Map(),
    upstreamsById: new Map(),
  };
  private readonly listeners = new Set<(snapshot: PoolSnapshot) => void>();

  snapshot(): PoolSnapshot {
    return this.current;
  }

  onChange(listener: (snapshot: PoolSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async markKeyInvalid(_keyId: string, _message: string): Promise<void> {}

  async reenableKey(_keyId: string, _message: string): Promise<void> {}
}
