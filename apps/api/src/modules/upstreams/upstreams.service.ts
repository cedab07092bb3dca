import { Injectable } from '@nestjs/common';
import { ErrorCode, KeyEventType, type UpstreamResponse } from '@keypool/shared';
import { ConflictError, NotFoundError } from '../../common/errors/app-error';
import { KeyCollaborators } from '../keys/collaborators';
import { KeysRepository } from '../keys/keys.repository';
import { PoolCatalog } from '../keys/pool-catalog.service';
import type { CreateUpstreamDto, UpdateUpstreamDto } from './dto/upstream.dto';
import { UpstreamUrlPolicy } from './upstream-url.guard';
import { toUpstreamResponse } from './upstream.mapper';
import type { UpstreamEntity } from './upstream.entity';
import { UpstreamsRepository } from './upstreams.repository';

@Injectable()
export class UpstreamsService {
  constructor(
    private readonly upstreams: UpstreamsRepository,
    private readonly keys: KeysRepository,
    private readonly catalog: PoolCatalog,
    private readonly urlPolicy: UpstreamUrlPolicy,
    private readonly collaborators: KeyCollaborators,
  ) {}

  async list(): Promise<UpstreamResponse[]> {
    const [rows, counts] = await Promise.all([this.upstreams.findAll(), this.upstreams.keyCounts()]);
    return rows.map((row) => toUpstreamResponse(row, counts.get(row.id) ?? 0));
  }

  async get(id: string): Promise<UpstreamResponse> {
    const row = await this.require(id);
    return toUpstreamResponse(row, await this.keys.countForUpstream(id));
  }

  async create(dto: CreateUpstreamDto): Promise<UpstreamResponse> {
    const baseUrl = await this.urlPolicy.accept(dto.baseUrl);
    await this.assertNameFree(dto.name);
    const row = await this.upstreams.create({
      name: dto.name,
      baseUrl,
      format: dto.format,
      modelPatterns: dto.modelPatterns ?? ['*'],
      aliases: (dto.aliases ?? []).map(({ name, model, tier }) => ({ name, model, tier })),
      strategy: dto.strategy ?? null,
      timeoutMs: dto.timeoutMs ?? null,
      enabled: dto.enabled ?? true,
    });
    await this.catalog.reload();
    return toUpstreamResponse(row, 0);
  }

  async update(id: string, dto: UpdateUpstreamDto): Promise<UpstreamResponse> {
    const current = await this.require(id);
    const changes: Partial<UpstreamEntity> = {};
    if (dto.baseUrl !== undefined) {
      changes.baseUrl = await this.urlPolicy.accept(dto.baseUrl);
    }
    if (dto.name !== undefined && dto.name !== current.name) {
      await this.assertNameFree(dto.name);
      changes.name = dto.name;
    }
    if (dto.format !== undefined) {
      changes.format = dto.format;
    }
    if (dto.modelPatterns !== undefined) {
      changes.modelPatterns = dto.modelPatterns;
    }
    if (dto.aliases !== undefined) {
      changes.aliases = dto.aliases.map(({ name, model, tier }) => ({ name, model, tier }));
    }
    if (dto.strategy !== undefined) {
      changes.strategy = dto.strategy;
    }
    if (dto.timeoutMs !== undefined) {
      changes.timeoutMs = dto.timeoutMs;
    }
    if (dto.enabled !== undefined) {
      changes.enabled = dto.enabled;
    }
    const row = await this.upstreams.update(id, changes);
    await this.catalog.reload();
    return toUpstreamResponse(row, await this.keys.countForUpstream(id));
  }

  async delete(id: string, force: boolean): Promise<void> {
    await this.require(id);
    const keys = (await this.keys.findAll()).filter((k) => k.upstreamId === id);
    if (keys.length > 0 && !force) {
      throw new ConflictError(
        ErrorCode.UpstreamHasKeys,
        `The upstream still has ${keys.length} key(s); delete them first or repeat with ?force=true to delete them too`,
        { keyCount: keys.length },
      );
    }
    await this.upstreams.deleteWithKeys(id);
    for (const key of keys) {
      this.collaborators.recordKeyEvent({
        keyId: key.id,
        upstreamId: id,
        type: KeyEventType.Deleted,
        message: 'Key deleted with its upstream',
      });
    }
    await this.catalog.reload();
  }

  private async require(id: string): Promise<UpstreamEntity> {
    const row = await this.upstreams.findById(id);
    if (!row) {
      throw new NotFoundError(ErrorCode.UpstreamNotFound, `No upstream with id ${id}`);
    }
    return row;
  }

  private async assertNameFree(name: string): Promise<void> {
    if (await this.upstreams.findByName(name)) {
      throw new ConflictError(ErrorCode.DuplicateResource, `An upstream named "${name}" already exists`, {
        name: [`an upstream named "${name}" already exists`],
      });
    }
  }
}
