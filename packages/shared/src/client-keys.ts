import type { IsoDate } from './common';

export interface ClientKeyResponse {
  id: string;
  name: string;
  /** Masked, e.g. `kp-…ab12`. */
  maskedKey: string;
  rpmLimit: number | null;
  /** Glob patterns of models this client may use; empty = all. */
  allowedModels: string[];
  expiresAt: IsoDate | null;
  enabled: boolean;
  lastUsedAt: IsoDate | null;
  createdAt: IsoDate;
}

/** Returned once, at creation: `secret` is never shown again. */
export interface CreatedClientKeyResponse extends ClientKeyResponse {
  secret: string;
}

export interface CreateClientKeyRequest {
  name: string;
  rpmLimit?: number | null;
  allowedModels?: string[];
  expiresAt?: IsoDate | null;
  enabled?: boolean;
}

export type UpdateClientKeyRequest = Partial<CreateClientKeyRequest>;
