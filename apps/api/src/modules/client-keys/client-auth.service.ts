import { Injectable } from '@nestjs/common';

export type ClientAuthResult =
  | { ok: true; clientKeyId: string | null }
  | { ok: false; status: 401 | 403 | 429; message: string; retryAfterSeconds?: number };

/**
 * Checks the credential a proxy client presented. CONTRACT (keep this signature):
 * `authenticate(credential, model)` accepts the master key or a valid client key (constant-time, on hashes),
 * enforces the client key's enabled flag, expiry, allowed models (403) and requests-per-minute (429).
 * `clientKeyId` is null for the master key or when the proxy is open (no master key and no client keys).
 * (Placeholder implementation; the client-keys module fills it in.)
 */
@Injectable()
export class ClientAuthService {
  async authenticate(_credential: string | undefined, _model: string | null): Promise<ClientAuthResult> {
    return { ok: true, clientKeyId: null };
  }

  /** True when no master key and no client key exist: anyone may use the proxy. */
  isProxyOpen(): boolean {
    return true;
  }
}
