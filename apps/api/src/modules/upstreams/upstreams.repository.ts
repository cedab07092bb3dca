import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { DeepPartial, Repository } from 'typeorm';
import { ApiKeyEntity } from '../keys/api-key.entity';
import { UpstreamEntity } from './upstream.entity';

/** The only place that touches the `upstreams` table. */
@Injectable()
export class UpstreamsRepository {
  constructor(
    @InjectRepository(UpstreamEntity) private readonly repo: Repository<UpstreamEntity>,
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
  ) {}

  findAll(): Promise<UpstreamEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC', name: 'ASC' } });
  }

  findById(id: string): Promise<UpstreamEntity | null> {
    return isUuid(id) ? this.repo.findOne({ where: { id } }) : Promise.resolve(null);
  }

  findByName(name: string): Promise<UpstreamEntity | null> {
    return this.repo.findOne({ where: { name } });
  }

  create(values: DeepPartial<UpstreamEntity>): Promise<UpstreamEntity> {
    return this.repo.save(this.repo.create(values));
  }

  async update(id: string, values: DeepPartial<UpstreamEntity>): Promise<UpstreamEntity> {
    const entity = await this.repo.findOneOrFail({ where: { id } });
    return this.repo.save(this.repo.merge(entity, values));
  }

  /** Deletes the upstream and its keys in one transaction. */
  async deleteWithKeys(id: string): Promise<void> {
    await this.repo.manager.transaction(async (manager) => {
      await manager.delete(ApiKeyEntity, { upstreamId: id });
      await manager.delete(UpstreamEntity, { id });
    });
  }

  /** Key count per upstream id. */
  async keyCounts(): Promise<Map<string, number>> {
    const rows = await this.keys
      .createQueryBuilder('k')
      .select('k.upstream_id', 'upstreamId')
      .addSelect('COUNT(*)', 'count')
      .groupBy('k.upstream_id')
      .getRawMany<{ upstreamId: string; count: string | number }>();
    return new Map(rows.map((r) => [r.upstreamId, Number(r.count)]));
  }
}

/** Unknown ids that aren't even UUIDs are simply not found (Postgres would reject them as uuid). */
export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
