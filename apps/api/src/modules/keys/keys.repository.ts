import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, Or, type DeepPartial, type Repository } from 'typeorm';
import { isUuid } from '../upstreams/upstreams.repository';
import { ApiKeyEntity } from './api-key.entity';

/** The only place that touches the `api_keys` table. Ciphertext is loaded only by `findAllWithSecrets`. */
@Injectable()
export class KeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>) {}

  findAll(): Promise<ApiKeyEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<ApiKeyEntity | null> {
    return isUuid(id) ? this.repo.findOne({ where: { id } }) : Promise.resolve(null);
  }

  /** Every key with its ciphertext: for the in-memory catalog and export only. */
  findAllWithSecrets(): Promise<ApiKeyEntity[]> {
    return this.repo
      .createQueryBuilder('k')
      .addSelect('k.secretEncrypted')
      .orderBy('k.created_at', 'ASC')
      .getMany();
  }

  findOneWithSecret(id: string): Promise<ApiKeyEntity | null> {
    if (!isUuid(id)) {
      return Promise.resolve(null);
    }
    return this.repo
      .createQueryBuilder('k')
      .addSelect('k.secretEncrypted')
      .where('k.id = :id', { id })
      .getOne();
  }

  /** Secret hashes already stored for an upstream (duplicate detection). */
  async secretHashesOf(upstreamId: string): Promise<Set<string>> {
    const rows = await this.repo.find({ where: { upstreamId }, select: { id: true, secretHash: true } });
    return new Set(rows.map((r) => r.secretHash));
  }

  findBySecretHash(upstreamId: string, secretHash: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOne({ where: { upstreamId, secretHash } });
  }

  countForUpstream(upstreamId: string): Promise<number> {
    return this.repo.count({ where: { upstreamId } });
  }

  /** Inserts many keys in one transaction. */
  async insertMany(values: Array<DeepPartial<ApiKeyEntity>>): Promise<ApiKeyEntity[]> {
    if (values.length === 0) {
      return [];
    }
    return this.repo.manager.transaction(async (manager) => {
      const repo = manager.getRepository(ApiKeyEntity);
      const saved: ApiKeyEntity[] = [];
      for (let i = 0; i < values.length; i += 200) {
        saved.push(...(await repo.save(repo.create(values.slice(i, i + 200)))));
      }
      return saved;
    });
  }

  async update(id: string, values: DeepPartial<ApiKeyEntity>): Promise<ApiKeyEntity> {
    const entity = await this.repo.findOneOrFail({ where: { id } });
    return this.repo.save(this.repo.merge(entity, values));
  }

  /**
   * Disables the key as invalid unless it already is. The condition is part of the UPDATE, so when several
   * replicas see the same 401 only one of them changes the row (and writes the event): true for that one.
   */
  async markInvalid(id: string): Promise<boolean> {
    const result = await this.repo.update(
      { id, disabledReason: Or(IsNull(), Not('invalid')) },
      { enabled: false, disabledReason: 'invalid' },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Enables a disabled key; true when this call changed it. */
  async reenable(id: string): Promise<boolean> {
    const result = await this.repo.update({ id, enabled: false }, { enabled: true, disabledReason: null });
    return (result.affected ?? 0) > 0;
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length > 0) {
      await this.repo.delete({ id: In(ids) });
    }
  }
}
