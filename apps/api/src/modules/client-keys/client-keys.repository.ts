import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { DeepPartial, Repository } from 'typeorm';
import { isUuid } from '../upstreams/upstreams.repository';
import { ClientKeyEntity } from './client-key.entity';

@Injectable()
export class ClientKeysRepository {
  constructor(@InjectRepository(ClientKeyEntity) private readonly repo: Repository<ClientKeyEntity>) {}

  findAll(): Promise<ClientKeyEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<ClientKeyEntity | null> {
    return isUuid(id) ? this.repo.findOne({ where: { id } }) : Promise.resolve(null);
  }

  create(values: DeepPartial<ClientKeyEntity>): Promise<ClientKeyEntity> {
    return this.repo.save(this.repo.create(values));
  }

  async update(id: string, values: DeepPartial<ClientKeyEntity>): Promise<ClientKeyEntity> {
    const entity = await this.repo.findOneOrFail({ where: { id } });
    return this.repo.save(this.repo.merge(entity, values));
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  async touchLastUsed(id: string, at: number): Promise<void> {
    await this.repo.update({ id }, { lastUsedAt: at });
  }
}
