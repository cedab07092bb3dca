import type { ModelAlias, SelectionStrategy, UpstreamFormat } from '@keypool/shared';
import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ApiKeyEntity } from '../keys/api-key.entity';

@Entity('upstreams')
export class UpstreamEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  name: string;

  @Column({ name: 'base_url', type: 'varchar', length: 2048 })
  baseUrl: string;

  @Column({ type: 'varchar', length: 20 })
  format: UpstreamFormat;

  @Column({ name: 'model_patterns', type: 'simple-json' })
  modelPatterns: string[];

  @Column({ type: 'simple-json' })
  aliases: ModelAlias[];

  @Column({ type: 'varchar', length: 40, nullable: true })
  strategy: SelectionStrategy | null;

  @Column({ name: 'timeout_ms', type: 'integer', nullable: true })
  timeoutMs: number | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @OneToMany('ApiKeyEntity', (key: ApiKeyEntity) => key.upstream)
  keys?: ApiKeyEntity[];

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
