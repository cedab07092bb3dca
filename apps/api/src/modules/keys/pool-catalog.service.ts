import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { KeyEventType } from '@keypool/shared';
import { CryptoService } from '../../common/crypto/crypto.service';
import { maskSecret } from '../../common/crypto/mask-secret';
import { UpstreamsRepository } from '../upstreams/upstreams.repository';
import { KeyCollaborators } from './collaborators';
import { EnvBootstrap } from './env-bootstrap.service';
import { KeysRepository } from './keys.repository';
import type { CatalogKey, CatalogUpstream, PoolSnapshot } from './pool-catalog.types';

/**
 * In-memory catalog of upstreams and keys for the hot path. CONTRACT (keep these signatures):
 * - `snapshot()` is synchronous; it never touches the database;
 * - `onChange(listener)` fires after the snapshot was replaced (admin change, reload, other replica);
 * - `reload()` rebuilds the snapshot from the database (admin changes here, notifications from other replicas);
 * - `markKeyInvalid(keyId, message)` persists `enabled=false, disabledReason='invalid'`, writes a key event
 *   if this call changed the row (once across replicas), and reloads the snapshot; `reenableKey` undoes it.
 */
@Injectable()
export class PoolCatalog implements OnModuleInit {
  private readonly logger = new Logger('PoolCatalog');
  private current: PoolSnapshot = {
    version: 0,
    upstreams: [],
    keysById: new Map(),
    upstreamsById: new Map(),
  };
  private readonly listeners = new Set<(snapshot: PoolSnapshot) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly undecryptable = new Set<string>();

  constructor(
    private readonly upstreams: UpstreamsRepository,
    private readonly keys: KeysRepository,
    private readonly crypto: CryptoService,
    private readonly collaborators: KeyCollaborators,
    private readonly bootstrap: EnvBootstrap,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.bootstrap.apply();
    await this.reload();
  }

  snapshot(): PoolSnapshot {
    return this.current;
  }

  onChange(listener: (snapshot: PoolSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Rebuilds the snapshot from the database. Calls are serialised, so snapshots never go back in time. */
  reload(): Promise<PoolSnapshot> {
    const next = this.queue.then(() => this.build());
    this.queue = next.catch(() => undefined);
    return next;
  }

  async markKeyInvalid(keyId: string, message: string): Promise<void> {
    const key = this.current.keysById.get(keyId);
    if (!key || key.disabledReason === 'invalid') {
      return;
    }
    if (await this.keys.markInvalid(keyId)) {
      this.collaborators.recordKeyEvent({
        keyId,
        upstreamId: key.upstreamId,
        type: KeyEventType.Invalidated,
        message,
      });
    }
    await this.reload();
  }

  async reenableKey(keyId: string, message: string): Promise<void> {
    const key = this.current.keysById.get(keyId);
    if (!key || key.enabled) {
      return;
    }
    if (await this.keys.reenable(keyId)) {
      this.collaborators.recordKeyEvent({
        keyId,
        upstreamId: key.upstreamId,
        type: KeyEventType.Enabled,
        message,
      });
    }
    await this.reload();
  }

  private async build(): Promise<PoolSnapshot> {
    const [upstreamRows, keyRows] = await Promise.all([
      this.upstreams.findAll(),
      this.keys.findAllWithSecrets(),
    ]);
    const upstreams: CatalogUpstream[] = upstreamRows.map((u) => ({
      id: u.id,
      name: u.name,
      baseUrl: u.baseUrl.replace(/\/+$/, ''),
      format: u.format,
      modelPatterns: [...u.modelPatterns],
      aliases: u.aliases.map((a) => ({ ...a })),
      strategy: u.strategy,
      timeoutMs: u.timeoutMs,
      enabled: u.enabled,
      keys: [],
    }));
    const upstreamsById = new Map(upstreams.map((u) => [u.id, u]));
    const keysById = new Map<string, CatalogKey>();
    for (const row of keyRows) {
      const upstream = upstreamsById.get(row.upstreamId);
      const secret = upstream ? this.decrypt(row.id, row.secretEncrypted) : null;
      if (!upstream || secret === null) {
        continue;
      }
      const key: CatalogKey = {
        id: row.id,
        upstreamId: row.upstreamId,
        name: row.name,
        secret,
        maskedSecret: row.secretHint || maskSecret(secret),
        weight: row.weight,
        tags: [...row.tags],
        enabled: row.enabled,
        disabledReason: row.disabledReason,
        rpmLimit: row.rpmLimit,
        tpmLimit: row.tpmLimit,
        dailyLimit: row.dailyLimit,
      };
      upstream.keys.push(key);
      keysById.set(key.id, key);
    }
    for (const upstream of upstreams) {
      Object.freeze(upstream.keys);
    }
    this.current = { version: this.current.version + 1, upstreams, keysById, upstreamsById };
    for (const listener of this.listeners) {
      try {
        listener(this.current);
      } catch (error) {
        this.logger.error(`A catalog listener failed: ${(error as Error).message}`);
      }
    }
    return this.current;
  }

  private decrypt(keyId: string, ciphertext: string): string | null {
    try {
      return this.crypto.decrypt(ciphertext);
    } catch (error) {
      if (!this.undecryptable.has(keyId)) {
        this.undecryptable.add(keyId);
        this.logger.error(`Key ${keyId} is left out of the pool: ${(error as Error).message}`);
      }
      return null;
    }
  }
}
