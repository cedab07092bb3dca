import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { hexDigestsEqual, sha256Hex } from '../../common/crypto/crypto.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { ClientKeyEntity } from './client-key.entity';
import { modelMatches } from './client-key-secret';
import { ClientKeysRepository } from './client-keys.repository';
import { ClientRateLimiter } from './client-rate-limiter';

export type ClientAuthResult =
  | { ok: true; clientKeyId: string | null }
  | { ok: false; status: 401 | 403 | 429; message: string; retryAfterSeconds?: number };

interface CachedClientKey {
  id: string;
  keyHash: string;
  enabled: boolean;
  expiresAt: number | null;
  rpmLimit: number | null;
  allowedModels: string[];
}

const LAST_USED_FLUSH_MS = 30_000;

/**
 * Checks the credential a proxy client presented. CONTRACT (keep this signature):
 * `authenticate(credential, model)` accepts the master key or a valid client key (constant-time, on hashes),
 * enforces the client key's enabled flag, expiry, allowed models (403) and requests-per-minute (429).
 * `clientKeyId` is null for the master key or when the proxy is open (no master key and no client keys).
 * Client keys are cached in memory (`reload()` after any change, here or on another replica).
 */
const CREDENTIAL_MEMO_SIZE = 1024;

@Injectable()
export class ClientAuthService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ClientAuth');
  private readonly masterHash: string | null;
  private byHash = new Map<string, CachedClientKey>();
  private readonly credentialHashes = new Map<string, string>();
  private readonly lastUsed = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly repository: ClientKeysRepository,
    private readonly limiter: ClientRateLimiter,
  ) {
    this.masterHash = config.auth.masterApiKey ? sha256Hex(config.auth.masterApiKey) : null;
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  onApplicationBootstrap(): void {
    if (this.isProxyOpen()) {
      this.logger.warn(
        'The proxy is OPEN: no MASTER_API_KEY and no client keys, so anyone who can reach this port can use your provider keys. Set MASTER_API_KEY or create a client key.',
      );
    }
    this.flushTimer = setInterval(() => void this.flushLastUsed(), LAST_USED_FLUSH_MS);
    this.flushTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushLastUsed();
  }

  /**
   * Hashing every request's credential showed up in profiles; a client sends the same one again and again.
   * The memo is bounded (cleared when full) so a flood of random credentials cannot grow it.
   */
  private hashOf(credential: string): string {
    let hash = this.credentialHashes.get(credential);
    if (hash === undefined) {
      if (this.credentialHashes.size >= CREDENTIAL_MEMO_SIZE) {
        this.credentialHashes.clear();
      }
      hash = sha256Hex(credential);
      this.credentialHashes.set(credential, hash);
    }
    return hash;
  }

  async authenticate(credential: string | undefined, model: string | null): Promise<ClientAuthResult> {
    const open = this.isProxyOpen();
    if (!credential) {
      return open ? { ok: true, clientKeyId: null } : { ok: false, status: 401, message: 'Missing API key' };
    }
    const hash = this.hashOf(credential);
    if (this.masterHash && hexDigestsEqual(hash, this.masterHash)) {
      return { ok: true, clientKeyId: null };
    }
    const client = this.byHash.get(hash);
    if (!client || !hexDigestsEqual(hash, client.keyHash)) {
      return open ? { ok: true, clientKeyId: null } : { ok: false, status: 401, message: 'Invalid API key' };
    }
    if (!client.enabled) {
      return { ok: false, status: 401, message: 'This API key is disabled' };
    }
    if (client.expiresAt !== null && client.expiresAt <= Date.now()) {
      return { ok: false, status: 401, message: 'This API key has expired' };
    }
    if (
      model !== null &&
      client.allowedModels.length > 0 &&
      !client.allowedModels.some((p) => modelMatches(p, model))
    ) {
      return { ok: false, status: 403, message: `This API key may not use the model ${model}` };
    }
    if (client.rpmLimit !== null) {
      const decision = await this.limiter.hit(client.id, client.rpmLimit);
      if (!decision.allowed) {
        return {
          ok: false,
          status: 429,
          message: `Rate limit of ${client.rpmLimit} requests per minute reached for this API key`,
          retryAfterSeconds: decision.retryAfterSeconds,
        };
      }
    }
    this.lastUsed.set(client.id, Date.now());
    return { ok: true, clientKeyId: client.id };
  }

  /** True when no master key and no client key exist: anyone may use the proxy. */
  isProxyOpen(): boolean {
    return this.masterHash === null && this.byHash.size === 0;
  }

  /** When a client last passed authentication, including uses not yet written to the database. */
  pendingLastUsed(id: string): number | undefined {
    return this.lastUsed.get(id);
  }

  /** Re-reads the client keys (after a change here or on another replica) and notifies listeners. */
  async reload(): Promise<void> {
    const rows = await this.repository.findAll();
    this.byHash = new Map(rows.map((row) => [row.keyHash, toCached(row)]));
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.logger.error(`A client-key listener failed: ${(error as Error).message}`);
      }
    }
  }

  /** Fires after every reload; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  forgetRateWindow(id: string): void {
    this.limiter.reset(id);
  }

  private async flushLastUsed(): Promise<void> {
    const pending = [...this.lastUsed.entries()];
    this.lastUsed.clear();
    for (const [id, at] of pending) {
      await this.repository.touchLastUsed(id, at).catch(() => undefined);
    }
  }
}

function toCached(row: ClientKeyEntity): CachedClientKey {
  return {
    id: row.id,
    keyHash: row.keyHash,
    enabled: row.enabled,
    expiresAt: row.expiresAt,
    rpmLimit: row.rpmLimit,
    allowedModels: row.allowedModels,
  };
}
