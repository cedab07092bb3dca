import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  KeyEventType,
  type BulkAddKeysResponse,
  type KeyResponse,
  type KeyTestResponse,
} from '@keypool/shared';
import { CryptoService } from '../../common/crypto/crypto.service';
import { maskSecret } from '../../common/crypto/mask-secret';
import { ConflictError, NotFoundError } from '../../common/errors/app-error';
import type { UpstreamEntity } from '../upstreams/upstream.entity';
import { UpstreamsRepository } from '../upstreams/upstreams.repository';
import type { ApiKeyEntity } from './api-key.entity';
import { KeyCollaborators } from './collaborators';
import type { BulkAddKeysDto, CreateKeyDto, KeyListQueryDto, UpdateKeyDto } from './dto/key.dto';
import type { ImportEntry } from './import/parse-import';
import { KeyIntake } from './key-intake.service';
import { secretProblem } from './key-secret';
import { KeyTester } from './key-tester';
import { toKeyResponse } from './key.mapper';
import { KeysRepository } from './keys.repository';
import { PoolCatalog } from './pool-catalog.service';
import type { CatalogKey } from './pool-catalog.types';

@Injectable()
export class KeysService {
  constructor(
    private readonly keys: KeysRepository,
    private readonly upstreams: UpstreamsRepository,
    private readonly intake: KeyIntake,
    private readonly catalog: PoolCatalog,
    private readonly collaborators: KeyCollaborators,
    private readonly crypto: CryptoService,
    private readonly tester: KeyTester,
  ) {}

  async list(query: KeyListQueryDto): Promise<KeyResponse[]> {
    const [rows, upstreams] = await Promise.all([this.keys.findAll(), this.upstreams.findAll()]);
    const names = new Map(upstreams.map((u) => [u.id, u.name]));
    const search = query.search?.trim().toLowerCase();
    // An exact full secret finds its key through the keyed hash, without decrypting anything.
    const searchHash = query.search ? this.crypto.secretHash(query.search.trim()) : null;
    return rows
      .filter((row) => !query.upstreamId || row.upstreamId === query.upstreamId)
      .filter((row) => !query.tag || row.tags.includes(query.tag))
      .filter(
        (row) =>
          !search ||
          row.name.toLowerCase().includes(search) ||
          row.secretHint.toLowerCase().includes(search) ||
          row.tags.some((t) => t.toLowerCase().includes(search)) ||
          row.secretHash === searchHash,
      )
      .map((row) => this.respond(row, names.get(row.upstreamId) ?? ''))
      .filter((key) => !query.status || key.state.status === query.status);
  }

  async get(id: string): Promise<KeyResponse> {
    const row = await this.require(id);
    return this.respond(row, await this.upstreamName(row.upstreamId));
  }

  async create(dto: CreateKeyDto): Promise<KeyResponse> {
    const upstream = await this.requireUpstream(dto.upstreamId);
    const { upstreamId: _upstreamId, ...entry } = dto;
    const result = await this.intake.add(upstream.id, [entry], 'admin API');
    const added = result.added[0];
    if (!added) {
      throw new ConflictError(ErrorCode.DuplicateResource, 'This upstream already has that key', {
        secret: ['this upstream already has that key'],
      });
    }
    await this.catalog.reload();
    return this.respond(added, upstream.name);
  }

  async bulkAdd(dto: BulkAddKeysDto): Promise<BulkAddKeysResponse> {
    const upstream = await this.requireUpstream(dto.upstreamId);
    const entries: ImportEntry[] = [];
    const skipped: BulkAddKeysResponse['skipped'] = [];
    dto.secrets.split(/\r?\n/).forEach((line, index) => {
      const secret = line.trim();
      if (secret === '' || secret.startsWith('#')) {
        return;
      }
      const problem = secretProblem(secret);
      if (problem) {
        const masked = maskSecret(secret);
        skipped.push({
          key: masked === '…' ? `line ${index + 1}` : `line ${index + 1} (${masked})`,
          reason: `key ${problem}`,
        });
        return;
      }
      entries.push({ secret, tags: dto.tags, weight: dto.weight });
    });
    const result = await this.intake.add(upstream.id, entries, 'bulk add');
    for (const skip of result.skipped) {
      skipped.push(skip);
    }
    await this.catalog.reload();
    return {
      added: result.added.length,
      skipped,
      keys: result.added.map((row) => this.respond(row, upstream.name)),
    };
  }

  async update(id: string, dto: UpdateKeyDto): Promise<KeyResponse> {
    const current = await this.require(id);
    const changes: Partial<ApiKeyEntity> = {};
    for (const field of ['name', 'weight', 'tags', 'rpmLimit', 'tpmLimit', 'dailyLimit'] as const) {
      if (dto[field] !== undefined) {
        (changes as Record<string, unknown>)[field] = dto[field];
      }
    }
    if (dto.enabled !== undefined && dto.enabled !== current.enabled) {
      changes.enabled = dto.enabled;
      changes.disabledReason = dto.enabled ? null : 'manual';
    }
    const row = await this.keys.update(id, changes);
    if (changes.enabled !== undefined) {
      this.collaborators.recordKeyEvent({
        keyId: id,
        upstreamId: row.upstreamId,
        type: changes.enabled ? KeyEventType.Enabled : KeyEventType.Disabled,
        message: changes.enabled ? 'Enabled by an admin' : 'Disabled by an admin',
      });
    }
    const otherFields = Object.keys(changes).filter((k) => k !== 'enabled' && k !== 'disabledReason');
    if (otherFields.length > 0) {
      this.collaborators.recordKeyEvent({
        keyId: id,
        upstreamId: row.upstreamId,
        type: KeyEventType.Updated,
        message: `Updated ${otherFields.join(', ')}`,
        details: { fields: otherFields },
      });
    }
    await this.catalog.reload();
    return this.respond(row, await this.upstreamName(row.upstreamId));
  }

  async delete(id: string): Promise<void> {
    const row = await this.require(id);
    await this.keys.delete([id]);
    this.collaborators.recordKeyEvent({
      keyId: id,
      upstreamId: row.upstreamId,
      type: KeyEventType.Deleted,
      message: 'Deleted by an admin',
    });
    await this.catalog.reload();
  }

  /** Lists models with the key; a working key that was marked invalid is enabled again. */
  async test(id: string): Promise<KeyTestResponse> {
    const row = await this.require(id);
    const upstream = await this.requireUpstream(row.upstreamId);
    const withSecret = await this.keys.findOneWithSecret(id);
    const secret = this.crypto.decrypt(withSecret!.secretEncrypted);
    const probe = await this.tester.probe(upstream.baseUrl, upstream.format, secret);
    let reenabled = false;
    if (probe.result === 'ok' && !row.enabled && row.disabledReason === 'invalid') {
      await this.catalog.reenableKey(id, 'A key test succeeded');
      reenabled = true;
    }
    this.collaborators.recordKeyEvent({
      keyId: id,
      upstreamId: row.upstreamId,
      type: KeyEventType.Tested,
      message: `Test: ${probe.result}${probe.status ? ` (${probe.status})` : ''} in ${probe.latencyMs} ms`,
      details: { result: probe.result, status: probe.status, latencyMs: probe.latencyMs },
    });
    return { ...probe, reenabled };
  }

  private respond(row: ApiKeyEntity, upstreamName: string): KeyResponse {
    const catalogKey: CatalogKey = this.catalog.snapshot().keysById.get(row.id) ?? {
      id: row.id,
      upstreamId: row.upstreamId,
      name: row.name,
      secret: '',
      maskedSecret: row.secretHint,
      weight: row.weight,
      tags: row.tags,
      enabled: row.enabled,
      disabledReason: row.disabledReason,
      rpmLimit: row.rpmLimit,
      tpmLimit: row.tpmLimit,
      dailyLimit: row.dailyLimit,
    };
    return toKeyResponse(row, upstreamName, this.collaborators.liveState(catalogKey));
  }

  private async require(id: string): Promise<ApiKeyEntity> {
    const row = await this.keys.findById(id);
    if (!row) {
      throw new NotFoundError(ErrorCode.KeyNotFound, `No key with id ${id}`);
    }
    return row;
  }

  private async requireUpstream(id: string): Promise<UpstreamEntity> {
    const upstream = await this.upstreams.findById(id);
    if (!upstream) {
      throw new NotFoundError(ErrorCode.UpstreamNotFound, `No upstream with id ${id}`);
    }
    return upstream;
  }

  private async upstreamName(id: string): Promise<string> {
    return (await this.upstreams.findById(id))?.name ?? '';
  }
}
