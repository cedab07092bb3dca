import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { UpstreamEntity } from '../upstreams/upstream.entity';

@Entity('api_keys')
@Index('uq_api_keys_upstream_secret_hash', ['upstreamId', 'secretHash'], { unique: true })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  // No length: the type comes from the relation (uuid on Postgres), and Postgres refuses a length on uuid.
  @Column({ name: 'upstream_id', type: 'varchar' })
  upstreamId: string;

  @ManyToOne('UpstreamEntity', (upstream: UpstreamEntity) => upstream.keys, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'upstream_id' })
  upstream?: UpstreamEntity;

  /** AES-256-GCM ciphertext (`v1.<iv>.<tag>.<data>`, base64url). Loaded only where it is decrypted. */
  @Column({ name: 'secret_encrypted', type: 'text', select: false })
  secretEncrypted: string;

  /** HMAC-SHA256 of the secret: duplicate detection without decrypting. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  /** Masked form shown in the UI (`sk-…abcd`). */
  @Column({ name: 'secret_hint', type: 'varchar', length: 40 })
  secretHint: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  name: string;

  @Column({ type: 'integer', default: 1 })
  weight: number;

  @Column({ type: 'simple-json' })
  tags: string[];

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'disabled_reason', type: 'varchar', length: 20, nullable: true })
  disabledReason: 'manual' | 'invalid' | null;

  @Column({ name: 'rpm_limit', type: 'integer', nullable: true })
  rpmLimit: number | null;

  @Column({ name: 'tpm_limit', type: 'integer', nullable: true })
  tpmLimit: number | null;

  @Column({ name: 'daily_limit', type: 'integer', nullable: true })
  dailyLimit: number | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
