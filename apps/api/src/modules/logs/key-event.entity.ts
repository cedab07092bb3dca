import type { KeyEventType } from '@keypool/shared';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../../database/bigint.transformer';

@Entity('key_events')
@Index('idx_key_events_ts', ['ts'])
@Index('idx_key_events_key', ['keyId', 'id'])
export class KeyEventEntity {
  @PrimaryGeneratedColumn()
  id: number;

  /** Epoch ms. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  ts: number;

  @Column({ name: 'key_id', type: 'varchar', length: 36 })
  keyId: string;

  @Column({ name: 'upstream_id', type: 'varchar', length: 36, nullable: true })
  upstreamId: string | null;

  @Column({ type: 'varchar', length: 40 })
  type: KeyEventType;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'simple-json', nullable: true })
  details: Record<string, unknown> | null;
}
