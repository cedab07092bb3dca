import { Injectable } from '@nestjs/common';
import { ErrorCode, type ClientKeyResponse, type CreatedClientKeyResponse } from '@keypool/shared';
import { sha256Hex } from '../../common/crypto/crypto.service';
import { maskSecret } from '../../common/crypto/mask-secret';
import { NotFoundError } from '../../common/errors/app-error';
import { ClientAuthService } from './client-auth.service';
import type { ClientKeyEntity } from './client-key.entity';
import { generateClientSecret } from './client-key-secret';
import { ClientKeysRepository } from './client-keys.repository';
import type { CreateClientKeyDto, UpdateClientKeyDto } from './dto/client-key.dto';

@Injectable()
export class ClientKeysService {
  constructor(
    private readonly repository: ClientKeysRepository,
    private readonly auth: ClientAuthService,
  ) {}

  async list(): Promise<ClientKeyResponse[]> {
    return (await this.repository.findAll()).map((row) => this.respond(row));
  }

  async get(id: string): Promise<ClientKeyResponse> {
    return this.respond(await this.require(id));
  }

  /** The secret is returned here once; only its SHA-256 is stored. */
  async create(dto: CreateClientKeyDto): Promise<CreatedClientKeyResponse> {
    const secret = generateClientSecret();
    const row = await this.repository.create({
      name: dto.name,
      keyHash: sha256Hex(secret),
      keyHint: maskSecret(secret),
      rpmLimit: dto.rpmLimit ?? null,
      allowedModels: dto.allowedModels ?? [],
      expiresAt: dto.expiresAt ? Date.parse(dto.expiresAt) : null,
      enabled: dto.enabled ?? true,
      lastUsedAt: null,
    });
    await this.auth.reload();
    return { ...this.respond(row), secret };
  }

  async update(id: string, dto: UpdateClientKeyDto): Promise<ClientKeyResponse> {
    const current = await this.require(id);
    const changes: Partial<ClientKeyEntity> = {};
    if (dto.name !== undefined) {
      changes.name = dto.name;
    }
    if (dto.rpmLimit !== undefined) {
      changes.rpmLimit = dto.rpmLimit;
    }
    if (dto.allowedModels !== undefined) {
      changes.allowedModels = dto.allowedModels;
    }
    if (dto.expiresAt !== undefined) {
      changes.expiresAt = dto.expiresAt === null ? null : Date.parse(dto.expiresAt);
    }
    if (dto.enabled !== undefined) {
      changes.enabled = dto.enabled;
    }
    const row = await this.repository.update(id, changes);
    if (changes.rpmLimit !== undefined && changes.rpmLimit !== current.rpmLimit) {
      this.auth.forgetRateWindow(id);
    }
    await this.auth.reload();
    return this.respond(row);
  }

  async delete(id: string): Promise<void> {
    await this.require(id);
    await this.repository.delete(id);
    this.auth.forgetRateWindow(id);
    await this.auth.reload();
  }

  private respond(row: ClientKeyEntity): ClientKeyResponse {
    const lastUsed = Math.max(row.lastUsedAt ?? 0, this.auth.pendingLastUsed(row.id) ?? 0);
    return {
      id: row.id,
      name: row.name,
      maskedKey: row.keyHint,
      rpmLimit: row.rpmLimit,
      allowedModels: row.allowedModels,
      expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt).toISOString(),
      enabled: row.enabled,
      lastUsedAt: lastUsed > 0 ? new Date(lastUsed).toISOString() : null,
      createdAt: row.createdAt.toISOString(),
    };
  }

  private async require(id: string): Promise<ClientKeyEntity> {
    const row = await this.repository.findById(id);
    if (!row) {
      throw new NotFoundError(ErrorCode.ClientKeyNotFound, `No client key with id ${id}`);
    }
    return row;
  }
}
